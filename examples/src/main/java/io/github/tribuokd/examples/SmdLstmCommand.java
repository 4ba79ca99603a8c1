package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.DistilledAnomalyModel;
import io.github.tribuokd.anomaly.LSTMAutoencoderModel;
import io.github.tribuokd.anomaly.LSTMAutoencoderTrainer;
import io.github.tribuokd.anomaly.MLPRegressionTrainer;
import io.github.tribuokd.anomaly.ReconstructionDistillationTrainer;
import io.github.tribuokd.anomaly.ScoreDistillationTrainer;
import io.github.tribuokd.evaluation.ConfusionCounts;
import io.github.tribuokd.evaluation.CountRuleEvaluation;
import io.github.tribuokd.evaluation.DriftCountRuleSearch;
import io.github.tribuokd.evaluation.LabelledSplit;
import io.github.tribuokd.evaluation.MahalanobisCountRuleTrainer;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
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
 * {@code smd-lstm}: the protocol of seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) on any SMD-layout dataset: LSTM encoder-decoder teacher,
 * students distilled from its reconstructions (and, for comparison, the seed-001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md) route: a small regression student on
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
                "A second rule follows Malhotra et al. 2016: the first --labelled-fraction of the test series is a labelled",
                "validation part on which tau and c maximise the window F1 (the MLP: its threshold maximises F1). Both rules",
                "are evaluated on the rest of the test series only (windows that start after the labelled part ends).",
                "Rule D divides a_t by the median mean a_t of the --drift-history windows before (no labels). Rule G divides",
                "by the median of K windows ending G windows before, calibrates tau and c on the normalised validation",
                "windows (quantiles q_tau, q_c) and takes (K, G, q_tau, q_c) from a grid of 360, the setting with the best",
                "pooled F1 on the labelled parts, one setting for all LSTM autoencoders together (DriftCountRuleSearch).",
                "Window scores for ROC-AUC, PR-AUC and best F1: the mean a_t of the window.",
                "",
                "Options:",
                "  --data DIR              SMD-layout dataset (required)",
                "  --entities A,B,...      entities (default: all in DIR/train)",
                "  --window L              window length (default 100)",
                "  --stride S              stride (default 10)",
                "  --teacher-hidden H      teacher LSTM size (default 352: 1,114,470 parameters for 38 variables)",
                "  --student-hidden H,...  student LSTM sizes (default 225,64,32; none: the teacher and the MLP only)",
                "  --epochs N              teacher and student epochs (default 5)",
                "  --batch B               windows per minibatch (default 64)",
                "  --alpha A --temperature T   distillation loss weights (default 0.35, 1.5)",
                "  --tau-quantile q        (default 0.99)",
                "  --drift-history K       rule D: a_t divided by the median mean a_t of the K windows before (default 30)",
                "  --min-scale s           floor on the standardisation scale of each variable (default 0: none)",
                "  --labelled-fraction f   labelled validation part of each test series (default 0.3; 0: none, the",
                "                          normal-validation rule is then evaluated on the whole test series)",
                "  --max-train-rows N / --max-test-rows N   use only the first N rows (default all)",
                "  --seed N                (default 12345)",
                "  --dump-point-scores DIR write every model's a_t (validation and test, float32 little-endian) and the",
                "                          window labels there, for analysis outside the program",
                "  --out DIR               report.md, report.json, learning-curves.png (default tribuo-kd-smd-lstm)");
    }

    /** One evaluated model on one entity. */
    static final class Row {
        final String entity;
        final CountRuleEvaluation evaluation;

        Row(String entity, CountRuleEvaluation evaluation) {
            this.entity = entity;
            this.evaluation = evaluation;
        }
    }

    @Override
    public int run(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args);
        Path data = Options.dataDir(o);
        List<String> entities = o.containsKey("--entities") ? Arrays.asList(o.get("--entities").split(","))
                : SmdLoader.listEntities(data);
        int window = Options.intOpt(o, "--window", 100), stride = Options.intOpt(o, "--stride", 10);
        int teacherH = Options.intOpt(o, "--teacher-hidden", 352), epochs = Options.intOpt(o, "--epochs", 5);
        int batch = Options.intOpt(o, "--batch", 64);
        String studentList = o.getOrDefault("--student-hidden", "225,64,32");
        int[] studentH = studentList.equals("none") ? new int[0]
                : Arrays.stream(studentList.split(",")).mapToInt(Integer::parseInt).toArray();
        double alpha = Double.parseDouble(o.getOrDefault("--alpha", "0.35"));
        double temperature = Double.parseDouble(o.getOrDefault("--temperature", "1.5"));
        double tauQ = Double.parseDouble(o.getOrDefault("--tau-quantile", "0.99"));
        double minScale = Double.parseDouble(o.getOrDefault("--min-scale", "0"));
        double labelledFraction = Double.parseDouble(o.getOrDefault("--labelled-fraction", "0.3"));
        if (!(labelledFraction >= 0 && labelledFraction < 1)) {
            throw new Main.UsageException("--labelled-fraction must be in [0, 1), found " + labelledFraction);
        }
        int maxTrain = Options.intOpt(o, "--max-train-rows", 0), maxTest = Options.intOpt(o, "--max-test-rows", 0);
        long seed = Long.parseLong(o.getOrDefault("--seed", "12345"));
        Path out = Path.of(o.getOrDefault("--out", "tribuo-kd-smd-lstm"));
        int driftHistory = Options.intOpt(o, "--drift-history", 30);
        if (driftHistory < 1) {
            throw new Main.UsageException("--drift-history must be at least 1, found " + driftHistory);
        }
        Path dumpDir = o.containsKey("--dump-point-scores") ? Path.of(o.get("--dump-point-scores")) : null;
        // Outputs are checked before any work: a bad --out must not cost a training run.
        if (dumpDir != null) {
            RunOutputs.checkDirectory(dumpDir, "--dump-point-scores");
        }
        RunOutputs outputs = RunOutputs.directory(out, "--out", SmdLstmCommand::progress);

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
            windows.requireWindows(train, e.trainSource());
            int nTest = windows.requireWindows(test, e.testSource());
            MutableDataset<Event> trainWindows = windows.toDataset(train, entity + " train");
            int m = train.numVariables(), w = window * m;
            float[] testMatrix = new float[nTest * w];
            float[] buf = new float[w];
            for (int i = 0; i < nTest; i++) {
                windows.windowValues(test, i, buf);
                System.arraycopy(buf, 0, testMatrix, i * w, w);
            }
            int[] labels = windows.windowLabels(test);
            LabelledSplit split = LabelledSplit.of(windows, test.numSteps(), labelledFraction, labels);
            int nTrain = trainWindows.size();
            int fit = nTrain - (int) Math.floor(nTrain * 0.1);
            float[] validation = new float[(nTrain - fit) * w];
            for (int i = fit; i < nTrain; i++) {
                windows.windowValues(train, i, buf);
                System.arraycopy(buf, 0, validation, (i - fit) * w, w);
            }
            progress(entity + ": " + nTrain + " training windows, " + nTest + " test windows ("
                    + Arrays.stream(labels).sum() + " anomalous); labelled validation " + split.numLabelled()
                    + " windows (" + split.labelledPositives() + " anomalous), evaluation " + split.numEvaluation()
                    + " windows (" + split.evaluationPositives() + " anomalous)");

            LSTMAutoencoderTrainer teacherTrainer = new LSTMAutoencoderTrainer(teacherH, epochs, batch,
                    new AdamOptimiser(1e-3), seed, 0.1, 0.99, minScale);
            LSTMAutoencoderModel teacher = teacherTrainer.train(trainWindows);
            outputs.trainingWarnings(entity + " teacher", teacher);
            curves.put(entity + " teacher", teacher.trainingLoss());
            // seed 000's detector: the model carries rule N, calibrated on the validation tail
            MahalanobisCountRuleTrainer ruleN = new MahalanobisCountRuleTrainer(null, tauQ);
            rows.add(evaluate(entity, "teacher LSTM-AE H=" + teacherH, ruleN.calibrate(teacher, trainWindows),
                    testMatrix, nTest, split, tauQ, driftHistory, seed, dumpDir));
            for (int h : studentH) {
                LSTMAutoencoderModel student = new ReconstructionDistillationTrainer(null, h, alpha, temperature, epochs,
                        batch, new AdamOptimiser(1e-3), seed, 0.1, 0.99).distil(teacher, trainWindows);
                outputs.trainingWarnings(entity + " student H=" + h, student);
                curves.put(entity + " student H=" + h, student.trainingLoss());
                rows.add(evaluate(entity, "student LSTM-AE H=" + h + " (reconstruction KD)",
                        ruleN.calibrate(student, trainWindows), testMatrix, nTest, split, tauQ, driftHistory, seed,
                        dumpDir));
            }
            DistilledAnomalyModel regression = new ScoreDistillationTrainer(null, new MLPRegressionTrainer(
                    new int[]{16}, Activation.RELU, LossFunction.MAE, Math.max(10, epochs * 4), 100, seed))
                    .distil(teacher, trainWindows);
            outputs.trainingWarnings(entity + " student MLP", regression);
            CountRuleEvaluation mlp = CountRuleEvaluation.ofScorer("student MLP " + w + "-16-1 on log score (seed 001)",
                    regression, regression.threshold(), validation, testMatrix, nTest, split, tauQ, driftHistory, seed);
            progress(entity + " " + mlp.model() + ": " + summary(mlp));
            rows.add(new Row(entity, mlp));
        }
        Map<Boolean, CountRuleEvaluation.GridChoice> ruleG = chooseRuleG(rows);
        String report = report(rows, ruleG, entities, window, stride, epochs, alpha, temperature, tauQ,
                labelledFraction, driftHistory, (System.nanoTime() - start) / 1e9);
        Map<String, Object> reportJson = new LinkedHashMap<>();
        reportJson.put("rows", json(rows, ruleG));
        reportJson.put("learning_curves", new LinkedHashMap<String, Object>(curves));
        // The report first; a plot that cannot be drawn is skipped with a warning (RunOutputs).
        outputs.writeReport(reportJson, report);
        outputs.plot("learning-curves.png", f -> {
            learningCurves(f, curves);
            return "";
        });
        System.out.println(outputs.finish());
        return 0;
    }

    /**
     * Rule G: one setting of {@link DriftCountRuleSearch#defaultGrid()} for the Mahalanobis-scored models together
     * (teacher and reconstruction students: one rule for the comparison the seed makes) and one for the scalar
     * scorers, each chosen on the pooled labelled windows of every entity. Absent (empty map) without a labelled
     * part or without an anomaly in it.
     */
    static Map<Boolean, CountRuleEvaluation.GridChoice> chooseRuleG(List<Row> rows) {
        Map<Boolean, CountRuleEvaluation.GridChoice> choices = new LinkedHashMap<>();
        for (boolean mahalanobis : new boolean[]{true, false}) {
            List<CountRuleEvaluation> group = new ArrayList<>();
            for (Row r : rows) {
                if (r.evaluation.mahalanobis() == mahalanobis) {
                    group.add(r.evaluation);
                }
            }
            try {
                CountRuleEvaluation.GridChoice choice = CountRuleEvaluation.chooseSetting(group);
                if (choice != null) {
                    choices.put(mahalanobis, choice);
                }
            } catch (IllegalArgumentException e) {
                progress("rule G not chosen: " + e.getMessage());
            }
        }
        return choices;
    }

    /** Rule G's confusion counts on the evaluation windows of a row (null when rule G was not chosen). */
    private static ConfusionCounts ruleGCounts(Row r, Map<Boolean, CountRuleEvaluation.GridChoice> ruleG) {
        DriftCountRuleSearch.Outcome g = r.evaluation.ruleG(ruleG.get(r.evaluation.mahalanobis()));
        return g == null ? null : g.evaluation();
    }

    private static String prf(ConfusionCounts c) {
        return c == null ? "-" : String.format("%.3f / %.3f / %.3f", c.precision(), c.recall(), c.f1());
    }

    /**
     * Evaluates an LSTM autoencoder carrying rule N under rules N, V, D and G, and says so on the terminal; with
     * {@code --dump-point-scores}, writes its point scores there.
     */
    private static Row evaluate(String entity, String name, MahalanobisCountRuleTrainer.Calibration calibrated,
                                float[] test, int nTest, LabelledSplit split, double tauQ, int driftHistory, long seed,
                                Path dumpDir) throws java.io.IOException {
        CountRuleEvaluation.PointScoreSink sink = dumpDir == null ? null
                : (validation, windows, labels) -> dump(dumpDir, entity, name, validation, windows, labels);
        CountRuleEvaluation evaluation = CountRuleEvaluation.ofCountRule(name, calibrated, test, nTest, split, tauQ,
                driftHistory, seed, sink);
        progress(entity + " " + name + ": " + summary(evaluation));
        return new Row(entity, evaluation);
    }

    /** One line of figures for the terminal. */
    private static String summary(CountRuleEvaluation e) {
        ConfusionCounts n = e.normal(), v = e.labelled(), d = e.drift();
        return String.format("rule N P %.3f R %.3f F1 %.3f (%s); rule V F1 %s [%s]; rule D P %.3f R %.3f F1 %.3f [%s];"
                        + " ROC-AUC %.3f", n.precision(), n.recall(), n.f1(), e.normalRule(),
                v == null ? "-" : String.format("%.3f", v.f1()), e.labelledRule(), d.precision(), d.recall(), d.f1(),
                e.driftRule(), e.metrics().rocAuc());
    }

    private static String report(List<Row> rows, Map<Boolean, CountRuleEvaluation.GridChoice> ruleG,
                                 List<String> entities, int window, int stride, int epochs, double alpha,
                                 double temperature, double tauQ, double labelledFraction, int driftHistory,
                                 double seconds) {
        boolean hasG = !ruleG.isEmpty();
        boolean labelled = labelledFraction > 0;
        StringBuilder sb = new StringBuilder();
        sb.append("# smd-lstm: seed 000 protocol\n\n");
        sb.append(String.format("Entities: %s (a subset of SMD if fewer than its 28 machines). Windows L = %d, stride %d,"
                + " window label = any anomalous point. Epochs %d, alpha %.2f, T %.2f. Time: %.0f s.%n%n",
                String.join(", ", entities), window, stride, epochs, alpha, temperature, seconds));
        sb.append(String.format("Rule N (normal validation, no labels): Mahalanobis count rule with tau = %.2f quantile of"
                + " the validation a_t (last 10%% of the training windows), c = 1 + 99th percentile of the validation"
                + " windows' counts (the MLP: its own threshold, 0.99 quantile of its validation scores).%n", tauQ));
        if (labelled) {
            sb.append(String.format("Rule V (labelled validation, Malhotra et al. 2016): tau and c maximise the window F1"
                    + " on the first %.0f%% of each test series (the MLP: the threshold maximising F1 there); without an"
                    + " anomaly there, c flags none of its windows.%n", 100 * labelledFraction));
        }
        sb.append(String.format("Rule D (drift-normalised, no labels; our addition): rule N on a_t divided by the median"
                    + " mean a_t of the %d windows before (DriftNormaliser; the test series continues the validation"
                    + " tail), calibrated the same way on the normalised validation windows (the MLP: its scores,"
                    + " threshold = their 0.99 quantile).%n", driftHistory));
        if (hasG) {
            sb.append("Rule G (gapped drift normalisation, settings chosen on the labelled part; our addition): rule N on"
                    + " a_t divided by the median mean a_t of K windows ending G windows before (DriftNormaliser with a"
                    + " gap), tau = the q_tau quantile of the normalised validation a_t, c = 1 + the q_c quantile of the"
                    + " validation windows' counts; (K, G, q_tau, q_c) from a grid of 360 (DriftCountRuleSearch"
                    + ".defaultGrid), the one whose pooled window F1 on the labelled parts, averaged over the models, is"
                    + " highest: one setting for all LSTM autoencoders together, one for the MLP.\n");
        }
        if (labelled) {
            sb.append("Every figure below is measured on the rest of the test series only (windows starting after the"
                    + " labelled part).\n");
        }
        sb.append("VUS-PR, VUS-ROC (TSB-AD's metrics, buffer lengths 0..100 over the series of windows), ROC-AUC, PR-AUC"
                + " and best F1 (oracle) use the window's mean a_t (the MLP: its score). Random: uniform"
                + " scores, seed 1, on the same window labels.\n\n");
        sb.append("| entity | model | parameters | rule N P / R / F1 |" + (labelled ? " rule V P / R / F1 | rule V |" : "")
                + " rule D P / R / F1 |" + (hasG ? " rule G P / R / F1 |" : "")
                + " VUS-PR | VUS-ROC | ROC-AUC | PR-AUC | best F1 (oracle) | random VUS-PR | random ROC-AUC / PR-AUC"
                + " | inference µs/window |\n"
                + "|---|---|---:|---:|" + (labelled ? "---:|---|" : "") + "---:|" + (hasG ? "---:|" : "")
                + "---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %,d | %.3f / %.3f / %.3f |", r.entity, r.evaluation.model(), r.evaluation.parameters(),
                    r.evaluation.normal().precision(), r.evaluation.normal().recall(), r.evaluation.normal().f1()));
            if (labelled) {
                sb.append(String.format(" %.3f / %.3f / %.3f | %s |", r.evaluation.labelled().precision(),
                        r.evaluation.labelled().recall(), r.evaluation.labelled().f1(), r.evaluation.labelledRule()));
            }
            sb.append(String.format(" %.3f / %.3f / %.3f |", r.evaluation.drift().precision(), r.evaluation.drift().recall(),
                    r.evaluation.drift().f1()));
            if (hasG) {
                sb.append(' ').append(prf(ruleGCounts(r, ruleG))).append(" |");
            }
            sb.append(String.format(" %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f / %.3f | %.0f |%n",
                    r.evaluation.metrics().vusPr(), r.evaluation.metrics().vusRoc(), r.evaluation.metrics().rocAuc(), r.evaluation.metrics().prAuc(),
                    r.evaluation.metrics().bestPointwise().f1(), r.evaluation.metrics().randomBaseline().vusPr(),
                    r.evaluation.metrics().randomBaseline().rocAuc(), r.evaluation.metrics().randomBaseline().prAuc(), r.evaluation.nsPerWindow() / 1e3));
        }
        sb.append("\nPooled over the entities (TP, FP, FN summed, as the seed's Table 1):\n\n");
        sb.append("| model | parameters | rule N precision | rule N recall | rule N F1 |"
                + (labelled ? " rule V precision | rule V recall | rule V F1 |" : "")
                + " rule D precision | rule D recall | rule D F1 |"
                + (hasG ? " rule G precision | rule G recall | rule G F1 |" : "") + "\n|---|---:|---:|---:|---:|"
                + (labelled ? "---:|---:|---:|" : "") + "---:|---:|---:|" + (hasG ? "---:|---:|---:|" : "") + "\n");
        Map<String, ConfusionCounts> pooled = new LinkedHashMap<>();
        Map<String, ConfusionCounts> pooledLabelled = new LinkedHashMap<>();
        Map<String, ConfusionCounts> pooledDrift = new LinkedHashMap<>();
        Map<String, ConfusionCounts> pooledG = new LinkedHashMap<>();
        Map<String, Long> params = new LinkedHashMap<>();
        for (Row r : rows) {
            ConfusionCounts g = ruleGCounts(r, ruleG);
            if (g != null) {
                pooledG.merge(r.evaluation.model(), g, ConfusionCounts::plus);
            }
            pooled.merge(r.evaluation.model(), r.evaluation.normal(), ConfusionCounts::plus);
            pooledDrift.merge(r.evaluation.model(), r.evaluation.drift(), ConfusionCounts::plus);
            if (labelled) {
                pooledLabelled.merge(r.evaluation.model(), r.evaluation.labelled(), ConfusionCounts::plus);
            }
            params.put(r.evaluation.model(), r.evaluation.parameters());
        }
        for (Map.Entry<String, ConfusionCounts> en : pooled.entrySet()) {
            ConfusionCounts c = en.getValue();
            sb.append(String.format("| %s | %,d | %.3f | %.3f | %.3f |", en.getKey(), params.get(en.getKey()),
                    c.precision(), c.recall(), c.f1()));
            if (labelled) {
                ConfusionCounts v = pooledLabelled.get(en.getKey());
                sb.append(String.format(" %.3f | %.3f | %.3f |", v.precision(), v.recall(), v.f1()));
            }
            ConfusionCounts d = pooledDrift.get(en.getKey());
            sb.append(String.format(" %.3f | %.3f | %.3f |", d.precision(), d.recall(), d.f1()));
            if (hasG) {
                ConfusionCounts g = pooledG.get(en.getKey());
                sb.append(g == null ? " - | - | - |" : String.format(" %.3f | %.3f | %.3f |", g.precision(),
                        g.recall(), g.f1()));
            }
            sb.append('\n');
        }
        if (hasG) {
            sb.append("\nRule G, the selection (criterion: the pooled labelled-part F1 averaged over the models of the"
                    + " group; the five best settings of the grid, the chosen one first):\n\n"
                    + "| group | rank | K | G | q_tau | q_c | criterion |\n|---|---:|---:|---:|---:|---:|---:|\n");
            List<DriftCountRuleSearch.Setting> grid = DriftCountRuleSearch.defaultGrid();
            for (Map.Entry<Boolean, CountRuleEvaluation.GridChoice> e : ruleG.entrySet()) {
                double[] criterion = e.getValue().meanLabelledF1();
                Integer[] order = new Integer[criterion.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                // stable sort: ties keep grid order, so the chosen (first best) setting comes first
                Arrays.sort(order, (x, y) -> Double.compare(criterion[y], criterion[x]));
                for (int rank = 0; rank < Math.min(5, order.length); rank++) {
                    DriftCountRuleSearch.Setting st = grid.get(order[rank]);
                    sb.append(String.format("| %s | %d | %d | %d | %s | %s | %.3f |%n",
                            e.getKey() ? "LSTM autoencoders (Mahalanobis a_t)" : "MLP (scalar score)", rank + 1,
                            st.history(), st.gap(), st.tauQuantile(), st.countQuantile(),
                            criterion[order[rank]]));
                }
            }
        }
        sb.append("\nSeed 000, Table 1 (full SMD, 28 machines): teacher P 0.27 R 0.71 F1 0.40 (1,124,201 parameters);"
                + " student P 0.35 R 0.67 F1 0.39 (482,601).\n");
        return sb.toString();
    }

    private static void dump(Path dumpDir, String entity, String model, double[] validation, double[][] test,
                             int[] labels) throws java.io.IOException {
        String stem = entity + "__" + model.replaceAll("[^A-Za-z0-9=]+", "_");
        int steps = test.length == 0 ? 0 : test[0].length;
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * (validation.length + test.length * steps))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : validation) {
            buf.putFloat((float) v);
        }
        for (double[] row : test) {
            for (double v : row) {
                buf.putFloat((float) v);
            }
        }
        Files.write(dumpDir.resolve(stem + ".f32"), buf.array());
        Files.writeString(dumpDir.resolve(stem + ".json"), "{\"validation_points\": " + validation.length
                + ", \"test_windows\": " + test.length + ", \"steps\": " + steps + ", \"labels\": "
                + Arrays.toString(labels) + "}\n");
    }

    private static List<Map<String, Object>> json(List<Row> rows, Map<Boolean, CountRuleEvaluation.GridChoice> ruleG) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("entity", r.entity);
            m.put("model", r.evaluation.model());
            m.put("parameters", r.evaluation.parameters());
            m.put("precision", r.evaluation.normal().precision());
            m.put("recall", r.evaluation.normal().recall());
            m.put("f1", r.evaluation.normal().f1());
            m.put("drift_rule", r.evaluation.driftRule());
            m.put("drift_precision", r.evaluation.drift().precision());
            m.put("drift_recall", r.evaluation.drift().recall());
            m.put("drift_f1", r.evaluation.drift().f1());
            ConfusionCounts g = ruleGCounts(r, ruleG);
            if (g != null) {
                m.put("gapped_drift_rule", r.evaluation.ruleG(ruleG.get(r.evaluation.mahalanobis())).toString());
                m.put("gapped_drift_precision", g.precision());
                m.put("gapped_drift_recall", g.recall());
                m.put("gapped_drift_f1", g.f1());
            }
            if (r.evaluation.labelled() != null) {
                m.put("labelled_rule", r.evaluation.labelledRule());
                m.put("labelled_precision", r.evaluation.labelled().precision());
                m.put("labelled_recall", r.evaluation.labelled().recall());
                m.put("labelled_f1", r.evaluation.labelled().f1());
            }
            m.put("inference_ns_per_window", r.evaluation.nsPerWindow());
            m.put("metrics", r.evaluation.metrics().toMap());
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
