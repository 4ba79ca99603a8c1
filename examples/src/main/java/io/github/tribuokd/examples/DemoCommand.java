package io.github.tribuokd.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import io.github.tribuokd.anomaly.AutoencoderModel;
import io.github.tribuokd.anomaly.DistilledAnomalyModel;
import io.github.tribuokd.anomaly.MLPRegressionModel;
import io.github.tribuokd.anomaly.DistillationTrainer;
import io.github.tribuokd.anomaly.ScoreTransform;
import io.github.tribuokd.anomaly.ScoredModel;
import io.github.tribuokd.anomaly.ScoringSpeed;
import io.github.tribuokd.anomaly.TeacherStudentPair;
import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.evaluation.DistillationEvaluation;
import io.github.tribuokd.evaluation.FidelityProbe;
import io.github.tribuokd.evaluation.Json;
import io.github.tribuokd.evaluation.WindowBaselines;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.PointScores;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default job: trains a dense-autoencoder teacher on one SMD-layout entity, distils it into a small student
 * (score regression, seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)) and reports teacher vs student: size, ROC-AUC, PR-AUC, EMD between their score
 * distributions on inliers and outliers, a random-score baseline, and scoring time per window.
 * <p>
 * Data: the training series of the entity, cut into sliding windows (length {@code --window}, stride
 * {@code --stride}), in time order: the first 90% fit the teacher and the student, the last 10% set the
 * thresholds. Test: every window of the test series (stride 1); the score of point t is the score of the window
 * ending at t, and the first L−1 points take the first window's score (docs/EVALUATION.md, "Conventions").
 */
final class DemoCommand implements Main.Command {

    static final String DEFAULT_ENTITY = "machine-1-2";
    static final String DEFAULT_CONFIG = "/io/github/tribuokd/examples/demo-config.xml";

    @Override
    public String summary() {
        return "train a teacher, distil a student, and report teacher vs student on an SMD-layout dataset";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: java -jar examples/target/tribuo-kd.jar demo [options]",
                "",
                "Trains the teacher and student of an OLCUT configuration on one entity of an SMD-layout dataset",
                "(train/, test/, test_label/) and prints a teacher-vs-student report.",
                "",
                "Options:",
                "  --data DIR           SMD-layout dataset folder (default: the SMD machine embedded in the jar)",
                "  --entity NAME        entity to use (default " + DEFAULT_ENTITY + "; --data needs it or --entities)",
                "  --entities all|A,B   run every entity of --data (or the listed ones) in turn and write a summary",
                "                       table (summary.md, summary.json; one report folder per entity under --out)",
                "  --no-baselines       skip the detectors that need no deep learning (PCA, k-NN)",
                "  --config FILE        OLCUT configuration file (default: the built-in demo-config.xml)",
                "  --trainer NAME       component of the configuration to train (default: distillation)",
                "  --window L           window length in time steps (default 10)",
                "  --stride S           stride of the training windows (default 1; test windows use 1)",
                "  --max-train-rows N   use only the first N training rows (default: all)",
                "  --max-test-rows N    use only the first N test rows (default: all)",
                "  --seed N             seed of the random-score baseline (default 1)",
                "  --out DIR            where report.json, report.md and the models go (default tribuo-kd-demo)",
                "  --print-config       print the built-in configuration and exit");
    }

    @Override
    public int run(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.printConfig) {
            try (InputStream in = DemoCommand.class.getResourceAsStream(DEFAULT_CONFIG)) {
                System.out.print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return 0;
        }
        RunOutputs.checkDirectory(o.out, "--out");   // before any work: a bad --out must not cost a training run
        if (o.entities != null) {
            DemoSummary summary = runEntities(o);
            System.out.println(summary.markdown());
            System.out.println("Summary written to " + o.out.resolve("summary.md") + " and "
                    + o.out.resolve("summary.json"));
            return summary.numFailed() == 0 ? 0 : 1;
        }
        Report report = run(o);
        System.out.println(report.markdown);
        System.out.println("Report written to " + o.out.resolve("report.md") + " and " + o.out.resolve("report.json")
                + " (with the full provenance of both models)");
        return 0;
    }

    /** The outputs of one demo run. */
    static final class Report {
        final TeacherStudentPair<?> pair;
        final Map<String, Object> json;
        final String markdown;
        final double[] teacherWindowScores;
        final double[] studentWindowScores;

        Report(TeacherStudentPair<?> pair, Map<String, Object> json, String markdown, double[] teacherWindowScores,
               double[] studentWindowScores) {
            this.pair = pair;
            this.json = json;
            this.markdown = markdown;
            this.teacherWindowScores = teacherWindowScores;
            this.studentWindowScores = studentWindowScores;
        }
    }

    /**
     * Runs the job on every entity of {@code o.entities} in turn, each into {@code o.out/<entity>}, and writes the
     * summary table. Entities whose test part has one class only are skipped and named in the summary.
     */
    static DemoSummary runEntities(Options o) throws Exception {
        List<String> names = o.entities.equals("all") ? SmdLoader.listEntities(o.data)
                : Arrays.asList(o.entities.split(","));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("No entities in " + o.data.resolve(SmdLoader.TRAIN_DIR));
        }
        DemoSummary summary = new DemoSummary(o.data.toString());
        long start = System.nanoTime();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim();
            Options one = o.forEntity(name, o.out.resolve(name));
            progress(String.format("entity %d/%d: %s (%.0f s so far)", i + 1, names.size(), name,
                    (System.nanoTime() - start) / 1e9));
            try {
                summary.add(name, run(one).json);
            } catch (OneClassTestException e) {
                progress("skipping " + name + ": " + e.getMessage());
                summary.skip(name, e.getMessage());
            } catch (RuntimeException | IOException e) {
                // One entity's failure must not lose the others: it is named in the summary and the exit code.
                progress("FAILED " + name + ": " + e);
                summary.fail(name, String.valueOf(e));
            }
        }
        RunOutputs.checkDirectory(o.out, "--out");
        RunOutputs.writeAtomically(o.out.resolve("summary.md"), f -> Files.writeString(f, summary.markdown() + "\n"));
        RunOutputs.writeAtomically(o.out.resolve("summary.json"),
                f -> Files.writeString(f, Json.write(summary.toMap()) + "\n"));
        return summary;
    }

    /** A test part with one class only: ROC-AUC and PR-AUC are undefined. */
    static final class OneClassTestException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OneClassTestException(String message) {
            super(message);
        }
    }

    static Report run(Options o) throws Exception {
        long start = System.nanoTime();
        RunOutputs outputs = RunOutputs.directory(o.out, "--out", DemoCommand::progress);
        // 1. Data.
        Path dataDir = o.data;
        String source;
        if (dataDir == null) {
            dataDir = extractEmbedded(o.entity);
            source = "SMD " + o.entity + " (embedded in the jar; Su et al., KDD 2019, MIT)";
        } else {
            source = dataDir + " entity " + o.entity;
        }
        progress("loading " + source);
        SmdEntity entity = SmdLoader.load(dataDir, o.entity);
        MultivariateSeries train = entity.train();
        MultivariateSeries test = entity.test();
        if (o.maxTrainRows > 0 && o.maxTrainRows < train.numSteps()) {
            train = train.slice(0, o.maxTrainRows);
        }
        if (o.maxTestRows > 0 && o.maxTestRows < test.numSteps()) {
            test = test.slice(0, o.maxTestRows);
        }
        int[] labels = test.copyLabels();
        int anomalous = Arrays.stream(labels).sum();
        if (anomalous == 0 || anomalous == labels.length) {
            throw new OneClassTestException("The test part of " + o.entity + " has " + anomalous + " anomalous of "
                    + labels.length + " points: ROC-AUC and PR-AUC need both classes");
        }
        SlidingWindows trainWindows = new SlidingWindows(o.window, o.stride);
        SlidingWindows testWindows = new SlidingWindows(o.window, 1);
        // Before training: a series too short for one window is reported by file, not after the work.
        trainWindows.requireWindows(train, entity.trainSource());
        testWindows.requireWindows(test, entity.testSource());
        MutableDataset<Event> trainData = trainWindows.toDataset(train, source + " train");
        progress(String.format("%d training rows -> %d windows of %d x %d = %d features", train.numSteps(),
                trainData.size(), o.window, train.numVariables(), o.window * train.numVariables()));

        // 2. Configuration and training.
        ConfigurationManager cm = o.config == null
                ? new ConfigurationManager(DemoCommand.class.getResource(DEFAULT_CONFIG).toString())
                : new ConfigurationManager(o.config.toString());
        Object component = cm.lookup(o.trainer);
        if (!(component instanceof DistillationTrainer)) {
            throw new IllegalArgumentException("Component '" + o.trainer + "' of "
                    + (o.config == null ? "the built-in configuration" : o.config) + " is "
                    + (component == null ? "missing" : "a " + component.getClass().getName())
                    + ", expected a DistillationTrainer (e.g. ScoreDistillationTrainer or "
                    + "DenseReconstructionDistillationTrainer)");
        }
        DistillationTrainer<?> kd = (DistillationTrainer<?>) component;
        progress("training: " + kd);
        long trainStart = System.nanoTime();
        TeacherStudentPair<?> pair = kd.trainTeacherAndStudent(trainData, Collections.emptyMap(),
                Trainer.INCREMENT_INVOCATION_COUNT);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        Model<Event> teacher = pair.teacher();
        AbstractScoredAnomalyModel student = pair.student();
        outputs.trainingWarnings("teacher", teacher);
        outputs.trainingWarnings("student", student);
        // The scale in which EMD and fidelity compare scores: the student's regression target when it has one.
        ScoreTransform transform = student instanceof DistilledAnomalyModel
                ? ((DistilledAnomalyModel) student).scoreTransform() : ScoreTransform.LOG;
        double epsilon = student instanceof DistilledAnomalyModel ? ((DistilledAnomalyModel) student).epsilon() : 1e-6;

        // 3. Scoring the test windows through the zero-copy matrix path.
        int numWindows = testWindows.numWindows(test.numSteps());
        checkLayout(student.getFeatureIDMap(), testWindows.featureNames(test.numVariables()));
        float[] matrix = testWindows.windowMatrix(test, 0, numWindows);
        if (!(teacher instanceof ScoredModel)) {
            throw new IllegalArgumentException("The demo compares teachers of this library (ScoredModel); "
                    + teacher.getClass().getName() + " is not one");
        }
        ScoredModel scoredTeacher = (ScoredModel) teacher;
        double[] teacherWindows = new double[numWindows];
        double[] studentWindows = new double[numWindows];
        double teacherNs = ScoringSpeed.nanosPerRow(scoredTeacher, matrix, numWindows, teacherWindows);
        double studentNs = ScoringSpeed.nanosPerRow(student, matrix, numWindows, studentWindows);
        double[] teacherPoints = PointScores.fromWindowScores(teacherWindows, o.window, test.numSteps());
        double[] studentPoints = PointScores.fromWindowScores(studentWindows, o.window, test.numSteps());

        // 4. Metrics: every metric of both models, their differences, EMD, size and speed.
        double teacherThreshold = thresholdOf(teacher);
        DistillationEvaluation evaluation = DistillationEvaluation.compare(teacherPoints, teacherThreshold,
                studentPoints, student.threshold(), labels,
                v -> transform.toTarget(Math.max(v, 0), epsilon),
                transform == ScoreTransform.LOG ? "ln(score + " + epsilon + ")" : "raw score",
                scoredTeacher.numParameters(), student.numParameters(), teacherNs, studentNs, o.seed);

        // 5. Fidelity without labels: the calibration tail and exposed inputs made from it (held aside: the student
        //    never trained on them, and the seed differs from any trainer's).
        int numTrain = trainData.size();
        int tail = Math.max(1, (int) Math.floor(numTrain * kd.calibrationFraction()));
        float[] tailRows = trainWindows.windowMatrix(train, numTrain - tail, tail);
        Map<String, Object> fidelity = FidelityProbe.measure(scoredTeacher, student, tailRows, tail,
                student.getFeatureIDMap(), o.seed, v -> transform.toTarget(Math.max(v, 0), epsilon));

        // 6. Detectors that need no deep learning, on the same windows, split and threshold rule.
        Map<String, Object> baselines = new LinkedHashMap<>();
        if (o.baselines) {
            for (WindowBaselines.Baseline baseline : WindowBaselines.defaults(kd.minScale())) {
                progress("baseline " + baseline.trainer());
                WindowBaselines.Result result = WindowBaselines.evaluate(baseline, trainData, matrix, numWindows,
                        o.window, test.numSteps(), labels, o.seed);
                outputs.trainingWarnings("baseline " + baseline.name(), result.model());
                baselines.put(baseline.name(), result.toMap());
            }
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("entity", o.entity);
        json.put("data", source);
        json.put("split", "train: first " + train.numSteps() + " rows of the train file, windows in time order, "
                + "first 90% fit / last 10% calibrate thresholds; test: " + test.numSteps() + " rows of the test file");
        json.put("window_length", o.window);
        json.put("train_stride", o.stride);
        json.put("train_windows", trainData.size());
        json.put("test_points", test.numSteps());
        json.put("test_anomalous_points", anomalous);
        json.put("point_score_rule", "score of the window ending at t; the first L-1 points take the first "
                + "window's score");
        json.put("threshold_rule", "each model's 0.99 quantile of its scores on the calibration tail "
                + "(configurable); random baselines flag as many points as the model they stand beside");
        json.put("scoring_time_rule", "ns per window through ScoredModel.scoreMatrix, one thread, fastest of 3 "
                + "passes after a warm-up");
        json.putAll(evaluation.toMap());
        json.put("fidelity", fidelity);
        json.put("fidelity_rule", "Spearman's rho and EMD (in the student's target scale) between teacher and "
                + "student scores, no labels: on the calibration tail (the last " + tail + " training windows) and "
                + "on as many exposed inputs made from it (Gaussian noise, time-series anomalies, mixtures; seed "
                + "differs from training)");
        json.put("baselines", baselines);
        json.put("training_seconds", trainSeconds);
        json.put("total_seconds", (System.nanoTime() - start) / 1e9);
        JsonProvenanceSerialization ser = new JsonProvenanceSerialization(true);
        json.put("teacher_provenance", new Json.Raw(ser.marshalAndSerialize(teacher.getProvenance())));
        json.put("distilled_provenance", new Json.Raw(ser.marshalAndSerialize(student.getProvenance())));

        // Models, then the report, then the plots: a plot that cannot be drawn must never lose a finished run.
        outputs.writeModel("teacher.tribuo", teacher);
        outputs.writeModel("student.tribuo", student);
        boolean exportable = student instanceof DistilledAnomalyModel
                ? ((DistilledAnomalyModel) student).isONNXExportable() : student instanceof org.tribuo.ONNXExportable;
        if (exportable) {
            outputs.write("student.onnx", f -> ((org.tribuo.ONNXExportable) student).saveONNXModel(
                    "io.github.tribuokd.demo", 1, f));
        }
        outputs.writeReport(json, markdown(json, evaluation, teacher, student, trainSeconds) + extrasMarkdown(json));
        String[] names = {"teacher", "student"};
        double[][] both = {teacherPoints, studentPoints};
        outputs.plot("scores.png", f -> ReportPlots.scoresOverTime(f,
                "Teacher and student scores on " + o.entity + " (test)", labels, names, both,
                new double[]{teacherThreshold, student.threshold()}));
        outputs.plot("roc.png", f -> ReportPlots.roc(f, "ROC on " + o.entity + " (test, point-wise)", labels, names,
                both));
        outputs.plot("pr.png", f -> ReportPlots.precisionRecall(f, "Precision-recall on " + o.entity + " (test)",
                labels, names, both));
        outputs.plot("teacher-vs-student.png", f -> ReportPlots.teacherVsStudent(f,
                "Teacher vs student scores, " + o.entity + " (test)", labels, teacherPoints, studentPoints));
        String markdown = outputs.finish();
        json.put("warnings", outputs.warnings());
        return new Report(pair, json, markdown, teacherWindows, studentWindows);
    }

    private static double thresholdOf(Model<Event> teacher) {
        return teacher instanceof AutoencoderModel ? ((AutoencoderModel) teacher).threshold() : Double.NaN;
    }

    private static void checkLayout(ImmutableFeatureMap map, String[] names) {
        if (map.size() != names.length) {
            throw new IllegalStateException("The model has " + map.size() + " features, the test windows "
                    + names.length);
        }
        for (int i = 0; i < names.length; i++) {
            if (!map.get(i).getName().equals(names[i])) {
                throw new IllegalStateException("Feature id " + i + " is '" + map.get(i).getName()
                        + "' in the model but '" + names[i] + "' in the window layout");
            }
        }
    }

    private static String markdown(Map<String, Object> json, DistillationEvaluation evaluation, Model<Event> teacher,
                                   AbstractScoredAnomalyModel student, double trainSeconds) {
        String teacherName = teacher instanceof AutoencoderModel
                ? "teacher: dense AE " + join(((AutoencoderModel) teacher).layerSizes()) : "teacher";
        String studentName;
        if (student instanceof AutoencoderModel) {
            studentName = "student: dense AE " + join(((AutoencoderModel) student).layerSizes());
        } else if (student instanceof DistilledAnomalyModel
                && ((DistilledAnomalyModel) student).student() instanceof MLPRegressionModel) {
            studentName = "student: MLP "
                    + join(((MLPRegressionModel) ((DistilledAnomalyModel) student).student()).layerSizes());
        } else {
            studentName = "student: " + (student instanceof DistilledAnomalyModel
                    ? ((DistilledAnomalyModel) student).student() : student).getClass().getSimpleName();
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# tribuo-kd demo: teacher vs distilled student\n\n");
        sb.append("- Data: ").append(json.get("data")).append('\n');
        sb.append("- Split: ").append(json.get("split")).append('\n');
        sb.append(String.format("- Windows: length %s, training stride %s (%s windows); test: %s points, %s "
                        + "anomalous (%.2f%%)%n", json.get("window_length"), json.get("train_stride"),
                json.get("train_windows"), json.get("test_points"), json.get("test_anomalous_points"),
                100.0 * ((Number) json.get("test_anomalous_points")).doubleValue()
                        / ((Number) json.get("test_points")).doubleValue()));
        sb.append("- Point scores: ").append(json.get("point_score_rule")).append('\n');
        sb.append("- Thresholds: ").append(json.get("threshold_rule")).append('\n');
        sb.append("- Scoring time: ").append(json.get("scoring_time_rule")).append("\n\n");
        sb.append(evaluation.toMarkdown(teacherName, studentName));
        sb.append(String.format("%nPA = point-adjusted; PA%%K area over K = 0..100; best F1 uses the test labels "
                + "(oracle). Training took %.1f s; the whole job %.1f s.%n", trainSeconds,
                (Double) json.get("total_seconds")));
        sb.append("Plots: scores.png, roc.png, pr.png, teacher-vs-student.png.\n");
        return sb.toString();
    }

    /** The fidelity lines and the rows of the detectors that need no deep learning. */
    @SuppressWarnings("unchecked")
    private static String extrasMarkdown(Map<String, Object> json) {
        StringBuilder sb = new StringBuilder("\n");
        Map<String, Object> fidelity = (Map<String, Object>) json.get("fidelity");
        Map<String, Object> tail = (Map<String, Object>) fidelity.get("calibration_tail");
        Map<String, Object> exposed = (Map<String, Object>) fidelity.get("exposed_held_aside");
        sb.append(String.format(java.util.Locale.ROOT, "Fidelity (no labels): Spearman teacher vs student %.4f on "
                        + "the calibration tail, %.4f on %s held-aside exposed inputs; EMD %.4f and %.4f.%n",
                tail.get("spearman"), exposed.get("spearman"), exposed.get("inputs"), tail.get("emd"),
                exposed.get("emd")));
        Map<String, Object> baselines = (Map<String, Object>) json.get("baselines");
        if (!baselines.isEmpty()) {
            sb.append("\nDetectors that need no deep learning (same windows, split and threshold rule):\n\n");
            sb.append("| detector | VUS-PR | VUS-ROC | ROC-AUC | PR-AUC | F1 point-wise | F1 PA | PA%K area | training s "
                    + "| ns per window |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, Object> e : baselines.entrySet()) {
                Map<String, Object> m = (Map<String, Object>) e.getValue();
                sb.append(String.format(java.util.Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f "
                                + "| %.1f | %.0f |%n", m.get("detector"), m.get("vus_pr"), m.get("vus_roc"),
                        m.get("roc_auc"), m.get("pr_auc"), m.get("f1_pointwise"), m.get("f1_pa"),
                        m.get("pak_area"), m.get("training_seconds"), m.get("scoring_ns_per_example")));
            }
        }
        return sb.toString();
    }

    private static String join(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        return sb.toString();
    }

    static Path extractEmbedded(String entity) throws IOException {
        if (!entity.equals(DEFAULT_ENTITY)) {
            throw new IllegalArgumentException("Only " + DEFAULT_ENTITY + " is embedded; pass --data DIR for '"
                    + entity + "'");
        }
        Path dir = Files.createTempDirectory("tribuo-kd-smd");
        for (String rel : new String[]{"train/" + entity + ".txt.gz", "test/" + entity + ".txt.gz",
                "test_label/" + entity + ".txt"}) {
            URL url = DemoCommand.class.getResource("/data/SMD/" + rel);
            if (url == null) {
                throw new IOException("The embedded dataset is missing /data/SMD/" + rel + " from the jar");
            }
            Path target = dir.resolve(rel);
            Files.createDirectories(target.getParent());
            try (InputStream in = url.openStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            target.toFile().deleteOnExit();
        }
        return dir;
    }

    private static void progress(String message) {
        System.err.println("[demo] " + message);
    }

    /** Parsed command-line options. */
    static final class Options {
        Path data;
        String entity = DEFAULT_ENTITY;
        Path config;
        String trainer = "distillation";
        int window = 10;
        int stride = 1;
        int maxTrainRows;
        int maxTestRows;
        long seed = 1;
        Path out = Path.of("tribuo-kd-demo");
        boolean printConfig;
        String entities;
        boolean baselines = true;

        /** These options for one entity, written to {@code out}. */
        Options forEntity(String name, Path entityOut) {
            Options c = new Options();
            c.data = data;
            c.entity = name;
            c.config = config;
            c.trainer = trainer;
            c.window = window;
            c.stride = stride;
            c.maxTrainRows = maxTrainRows;
            c.maxTestRows = maxTestRows;
            c.seed = seed;
            c.out = entityOut;
            c.baselines = baselines;
            return c;
        }

        static Options parse(String[] args) throws Main.UsageException {
            Options o = new Options();
            boolean entityGiven = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--print-config")) {
                    o.printConfig = true;
                    continue;
                }
                if (a.equals("--no-baselines")) {
                    o.baselines = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new Main.UsageException("Option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--data": o.data = Path.of(v); break;
                    case "--entity": o.entity = v; entityGiven = true; break;
                    case "--entities": o.entities = v; break;
                    case "--config": o.config = Path.of(v); break;
                    case "--trainer": o.trainer = v; break;
                    case "--window": o.window = positive(a, v); break;
                    case "--stride": o.stride = positive(a, v); break;
                    case "--max-train-rows": o.maxTrainRows = positive(a, v); break;
                    case "--max-test-rows": o.maxTestRows = positive(a, v); break;
                    case "--seed": o.seed = Long.parseLong(v); break;
                    case "--out": o.out = Path.of(v); break;
                    default: throw new Main.UsageException("Unknown option " + a);
                }
            }
            if (o.entities != null && o.data == null) {
                throw new Main.UsageException("--entities needs --data DIR");
            }
            if (o.entities != null && entityGiven) {
                throw new Main.UsageException("Give --entity NAME or --entities all|A,B, not both");
            }
            if (o.entities != null && o.entities.isBlank()) {
                throw new Main.UsageException("--entities needs 'all' or a comma-separated list of entities");
            }
            if (o.data != null && !entityGiven && o.entities == null) {
                throw new Main.UsageException("--data needs --entity (e.g. --entity machine-1-1 or --entity C-1) "
                        + "or --entities all");
            }
            if (o.config != null && !Files.isRegularFile(o.config)) {
                throw new Main.UsageException("No configuration file at " + o.config.toAbsolutePath());
            }
            return o;
        }

        private static int positive(String option, String value) throws Main.UsageException {
            try {
                int v = Integer.parseInt(value);
                if (v < 1) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new Main.UsageException(option + " needs a positive integer, found '" + value + "'");
            }
        }
    }
}
