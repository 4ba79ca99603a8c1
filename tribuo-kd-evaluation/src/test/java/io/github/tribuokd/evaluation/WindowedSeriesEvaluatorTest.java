package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.PCAReconstructionModel;
import io.github.tribuokd.anomaly.PCAReconstructionTrainer;
import io.github.tribuokd.timeseries.CsvSeriesSource;
import io.github.tribuokd.timeseries.MissingValuePolicy;
import io.github.tribuokd.timeseries.SeriesScores;
import io.github.tribuokd.timeseries.WindowedSeriesDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Point-wise evaluation of a window detector through the Tribuo Evaluator. */
public class WindowedSeriesEvaluatorTest {

    /** Two correlated variables and noise; with {@code anomalies}, rows 300-319 break the correlation. */
    static Path csv(Path dir, String name, int rows, boolean anomalies, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        lines.add("a,b,label");
        for (int t = 0; t < rows; t++) {
            boolean bad = anomalies && t >= 300 && t < 320;
            double x = Math.sin(t / 9.0) + 0.05 * rng.nextGaussian();
            double y = (bad ? -2 : 2) * x + 0.05 * rng.nextGaussian();
            lines.add(x + "," + y + "," + (bad ? 1 : 0));
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    @Test
    public void evaluatesPointByPointWithProvenance(@TempDir Path dir) throws IOException {
        WindowedSeriesDataSource train = new WindowedSeriesDataSource(new CsvSeriesSource(
                csv(dir, "train.csv", 500, false, 1L), null, "label", null, MissingValuePolicy.ERROR), 4, 1);
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.9, 0.2, 0.99)
                .train(new MutableDataset<>(train));
        WindowedSeriesDataSource test = new WindowedSeriesDataSource(new CsvSeriesSource(
                csv(dir, "test.csv", 600, true, 2L), null, "label", null, MissingValuePolicy.ERROR), 4, 1);

        TimeSeriesAnomalyEvaluation evaluation = new WindowedSeriesEvaluator().evaluate(model, test);
        double[] points = SeriesScores.of(model, test.series()).pointScores();
        AnomalyMetrics expected = AnomalyMetrics.compute(points, test.series().copyLabels(), model.threshold(),
                TimeSeriesAnomalyEvaluator.DEFAULT_SEED);
        assertArrayEquals(points, evaluation.scores());
        assertEquals(expected.rocAuc(), evaluation.metrics().rocAuc());
        assertEquals(expected.pointwise().f1(), evaluation.metrics().pointwise().f1());
        assertTrue(evaluation.metrics().rocAuc() > 0.9, "the broken correlation is found: "
                + evaluation.metrics().rocAuc());
        assertEquals(600, evaluation.getPredictions().size());
        assertEquals(model.getProvenance(), evaluation.getProvenance().getModelProvenance());
        assertEquals(test.getProvenance(), evaluation.getProvenance().getTestDatasetProvenance());

        DistillationEvaluation pair = new WindowedSeriesEvaluator().compare(model, model, test,
                io.github.tribuokd.anomaly.ScoreTransform.LOG, 1e-6);
        assertEquals(0.0, pair.emdInliers(), 1e-12, "a model compared with itself");

        MutableDataset<Event> windows = new MutableDataset<>(test);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowedSeriesEvaluator().evaluate(model, windows));
        assertTrue(e.getMessage().contains("WindowedSeriesDataSource"), e.getMessage());
    }

    /** Issue 23: a metric error (here a test file labelled all normal) names the model and the file. */
    @Test
    public void metricErrorsNameTheModelAndTheFile(@TempDir Path dir) throws IOException {
        WindowedSeriesDataSource train = new WindowedSeriesDataSource(new CsvSeriesSource(
                csv(dir, "train.csv", 200, false, 1L), null, "label", null, MissingValuePolicy.ERROR), 4, 1);
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.9, 0.2, 0.99)
                .train(new MutableDataset<>(train));
        Path normal = csv(dir, "all-normal.csv", 100, false, 2L);
        WindowedSeriesDataSource test = new WindowedSeriesDataSource(new CsvSeriesSource(
                normal, null, "label", null, MissingValuePolicy.ERROR), 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowedSeriesEvaluator().evaluate(model, test));
        assertTrue(e.getMessage().contains("only one class"), e.getMessage());
        assertTrue(e.getMessage().contains("(PCAReconstructionModel)"), e.getMessage());
        assertTrue(e.getMessage().contains(normal.toString()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WindowedSeriesEvaluator().evaluate(model, test.series(), test.getProvenance()));
        assertTrue(e.getMessage().contains("(PCAReconstructionModel) on series 'all-normal'"), e.getMessage());
    }
}
