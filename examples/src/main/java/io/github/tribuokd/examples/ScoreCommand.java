package io.github.tribuokd.examples;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import io.github.tribuokd.evaluation.Json;
import io.github.tribuokd.evaluation.TimeSeriesAnomalyEvaluation;
import io.github.tribuokd.evaluation.WindowedSeriesEvaluator;
import io.github.tribuokd.timeseries.CsvSeriesLoader;
import io.github.tribuokd.timeseries.CsvSeriesSource;
import io.github.tribuokd.timeseries.MissingValuePolicy;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SeriesScores;
import io.github.tribuokd.timeseries.WindowedSeriesDataSource;
import io.github.tribuokd.timeseries.WindowedSeriesModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code score --model DIR/model.tribuo --data FILE.csv --out SCORES.csv}: scores every row of a CSV with a trained
 * model (the columns it was trained on, found by name) and writes one line per input row, {@code row,score,anomalous}
 * (with {@code timestamp} after {@code row} when the CSV has a time column). With a label column, every metric goes
 * to {@code SCORES.json} next to the scores.
 */
@Command(name = "score", sortOptions = false,
        description = {"Score every row of a CSV series with a model written by train. Columns are found by the "
                + "names the model was trained on; extra columns are ignored. A row's score is that of the window "
                + "ending at it (the first window-1 rows take the first window's score); 'anomalous' is score > the "
                + "model's threshold. With a label column, every metric is written to the .json beside --out."})
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv", description = "The series to score.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "SCORES.csv", description = "The scores to write.")
    Path out;

    @Option(names = "--time-column", paramLabel = "NAME",
            description = "A timestamp column copied to the output (default: the training CSV's, if this file has it).")
    String timeColumn;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "A 0/1 label column to evaluate against (default: the training CSV's, if this file has it).")
    String labelColumn;

    @Option(names = "--missing", paramLabel = "POLICY", defaultValue = "ERROR",
            description = "Missing values: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MissingValuePolicy missing;

    private static final JsonProvenanceSerialization PROVENANCE_JSON = new JsonProvenanceSerialization(true);

    @Override
    public Integer call() throws Exception {
        RunOutputs.checkFile(out, "--out");   // before any work
        WindowedSeriesModel trained = WindowedSeriesModel.load(model);
        List<String> header = CsvSeriesLoader.header(data);
        String time = timeColumn != null ? timeColumn : trained.timeColumn().filter(header::contains).orElse(null);
        String label = labelColumn != null ? labelColumn
                : trained.labelColumn().filter(header::contains).orElse(null);
        progress("reading " + data + " (" + trained.variables().size() + " columns the model was trained on)");
        CsvSeriesSource source = new CsvSeriesSource(data, time, label, trained.variables(), missing);
        WindowedSeriesDataSource windows = new WindowedSeriesDataSource(source, trained.windowLength(), 1);
        MultivariateSeries series = windows.series();
        long start = System.nanoTime();
        SeriesScores scores = trained.score(series);
        double seconds = (System.nanoTime() - start) / 1e9;
        Optional<List<String>> timestamps = source.loadCsv().timestamps();

        RunOutputs.writeAtomically(out, file -> writeScores(file, scores, timestamps));
        int flagged = 0;
        for (int t = 0; t < scores.numPoints(); t++) {
            flagged += scores.anomalous(t) ? 1 : 0;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", model + " (" + trained.model().getClass().getSimpleName() + ")");
        summary.put("data", data.toString());
        summary.put("rows", series.numSteps());
        summary.put("window_length", trained.windowLength());
        summary.put("threshold", trained.model().threshold());
        summary.put("rows_flagged", flagged);
        summary.put("scoring_seconds", seconds);
        if (series.hasLabels()) {
            TimeSeriesAnomalyEvaluation evaluation = new WindowedSeriesEvaluator().evaluate(trained.model(), windows);
            Path json = siblingJson(out);
            Map<String, Object> report = new LinkedHashMap<>(summary);
            report.put("label_column", label);
            report.put("metrics", evaluation.metrics().toMap());
            report.put("threshold_rule", evaluation.thresholdRule());
            report.put("evaluation_provenance",
                    new Json.Raw(PROVENANCE_JSON.marshalAndSerialize(evaluation.getProvenance())));
            RunOutputs.writeAtomically(json, file -> Files.writeString(file, Json.write(report) + "\n"));
            summary.put("vus_pr", evaluation.metrics().vusPr());
            summary.put("vus_roc", evaluation.metrics().vusRoc());
            summary.put("roc_auc", evaluation.metrics().rocAuc());
            summary.put("pr_auc", evaluation.metrics().prAuc());
            summary.put("pointwise_f1", evaluation.metrics().pointwise().f1());
            summary.put("metrics_file", json.toString());
        }
        System.out.println(TrainCommand.markdown(summary));
        System.out.println("Scores written to " + out);
        return Main.EXIT_OK;
    }

    /** Writes {@code row[,timestamp],score,anomalous} lines. */
    private static void writeScores(Path file, SeriesScores scores, Optional<List<String>> timestamps)
            throws java.io.IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write(timestamps.isPresent() ? "row,timestamp,score,anomalous\n" : "row,score,anomalous\n");
            for (int t = 0; t < scores.numPoints(); t++) {
                w.write(Integer.toString(t));
                w.write(',');
                if (timestamps.isPresent()) {
                    w.write(csvField(timestamps.get().get(t)));
                    w.write(',');
                }
                w.write(Double.toString(scores.score(t)));
                w.write(scores.anomalous(t) ? ",1\n" : ",0\n");
            }
        }
    }

    /** {@code SCORES.csv} → {@code SCORES.json} (appends {@code .json} to a name without {@code .csv}). */
    static Path siblingJson(Path csv) {
        String name = csv.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csv.resolveSibling(base + ".json");
    }

    private static String csvField(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static void progress(String message) {
        System.err.println("[score] " + message);
    }
}
