package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.classification.MackeyGlassExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code privileged}: seed 003's generalized distillation with privileged information on Mackey-Glass (Hayashi et
 * al., IJCNN 2019); all work is {@link MackeyGlassExperiment}; this command parses, calls and prints the table.
 */
@Command(name = "privileged", mixinStandardHelpOptions = false, sortOptions = false,
        description = {"Generalized distillation with privileged information on the Mackey-Glass up/down task "
                + "(train 100, validation 100, test --test, horizon 8, student x(t-3..t), teacher x(t), x(t+7)): "
                + "logistic-regression student alone vs distilled, T and lambda chosen on validation."})
final class PrivilegedCommand implements Callable<Integer> {

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N", description = "Seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--epochs", defaultValue = "200", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--test", defaultValue = "10000", paramLabel = "N", description = "Test length (default: ${DEFAULT-VALUE}).")
    int test;

    @Override
    public Integer call() {
        if (seeds < 1 || epochs < 1 || test < 1) {
            throw new IllegalArgumentException("--seeds, --epochs and --test must be positive");
        }
        long start = System.nanoTime();
        long[] s = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            s[i] = i + 1;
        }
        List<MackeyGlassExperiment.Row> rows = MackeyGlassExperiment.runAll(s, epochs, test);
        System.out.println("| seed | teacher (x(t), x(t+7)) | baseline LR | proposed | T | lambda | val acc |");
        System.out.println("|---|---|---|---|---|---|---|");
        double[] b = new double[seeds], p = new double[seeds], t = new double[seeds];
        for (int i = 0; i < seeds; i++) {
            MackeyGlassExperiment.Row r = rows.get(i);
            b[i] = r.baselineTest();
            p[i] = r.proposedTest();
            t[i] = r.teacherTest();
            System.out.printf("| %d | %.4f | %.4f | %.4f | %.0f | %.2f | %.2f |%n", r.seed(), r.teacherTest(),
                    r.baselineTest(), r.proposedTest(), r.temperature(), r.lambda(), r.proposedValidation());
        }
        double[] mb = MackeyGlassExperiment.meanSd(b), mp = MackeyGlassExperiment.meanSd(p),
                mt = MackeyGlassExperiment.meanSd(t);
        System.out.printf("| mean ± sd | %.4f ± %.4f | %.4f ± %.4f | %.4f ± %.4f | | | |%n", mt[0], mt[1], mb[0], mb[1],
                mp[0], mp[1]);
        System.out.println("| seed 003 slide | | 0.971 | 0.932 | | | |");
        System.out.printf("Wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
        return Main.EXIT_OK;
    }
}
