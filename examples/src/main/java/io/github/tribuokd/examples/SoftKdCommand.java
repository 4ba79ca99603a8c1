package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.classification.HintonMnistExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code soft-kd --data DIR --out DIR}: seed 003's MNIST table (Hinton et al.): teacher 784-1200-1200-10, student
 * 784-800-800-10 alone and distilled, and the omitted-3 run with and without the bias correction
 * ({@link HintonMnistExperiment}); the seed's error counts beside each row.
 */
@Command(name = "soft-kd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Seed 003 (Hinton et al.) on MNIST: a dropout teacher 784-1200-1200-10, a student "
                + "784-800-800-10 trained alone and distilled on soft targets (T and alpha chosen on the last "
                + "--validation training images), and the student distilled on a transfer set without 3s, with and "
                + "without raising its class-3 bias. Test errors out of 10,000 beside the paper's 67 / 146 / 74 "
                + "and 109 (14 on 3s). Writes report.md and report.json to --out."})
final class SoftKdCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "The folder holding MNIST/ (or the MNIST folder itself) with the four IDX .gz files.")
    Path data;

    @Option(names = "--out", defaultValue = "tribuo-kd-soft-kd", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "quick: hidden 300-300 / 100-100, 20,000 training images, 2 epochs, T in {4, 20}.")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of every model (default 5; quick: 2).")
    Integer epochs;

    @Option(names = "--max-train", paramLabel = "N", description = "Use the first N training images (default all).")
    Integer maxTrain;

    @Option(names = "--validation", defaultValue = "10000", paramLabel = "N",
            description = "The last N training images are held out for choosing T, alpha and the bias (default: "
                    + "${DEFAULT-VALUE}; with --max-train, at most a sixth of it).")
    int validation;

    @Option(names = "--temperatures", split = ",", paramLabel = "T,...",
            description = "Candidate temperatures (default 4,20).")
    double[] temperatures;

    @Option(names = "--alphas", split = ",", paramLabel = "A,...", description = "Candidate alphas (default 0.9).")
    double[] alphas;

    @Option(names = "--teacher-hidden", split = ",", paramLabel = "W,...", description = "Default 1200,1200.")
    int[] teacherHidden;

    @Option(names = "--student-hidden", split = ",", paramLabel = "W,...", description = "Default 800,800.")
    int[] studentHidden;

    @Option(names = "--seed", defaultValue = "12345", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        HintonMnistExperiment.Settings s = new HintonMnistExperiment.Settings();
        if (preset != null) {
            if (!preset.equals("quick")) {
                throw new Main.UsageException("--preset must be quick, found " + preset);
            }
            s.teacherHidden = new int[]{300, 300};
            s.studentHidden = new int[]{100, 100};
            s.maxTrain = 20_000;
            s.epochs = 2;
        }
        if (epochs != null) {
            s.epochs = epochs;
        }
        if (maxTrain != null) {
            s.maxTrain = maxTrain;
        }
        s.validation = s.maxTrain > 0 ? Math.min(validation, Math.max(1, s.maxTrain / 6)) : validation;
        if (temperatures != null) {
            s.temperatures = temperatures;
        }
        if (alphas != null) {
            s.alphas = alphas;
        }
        if (teacherHidden != null) {
            s.teacherHidden = teacherHidden;
        }
        if (studentHidden != null) {
            s.studentHidden = studentHidden;
        }
        s.seed = seed;
        if (s.epochs < 1) {
            throw new Main.UsageException("--epochs must be positive");
        }
        Path mnist = Files.isDirectory(data.resolve("MNIST")) ? data.resolve("MNIST") : data;
        RunOutputs outputs = RunOutputs.directory(out, "--out", System.out::println);   // before any work
        HintonMnistExperiment.Result r = new HintonMnistExperiment(s, System.out::println).run(mnist);
        String md = outputs.writeReport(json(r, s, mnist), markdown(r, s, mnist));
        outputs.finish();
        System.out.println(md);
        return Main.EXIT_OK;
    }

    private static Map<String, Object> json(HintonMnistExperiment.Result r, HintonMnistExperiment.Settings s,
                                            Path mnist) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", mnist.toString());
        m.put("epochs", s.epochs);
        m.put("train_size", r.trainSize());
        m.put("validation_size", r.validationSize());
        m.put("transfer_size_without_3", r.transferSizeWithout3());
        m.put("temperature", r.chosenTemperature());
        m.put("alpha", r.chosenAlpha());
        m.put("bias_delta", r.biasDelta());
        m.put("teacher_parameters", r.teacherParameters());
        m.put("student_parameters", r.studentParameters());
        m.put("seconds", r.totalSeconds());
        List<Object> rows = new ArrayList<>();
        for (HintonMnistExperiment.Row row : r.rows()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("model", row.name());
            x.put("setting", row.setting());
            x.put("test_errors", row.testErrors());
            x.put("test_size", row.testSize());
            x.put("errors_on_3", row.errorsOn3());
            x.put("test_3s", row.numTest3());
            x.put("validation_errors", row.validationErrors());
            x.put("seconds", row.seconds());
            x.put("paper_errors", row.seedErrors());
            x.put("paper_errors_on_3", row.seedErrorsOn3());
            rows.add(x);
        }
        m.put("rows", rows);
        List<Object> grid = new ArrayList<>();
        for (HintonMnistExperiment.Candidate c : r.grid()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("temperature", c.temperature());
            x.put("alpha", c.alpha());
            x.put("validation_errors", c.validationErrors());
            x.put("seconds", c.seconds());
            grid.add(x);
        }
        m.put("grid", grid);
        return m;
    }

    private static String markdown(HintonMnistExperiment.Result r, HintonMnistExperiment.Settings s, Path mnist) {
        StringBuilder sb = new StringBuilder("# soft-kd: seed 003 (Hinton et al.) on MNIST\n\n");
        sb.append(String.format("Data %s; models train on the first %d training images, the next %d are the "
                        + "validation set (T, α and the class-3 bias chosen there); test = the %d test images. "
                        + "%d epochs per model, minibatch %d, Adam %.0e, ReLU; teacher dropout %.2f (hidden only, no "
                        + "jitter), student dropout %.2f. Teacher %,d parameters, student %,d. Wall time %.1f min.%n%n",
                mnist, r.trainSize(), r.validationSize(), r.rows().get(0).testSize(), s.epochs, s.batchSize,
                s.learningRate, s.teacherDropout, s.studentDropout, r.teacherParameters(), r.studentParameters(),
                r.totalSeconds() / 60));
        sb.append("| model | setting | test errors | paper | errors on 3s | paper | validation errors | train s |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (HintonMnistExperiment.Row row : r.rows()) {
            sb.append(String.format("| %s | %s | %d | %s | %d / %d | %s | %d | %.0f |%n", row.name(), row.setting(),
                    row.testErrors(), row.seedErrors() == null ? "" : row.seedErrors(), row.errorsOn3(),
                    row.numTest3(), row.seedErrorsOn3() == null ? "" : row.seedErrorsOn3(), row.validationErrors(),
                    row.seconds()));
        }
        sb.append("\nGrid (validation errors of the distilled student):\n\n| T | α | validation errors | s |\n")
                .append("|---:|---:|---:|---:|\n");
        for (HintonMnistExperiment.Candidate c : r.grid()) {
            sb.append(String.format("| %s | %s | %d | %.0f |%n", c.temperature(), c.alpha(), c.validationErrors(),
                    c.seconds()));
        }
        sb.append(String.format("%nTransfer set without 3s: %d images. Bias correction δ = %.3f on the class-3 "
                + "logit (mean predicted P(3) on the validation set = its frequency of 3s).%n", r.transferSizeWithout3(),
                r.biasDelta()));
        return sb.toString();
    }
}
