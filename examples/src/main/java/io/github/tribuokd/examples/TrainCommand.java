package io.github.tribuokd.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.anomaly.DistillationTrainer;
import io.github.tribuokd.anomaly.TeacherStudentPair;
import io.github.tribuokd.evaluation.Json;
import io.github.tribuokd.evaluation.RankCorrelation;
import io.github.tribuokd.timeseries.CsvSeriesSource;
import io.github.tribuokd.timeseries.MissingValuePolicy;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SeriesScores;
import io.github.tribuokd.timeseries.WindowedSeriesDataSource;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code train --data FILE.csv --out DIR}: trains a detector on the windows of a CSV series and writes
 * {@code DIR/model.tribuo} (the deployable model: the student of a distillation), {@code DIR/teacher.tribuo} (for a
 * distillation), {@code DIR/report.md}, {@code DIR/report.json} (with the full provenance) and
 * {@code DIR/training-scores.png}. The terminal shows the summary only.
 */
@Command(name = "train", sortOptions = false,
        description = {"Train a detector on your own CSV series (a header row; one column per variable; optional "
                + "time and label columns). The whole file is training data: it should be (mostly) normal. "
                + "The data source (file, columns, window) and the trainer are recorded in the model's provenance."})
final class TrainCommand implements Callable<Integer> {

    private static final JsonProvenanceSerialization PROVENANCE_JSON = new JsonProvenanceSerialization(true);

    /** The built-in trainer configurations. */
    static final Map<String, String> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("reconstruction", DemoCommand.DEFAULT_CONFIG);
        PRESETS.put("score-mlp", "/io/github/tribuokd/examples/presets/score-mlp.xml");
        PRESETS.put("pca", "/io/github/tribuokd/examples/presets/pca.xml");
        PRESETS.put("knn", "/io/github/tribuokd/examples/presets/knn.xml");
    }

    @Option(names = "--data", required = true, paramLabel = "FILE.csv", description = "The training series.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the model and report.")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "reconstruction",
            description = "A built-in configuration: reconstruction (dense autoencoder teacher, d-8-d autoencoder "
                    + "student; the default), score-mlp (MLP student learning the teacher's log score), pca, knn.")
    String preset;

    @Option(names = "--config", paramLabel = "FILE.xml",
            description = "An OLCUT configuration instead of a preset (see 'demo --print-config').")
    Path config;

    @Option(names = "--component", paramLabel = "NAME",
            description = "The component of the configuration to train (default: 'distillation' if present, else "
                    + "'detector').")
    String component;

    @Option(names = "--time-column", paramLabel = "NAME", description = "A timestamp column (kept as text).")
    String timeColumn;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "A 0/1 label column (1 = anomalous); the trainers refuse anomalous training windows "
                    + "unless their configuration says otherwise.")
    String labelColumn;

    @Option(names = "--variables", paramLabel = "A,B,...", split = ",",
            description = "The columns to use, in order (default: every column but the time and label columns).")
    List<String> variables;

    @Option(names = "--missing", paramLabel = "POLICY", defaultValue = "ERROR",
            description = "Missing values (empty, NaN, NA, null): ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MissingValuePolicy missing;

    @Option(names = "--window", paramLabel = "L", defaultValue = "10",
            description = "Window length in rows (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", paramLabel = "S", defaultValue = "1",
            description = "Rows between training windows (default: ${DEFAULT-VALUE}).")
    int stride;

    @Override
    public Integer call() throws Exception {
        if (window < 1 || stride < 1) {
            throw new Main.UsageException("--window and --stride must be at least 1");
        }
        if (config != null && !Files.isRegularFile(config)) {
            throw new java.nio.file.NoSuchFileException(config.toString(), null, "no such configuration file");
        }
        URL configUrl;
        String configName;
        if (config != null) {
            configUrl = config.toUri().toURL();
            configName = config.toString();
        } else {
            String resource = PRESETS.get(preset);
            if (resource == null) {
                throw new Main.UsageException("Unknown preset '" + preset + "'; the presets are " + PRESETS.keySet());
            }
            configUrl = TrainCommand.class.getResource(resource);
            configName = "preset " + preset;
        }

        // The output folder is checked before any work: a bad --out must not cost a training run.
        RunOutputs outputs = RunOutputs.directory(out, "--out", TrainCommand::progress);

        // 1. Data: the CSV's windows, as a configurable Tribuo data source (recorded in the model's provenance).
        progress("reading " + data);
        CsvSeriesSource source = new CsvSeriesSource(data, timeColumn, labelColumn, variables, missing);
        if (variables == null || variables.isEmpty()) {
            // Name the columns explicitly so that the provenance (and the score command) knows them.
            source = new CsvSeriesSource(data, timeColumn, labelColumn, source.loadCsv().variableNames(), missing);
        }
        WindowedSeriesDataSource windows = new WindowedSeriesDataSource(source, window, stride);
        MultivariateSeries series = windows.series();
        MutableDataset<Event> dataset = new MutableDataset<>(windows);
        progress(String.format(Locale.ROOT, "%d rows x %d variables -> %d windows of %d x %d = %d features",
                series.numSteps(), series.numVariables(), dataset.size(), window, series.numVariables(),
                window * series.numVariables()));

        // 2. The trainer, from the configuration.
        ConfigurationManager cm = new ConfigurationManager(configUrl.toString());
        String name = component != null ? component
                : cm.getComponentNames().contains("distillation") ? "distillation" : "detector";
        Object trainer = cm.getComponentNames().contains(name) ? cm.lookup(name) : null;
        if (!(trainer instanceof Trainer)) {
            throw new IllegalArgumentException("Component '" + name + "' of " + configName + " is "
                    + (trainer == null ? "missing" : "a " + trainer.getClass().getName()) + "; expected a Trainer<Event>"
                    + " (a DistillationTrainer, or a detector such as PCAReconstructionTrainer)");
        }
        progress("training " + trainer);
        long start = System.nanoTime();
        AbstractScoredAnomalyModel model;
        AbstractScoredAnomalyModel teacher = null;
        if (trainer instanceof DistillationTrainer) {
            TeacherStudentPair<?> pair = ((DistillationTrainer<?>) trainer).trainTeacherAndStudent(dataset,
                    Collections.emptyMap(), Trainer.INCREMENT_INVOCATION_COUNT);
            model = pair.student();
            if (pair.teacher() instanceof AbstractScoredAnomalyModel) {
                teacher = (AbstractScoredAnomalyModel) pair.teacher();
            }
        } else {
            @SuppressWarnings("unchecked")
            Model<Event> trained = ((Trainer<Event>) trainer).train(dataset);
            if (!(trained instanceof AbstractScoredAnomalyModel)) {
                throw new IllegalArgumentException("Component '" + name + "' trained a "
                        + trained.getClass().getName() + ", not a scored anomaly detector of this library");
            }
            model = (AbstractScoredAnomalyModel) trained;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (teacher != null) {
            outputs.trainingWarnings("teacher", teacher);
        }
        outputs.trainingWarnings(teacher != null ? "model (student)" : "model", model);

        // 3. Model files first, then scores on the training series, the report and the plot.
        outputs.writeModel("model.tribuo", model);
        if (teacher != null) {
            outputs.writeModel("teacher.tribuo", teacher);
        }
        SeriesScores scores = SeriesScores.of(model, series);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("data", data.toString());
        summary.put("rows", series.numSteps());
        List<String> columns = windows.variableNames();
        summary.put("variables", columns.size() <= 6 ? String.join(", ", columns)
                : columns.size() + " (" + columns.get(0) + ", " + columns.get(1) + ", ..., " + columns.get(columns.size() - 1) + ")");
        summary.put("window_length", window);
        summary.put("training_windows", dataset.size());
        summary.put("configuration", configName + ", component '" + name + "'");
        summary.put("model", model.getClass().getSimpleName());
        summary.put("parameters", model.numParameters());
        summary.put("threshold", model.threshold());
        summary.put("training_rows_flagged", Arrays.stream(scores.decisions()).sum());
        summary.put("training_seconds", seconds);
        double[][] curves;
        String[] names;
        double[] thresholds;
        if (teacher != null) {
            SeriesScores teacherScores = SeriesScores.of(teacher, series);
            summary.put("teacher_parameters", teacher.numParameters());
            summary.put("student_teacher_spearman_on_training_rows",
                    RankCorrelation.spearman(teacherScores.pointScores(), scores.pointScores()));
            curves = new double[][]{teacherScores.pointScores(), scores.pointScores()};
            names = new String[]{"teacher", "model (student)"};
            thresholds = new double[]{teacher.threshold(), model.threshold()};
        } else {
            curves = new double[][]{scores.pointScores()};
            names = new String[]{"model"};
            thresholds = new double[]{model.threshold()};
        }
        int[] labels = series.hasLabels() ? series.copyLabels() : new int[series.numSteps()];
        String markdown = markdown(summary);
        Map<String, Object> json = new LinkedHashMap<>(summary);
        json.put("model_provenance", new Json.Raw(PROVENANCE_JSON.marshalAndSerialize(model.getProvenance())));
        outputs.writeReport(json, "# tribuo-kd train\n\n" + markdown + "\n"
                + "Full provenance (data source, trainer, teacher): report.json");
        outputs.plot("training-scores.png", f -> ReportPlots.scoresOverTime(f,
                "Scores on the training series " + data, labels, names, curves, thresholds));
        outputs.finish();
        System.out.println(outputs.markdownWithWarnings(markdown));
        System.out.println("Model written to " + out.resolve("model.tribuo") + "; report in " + out);
        return Main.EXIT_OK;
    }

    static String markdown(Map<String, Object> summary) {
        StringBuilder sb = new StringBuilder("| | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            Object v = e.getValue();
            String text = v instanceof Double ? String.format(Locale.ROOT, "%.6g", (Double) v) : String.valueOf(v);
            sb.append("| ").append(e.getKey().replace('_', ' ')).append(" | ").append(text).append(" |\n");
        }
        return sb.toString();
    }

    private static void progress(String message) {
        System.err.println("[train] " + message);
    }
}
