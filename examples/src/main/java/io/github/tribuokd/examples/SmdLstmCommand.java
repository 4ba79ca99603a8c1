package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.DistilledAnomalyModel;
import io.github.tribuokd.anomaly.LSTMAutoencoderModel;
import io.github.tribuokd.anomaly.LSTMAutoencoderTrainer;
import io.github.tribuokd.anomaly.MLPRegressionTrainer;
import io.github.tribuokd.anomaly.ReconstructionDistillationTrainer;
import io.github.tribuokd.anomaly.ScoreDistillationTrainer;
import io.github.tribuokd.anomaly.ScoredModel;
import io.github.tribuokd.anomaly.nn.Activation;
import io.github.tribuokd.anomaly.nn.AdamOptimiser;
import io.github.tribuokd.anomaly.nn.LossFunction;
import io.github.tribuokd.evaluation.AnomalyMetrics;
import io.github.tribuokd.evaluation.ConfusionCounts;
import io.github.tribuokd.evaluation.Json;
import io.github.tribuokd.evaluation.MahalanobisCountRule;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code smd-lstm}: the protocol of seed 000 (Kim and Kim) on any SMD-layout dataset: LSTM encoder-decoder teacher,
 * students distilled from its reconstructions (and, for comparison, the seed-001 route: a small regression student on
 * the teacher's log score), window-level classification with the Mahalanobis count rule, per entity and pooled.
 */
final class SmdLstmCommand implements Main.Command {

    @Override
    public String summary() {
        return "seed 000: LSTM teacher, distilled students, Mahalanobis count rule on SMD-layout data (per entity, pooled)";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: java -jar examples/target/tribuo-kd.jar smd-lstm --data DIR [options]",
                "",
                "For each entity: windows of --window steps, stride --stride (a window is anomalous when any of its points",
                "is); the first 90% of the training windows fit, the last 10% validate. Teacher: LSTM encoder-decoder",
                "(H = --teacher-hidden). Students: LSTM autoencoders of each --student-hidden size distilled from the",
                "teacher's reconstructions (alpha, T), and an MLP regressing the teacher's log score (seed 001).",
                "Decision (seed 000, eq. 1): a_t = (e_t - mu)' Sigma^-1 (e_t - mu) on per-point errors, mu and Sigma from",
                "the validation windows, tau = the --tau-quantile of validation a_t, c = 1 + the 99th percentile of the",
                "validation windows' counts of a_t > tau; a window is anomalous when at least c points exceed tau.",
                "Window scores for ROC-AUC, PR-AUC and best F1: the mean a_t of the window.",
                "",
                "Options:",
                "  --data DIR              SMD-layout dataset (required)",
                "  --entities A,B,...      entities (default: all in DIR/train)",
                "  --window L              window length (default 100)",
                "  --stride S              stride (default 10)",
                "  --teacher-hidden H      teacher LSTM size (default 352: 1,114,470 parameters for 38 variables)",
                "  --student-hidden H,...  student LSTM sizes (default 225,64,32)",
                "  --epochs N              teacher and student epochs (default 5)",
                "  --batch B               windows per minibatch (default 64)",
                "  --alpha A --temperature T   distillation loss weights (default 0.35, 1.5)",
                "  --tau-quantile q        (default 0.99)",
                "  --max-train-rows N / --max-test-rows N   use only the first N rows (default all)",
                "  --seed N                (default 12345)",
                "  --out DIR               report.md, report.json, learning-curves.png (default tribuo-kd-smd-lstm)");
    }

    /** One evaluated model on one entity. */
    static final class Row {
        final String entity;
        final String model;
        final long parameters;
        final ConfusionCounts counts;
        final AnomalyMetrics metrics;
        final double nsPerWindow;
        final double[] windowScores;
        final boolean[] decisions;

        Row(String entity, String model, long parameters, ConfusionCounts counts, AnomalyMetrics metrics,
            double nsPerWindow, double[] windowScores, boolean[] decisions) {
            this.entity = entity;
            this.model = model;
            this.parameters = parameters;
            this.counts = counts;
            this.metrics = metrics;
            this.nsPerWindow = nsPerWindow;
            this.windowScores = windowScores;
            this.decisions = decisions;
        }
    }

    @Override
    public int run(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args);
        if (!o.containsKey("--data")) {
            throw new Main.UsageException("--data DIR is required");
        }
        Path data = Path.of(o.get("--data"));
        List<String> entities = o.containsKey("--entities") ? Arrays.asList(o.get("--entities").split(","))
                : SmdLoader.listEntities(data);
        int window = Options.intOpt(o, "--window", 100), stride = Options.intOpt(o, "--stride", 10);
        int teacherH = Options.intOpt(o, "--teacher-hidden", 352), epochs = Options.intOpt(o, "--epochs", 5);
        int batch = Options.intOpt(o, "--batch", 64);
        int[] studentH = Arrays.stream(o.getOrDefault("--student-hidden", "225,64,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        double alpha = Double.parseDouble(o.getOrDefault("--alpha", "0.35"));
        double temperature = Double.parseDouble(o.getOrDefault("--temperature", "1.5"));
        double tauQ = Double.parseDouble(o.getOrDefault("--tau-quantile", "0.99"));
        int maxTrain = Options.intOpt(o, "--max-train-rows", 0), maxTest = Options.intOpt(o, "--max-test-rows", 0);
        long seed = Long.parseLong(o.getOrDefault("--seed", "12345"));
        Path out = Path.of(o.getOrDefault("--out", "tribuo-kd-smd-lstm"));
        Files.createDirectories(out);

        long start = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        Map<String, double[]> curves = new LinkedHashMap<>();
        SlidingWindows windows = new SlidingWindows(window, stride);
        for (String entity : entities) {
            SmdEntity e = SmdLoader.load(data, entity);
            MultivariateSeries train = maxTrain > 0 && maxTrain < e.train().numSteps() ? e.train().slice(0, maxTrain)
                    : e.train();
            MultivariateSeries test = maxTest > 0 && maxTest < e.test().numSteps() ? e.test().slice(0, maxTest)
                    : e.test();
            MutableDataset<Event> trainWindows = windows.toDataset(train, entity + " train");
            int m = train.numVariables(), w = window * m;
            int nTest = windows.numWindows(test.numSteps());
            float[] testMatrix = new float[nTest * w];
            float[] buf = new float[w];
            for (int i = 0; i < nTest; i++) {
                windows.windowValues(test, i, buf);
                System.arraycopy(buf, 0, testMatrix, i * w, w);
            }
            int[] labels = windows.windowLabels(test);
            int nTrain = trainWindows.size();
            int fit = nTrain - (int) Math.floor(nTrain * 0.1);
            float[] validation = new float[(nTrain - fit) * w];
            for (int i = fit; i < nTrain; i++) {
                windows.windowValues(train, i, buf);
                System.arraycopy(buf, 0, validation, (i - fit) * w, w);
            }
            progress(entity + ": " + nTrain + " training windows, " + nTest + " test windows ("
                    + Arrays.stream(labels).sum() + " anomalous)");

            LSTMAutoencoderTrainer teacherTrainer = new LSTMAutoencoderTrainer(teacherH, epochs, batch,
                    new AdamOptimiser(1e-3), seed, 0.1, 0.99);
            LSTMAutoencoderModel teacher = teacherTrainer.train(trainWindows);
            curves.put(entity + " teacher", teacher.trainingLoss());
            rows.add(evaluateLstm(entity, "teacher LSTM-AE H=" + teacherH, teacher, validation, testMatrix, nTest, labels,
                    tauQ, seed));
            for (int h : studentH) {
                LSTMAutoencoderModel student = new ReconstructionDistillationTrainer(null, h, alpha, temperature, epochs,
                        batch, new AdamOptimiser(1e-3), seed, 0.1, 0.99).distil(teacher, trainWindows);
                curves.put(entity + " student H=" + h, student.trainingLoss());
                rows.add(evaluateLstm(entity, "student LSTM-AE H=" + h + " (reconstruction KD)", student, validation,
                        testMatrix, nTest, labels, tauQ, seed));
            }
            DistilledAnomalyModel regression = new ScoreDistillationTrainer(null, new MLPRegressionTrainer(
                    new int[]{16}, Activation.RELU, LossFunction.MAE, Math.max(10, epochs * 4), 100, seed))
                    .distil(teacher, trainWindows);
            rows.add(evaluateScorer(entity, "student MLP " + w + "-16-1 on log score (seed 001)", regression,
                    regression.threshold(), testMatrix, nTest, labels, seed));
        }
        String report = report(rows, entities, window, stride, epochs, alpha, temperature, tauQ,
                (System.nanoTime() - start) / 1e9);
        System.out.println(report);
        Files.writeString(out.resolve("report.md"), report);
        Map<String, Object> reportJson = new LinkedHashMap<>();
        reportJson.put("rows", json(rows));
        reportJson.put("learning_curves", new LinkedHashMap<String, Object>(curves));
        Files.writeString(out.resolve("report.json"), Json.write(reportJson) + "\n");
        learningCurves(out.resolve("learning-curves.png"), curves);
        return 0;
    }

    /** Mahalanobis count rule on the model's per-point errors; window score = mean a_t. */
    private static Row evaluateLstm(String entity, String name, LSTMAutoencoderModel model, float[] validation,
                                    float[] test, int nTest, int[] labels, double tauQ, long seed) {
        int steps = model.windowLength(), m = model.variables(), w = steps * m;
        int nVal = validation.length / w;
        float[] valErrors = new float[validation.length];
        model.errorVectors(validation, nVal, valErrors);
        double[][] points = new double[nVal * steps][m];
        for (int p = 0; p < nVal * steps; p++) {
            for (int j = 0; j < m; j++) {
                points[p][j] = valErrors[p * m + j];
            }
        }
        MahalanobisCountRule probe = MahalanobisCountRule.fit(points, 0.0, 1);
        double[] valScores = probe.scores(points);
        double tau = MahalanobisCountRule.tauFromQuantile(valScores, tauQ);
        double[] counts = new double[nVal];
        for (int v = 0; v < nVal; v++) {
            for (int t = 0; t < steps; t++) {
                counts[v] += valScores[v * steps + t] > tau ? 1 : 0;
            }
        }
        int c = 1 + (int) Math.ceil(io.github.tribuokd.anomaly.Quantiles.quantile(counts, 0.99));
        MahalanobisCountRule rule = MahalanobisCountRule.fit(points, tau, c);
        long t0 = System.nanoTime();
        float[] errors = new float[test.length];
        model.errorVectors(test, nTest, errors);
        double ns = (double) (System.nanoTime() - t0) / nTest;
        double[] windowScores = new double[nTest];
        boolean[] decisions = new boolean[nTest];
        double[] e = new double[m];
        double[] a = new double[steps];
        for (int i = 0; i < nTest; i++) {
            double sum = 0;
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < m; j++) {
                    e[j] = errors[(i * steps + t) * m + j];
                }
                a[t] = rule.score(e);
                sum += a[t];
            }
            windowScores[i] = sum / steps;
            decisions[i] = rule.windowIsAnomalous(a, 0, steps);
        }
        ConfusionCounts cc = ConfusionCounts.of(decisions, labels);
        // threshold of the continuous score that reproduces nothing in particular: report the count-rule P/R/F1
        // separately; AnomalyMetrics at +inf keeps its threshold-free figures
        AnomalyMetrics metrics = AnomalyMetrics.compute(windowScores, labels, Double.POSITIVE_INFINITY, seed);
        progress(String.format("%s %s: P %.3f R %.3f F1 %.3f (tau %.3g, c %d), ROC-AUC %.3f", entity, name,
                cc.precision(), cc.recall(), cc.f1(), tau, c, metrics.rocAuc()));
        return new Row(entity, name, model.numParameters(), cc, metrics, ns, windowScores, decisions);
    }

    /** A scorer with its own threshold (score > threshold). */
    private static Row evaluateScorer(String entity, String name, ScoredModel model, double threshold, float[] test,
                                      int nTest, int[] labels, long seed) {
        double[] scores = new double[nTest];
        long t0 = System.nanoTime();
        model.scoreMatrix(test, nTest, scores);
        double ns = (double) (System.nanoTime() - t0) / nTest;
        boolean[] decisions = new boolean[nTest];
        for (int i = 0; i < nTest; i++) {
            decisions[i] = scores[i] > threshold;
        }
        ConfusionCounts cc = ConfusionCounts.of(decisions, labels);
        AnomalyMetrics metrics = AnomalyMetrics.compute(scores, labels, threshold, seed);
        progress(String.format("%s %s: P %.3f R %.3f F1 %.3f, ROC-AUC %.3f", entity, name, cc.precision(),
                cc.recall(), cc.f1(), metrics.rocAuc()));
        return new Row(entity, name, model.numParameters(), cc, metrics, ns, scores, decisions);
    }

    private static String report(List<Row> rows, List<String> entities, int window, int stride, int epochs,
                                 double alpha, double temperature, double tauQ, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append("# smd-lstm: seed 000 protocol\n\n");
        sb.append(String.format("Entities: %s (a subset of SMD if fewer than its 28 machines). Windows L = %d, stride %d,"
                + " window label = any anomalous point. Epochs %d, alpha %.2f, T %.2f. Decision: Mahalanobis count rule"
                + " (tau = %.2f quantile of validation a_t, c = 1 + 99th percentile of validation counts). ROC-AUC, PR-AUC"
                + " and best F1 (oracle) use the window's mean a_t (the MLP: its score). Random: uniform scores, seed 1,"
                + " on the same window labels. Time: %.0f s.%n%n", String.join(", ", entities), window, stride, epochs,
                alpha, temperature, tauQ, seconds));
        sb.append("| entity | model | parameters | precision | recall | F1 | ROC-AUC | PR-AUC | best F1 (oracle) |"
                + " random ROC-AUC / PR-AUC | inference µs/window |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %,d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f / %.3f | %.0f |%n",
                    r.entity, r.model, r.parameters, r.counts.precision(), r.counts.recall(), r.counts.f1(),
                    r.metrics.rocAuc(), r.metrics.prAuc(), r.metrics.bestPointwise().f1(),
                    r.metrics.randomBaseline().rocAuc(), r.metrics.randomBaseline().prAuc(), r.nsPerWindow / 1e3));
        }
        sb.append("\nPooled over the entities (TP, FP, FN summed, as the seed's Table 1):\n\n");
        sb.append("| model | parameters | precision | recall | F1 |\n|---|---:|---:|---:|---:|\n");
        Map<String, long[]> pooled = new LinkedHashMap<>();
        Map<String, Long> params = new LinkedHashMap<>();
        for (Row r : rows) {
            long[] s = pooled.computeIfAbsent(r.model, k -> new long[4]);
            s[0] += r.counts.tp();
            s[1] += r.counts.fp();
            s[2] += r.counts.fn();
            s[3] += r.counts.tn();
            params.put(r.model, r.parameters);
        }
        for (Map.Entry<String, long[]> en : pooled.entrySet()) {
            long[] s = en.getValue();
            ConfusionCounts c = new ConfusionCounts(s[0], s[1], s[2], s[3]);
            sb.append(String.format("| %s | %,d | %.3f | %.3f | %.3f |%n", en.getKey(), params.get(en.getKey()),
                    c.precision(), c.recall(), c.f1()));
        }
        sb.append("\nSeed 000, Table 1 (full SMD, 28 machines): teacher P 0.27 R 0.71 F1 0.40 (1,124,201 parameters);"
                + " student P 0.35 R 0.67 F1 0.39 (482,601).\n");
        return sb.toString();
    }

    private static List<Map<String, Object>> json(List<Row> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("entity", r.entity);
            m.put("model", r.model);
            m.put("parameters", r.parameters);
            m.put("precision", r.counts.precision());
            m.put("recall", r.counts.recall());
            m.put("f1", r.counts.f1());
            m.put("inference_ns_per_window", r.nsPerWindow);
            m.put("metrics", r.metrics.toMap());
            list.add(m);
        }
        return list;
    }

    /** Seed Figure 3: the mean training loss per epoch of each model over the entities (one line per model). */
    private static void learningCurves(Path png, Map<String, double[]> curves) throws Exception {
        Map<String, double[]> mean = meanCurves(curves);
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Learning curves, mean over the entities (teacher: MSE; students: distillation loss L_S)")
                .xAxisTitle("epoch").yAxisTitle("training loss (standardised units)").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (Map.Entry<String, double[]> e : mean.entrySet()) {
            double[] y = e.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = i + 1;
            }
            chart.addSeries(e.getKey(), x, y);
        }
        try (OutputStream os = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, os, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Curves keyed "entity model" averaged per model (the part after the entity name). */
    static Map<String, double[]> meanCurves(Map<String, double[]> curves) {
        Map<String, double[]> sum = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            String model = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            double[] s = sum.computeIfAbsent(model, k -> new double[e.getValue().length]);
            for (int i = 0; i < Math.min(s.length, e.getValue().length); i++) {
                s[i] += e.getValue()[i];
            }
            count.merge(model, 1, Integer::sum);
        }
        for (Map.Entry<String, double[]> e : sum.entrySet()) {
            int c = count.get(e.getKey());
            for (int i = 0; i < e.getValue().length; i++) {
                e.getValue()[i] /= c;
            }
        }
        return sum;
    }

    private static void progress(String message) {
        System.err.println("[smd-lstm] " + message);
    }
}
