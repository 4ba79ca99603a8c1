package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.AutoencoderModel;
import io.github.tribuokd.anomaly.DenseAutoencoderTrainer;
import io.github.tribuokd.anomaly.DenseReconstructionDistillationTrainer;
import io.github.tribuokd.evaluation.TimeSeriesAnomalyEvaluation;
import io.github.tribuokd.evaluation.WindowedSeriesEvaluator;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.timeseries.CsvSeriesSource;
import io.github.tribuokd.timeseries.MissingValuePolicy;
import io.github.tribuokd.timeseries.SeriesScores;
import io.github.tribuokd.timeseries.WindowedSeriesDataSource;
import io.github.tribuokd.timeseries.WindowedSeriesModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java of README.md's "Your own data" section, as written there, on CSV files cut from examples/data (2,000
 * training rows, the 6,000 test rows; all 38 columns).
 */
public class DeploymentQuickStartTest {

    @Test
    public void readmeTrainScoreExport(@TempDir Path dir) throws Exception {
        CommandsTest.csv(dir.resolve("train.csv"), "machine-1-2-train.csv.gz", 2000, 38, false);
        CommandsTest.csv(dir.resolve("test.csv"), "machine-1-2-test.csv.gz", 6000, 38, true);
        run(dir);
    }

    /** The README's {@code Path.of(name)}, in the test's temporary folder. */
    private static Path Path_of(Path dir, String name) {
        return dir.resolve(name);
    }

    private static void run(Path dir) throws Exception {
        // --- README "Your own data" (Path.of("x") written as Path_of(dir, "x")) ---
        // train: the CSV's windows as a configurable Tribuo DataSource (recorded in the model's provenance)
        CsvSeriesSource trainCsv = new CsvSeriesSource(Path_of(dir, "train.csv"), "minute", null, null,
                MissingValuePolicy.ERROR);
        WindowedSeriesDataSource trainWindows = new WindowedSeriesDataSource(trainCsv, 10, 1);
        Trainer<Event> teacher = new DenseAutoencoderTrainer(new int[]{64, 16}, Activation.TANH, 15, 128,
                new AdamOptimiser(1e-3), 12345L, 0.1, 0.99);
        AutoencoderModel model = new DenseReconstructionDistillationTrainer(teacher, new int[]{8}, Activation.TANH,
                1.0, 1.0, 15, 128, new AdamOptimiser(1e-3), 12345L, 0.1, 0.99)
                .train(new MutableDataset<>(trainWindows));
        model.serializeToFile(Path_of(dir, "model.tribuo"));

        // score: every row of a new CSV, read with the columns the model was trained on
        WindowedSeriesModel trained = WindowedSeriesModel.load(Path_of(dir, "model.tribuo"));
        CsvSeriesSource testCsv = new CsvSeriesSource(Path_of(dir, "test.csv"), "minute", "label",
                trained.variables(), MissingValuePolicy.ERROR);
        WindowedSeriesDataSource testWindows = new WindowedSeriesDataSource(testCsv, trained.windowLength(), 1);
        SeriesScores scores = trained.score(testWindows.series());        // scores.score(t), scores.anomalous(t)
        TimeSeriesAnomalyEvaluation evaluation = new WindowedSeriesEvaluator().evaluate(trained.model(), testWindows);

        // export: score and decision in one graph, window length and column names in its metadata
        Files.write(Path_of(dir, "model.onnx"), trained.exportOnnx("org.example", 1).toByteArray());
        // --- end ---
        assertEquals(6000, scores.numPoints());
        assertEquals(38, trained.variables().size());
        assertTrue(evaluation.metrics().rocAuc() > 0.6, "ROC-AUC " + evaluation.metrics().rocAuc());
        assertEquals(evaluation.scores()[4700], scores.score(4700));
        assertTrue(Files.size(Path_of(dir, "model.onnx")) > 0);
    }
}
