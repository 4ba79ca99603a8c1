package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.classification.MackeyGlassExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code privileged}: seed 003's generalized distillation with privileged information on Mackey-Glass (Hayashi et
 * al., IJCNN 2019); all work is {@link MackeyGlassExperiment}; this command parses, calls, prints the table and writes
 * it to report.md and report.json in {@code --out}.
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

    @Option(names = "--out", defaultValue = "tribuo-kd-privileged", paramLabel = "DIR",
            description = "Output folder for report.md and report.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (seeds < 1 || epochs < 1 || test < 1) {
            throw new Main.UsageException("--seeds, --epochs and --test must be positive");
        }
        RunOutputs outputs = RunOutputs.directory(out, "--out", System.out::println);   // before any work
        long start = System.nanoTime();
        long[] s = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            s[i] = i + 1;
        }
        List<MackeyGlassExperiment.Row> rows = MackeyGlassExperiment.runAll(s, epochs, test);
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder md = new StringBuilder("# Generalized distillation with privileged information, Mackey-Glass\n\n");
        md.append(String.format(Locale.ROOT, "Train 100, validation 100, test %d; %d epochs; seeds 1..%d.%n%n", test,
                epochs, seeds));
        md.append("| seed | teacher (x(t), x(t+7)) | baseline LR | proposed | T | lambda | val acc |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        double[] b = new double[seeds], p = new double[seeds], t = new double[seeds];
        List<Object> jsonRows = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            MackeyGlassExperiment.Row r = rows.get(i);
            b[i] = r.baselineTest();
            p[i] = r.proposedTest();
            t[i] = r.teacherTest();
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f | %.0f | %.2f | %.2f |%n", r.seed(),
                    r.teacherTest(), r.baselineTest(), r.proposedTest(), r.temperature(), r.lambda(),
                    r.proposedValidation()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seed", r.seed());
            row.put("teacher_test_accuracy", r.teacherTest());
            row.put("baseline_test_accuracy", r.baselineTest());
            row.put("proposed_test_accuracy", r.proposedTest());
            row.put("temperature", r.temperature());
            row.put("lambda", r.lambda());
            row.put("proposed_validation_accuracy", r.proposedValidation());
            jsonRows.add(row);
        }
        double[] mb = MackeyGlassExperiment.meanSd(b), mp = MackeyGlassExperiment.meanSd(p),
                mt = MackeyGlassExperiment.meanSd(t);
        md.append(String.format(Locale.ROOT, "| mean ± sd | %.4f ± %.4f | %.4f ± %.4f | %.4f ± %.4f | | | |%n", mt[0],
                mt[1], mb[0], mb[1], mp[0], mp[1]));
        md.append("| seed 003 slide | | 0.971 | 0.932 | | | |\n");
        md.append(String.format(Locale.ROOT, "%nWall time %.1f s%n", seconds));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("test_length", test);
        json.put("epochs", epochs);
        json.put("seeds", seeds);
        json.put("rows", jsonRows);
        json.put("mean_baseline_test_accuracy", mb[0]);
        json.put("mean_proposed_test_accuracy", mp[0]);
        json.put("mean_teacher_test_accuracy", mt[0]);
        json.put("paper_baseline", 0.971);
        json.put("paper_proposed", 0.932);
        json.put("seconds", seconds);
        outputs.writeReport(json, md.toString());
        outputs.finish();
        System.out.print(md);
        return Main.EXIT_OK;
    }
}
