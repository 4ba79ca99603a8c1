package io.github.tribuokd.timeseries;

import io.github.tribuokd.anomaly.PCAReconstructionModel;
import io.github.tribuokd.anomaly.PCAReconstructionTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SeriesScores} against scoring each window's example, {@link WindowedSeriesModel} reading the columns of a
 * model trained on "every column" back from the provenance, and the variable-name encoding.
 */
public class SeriesScoresTest {

    static Path csv(Path dir, int rows, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        lines.add("time,\"a,1\",b,c");
        for (int t = 0; t < rows; t++) {
            double x = Math.sin(t / 7.0) + 0.1 * rng.nextGaussian();
            lines.add(t + "," + x + "," + (2 * x + 0.1 * rng.nextGaussian()) + "," + rng.nextGaussian());
        }
        Path file = dir.resolve("s" + seed + ".csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    public void pointScoresAreTheWindowScoresOfTheModelMappedToPoints(@TempDir Path dir) throws IOException {
        WindowedSeriesDataSource source = new WindowedSeriesDataSource(
                new CsvSeriesSource(csv(dir, 400, 1L), "time", null, null, MissingValuePolicy.ERROR), 6, 1);
        MutableDataset<Event> data = new MutableDataset<>(source);
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.9, 0.2, 0.95).train(data);

        MultivariateSeries series = source.series();
        SeriesScores scores = SeriesScores.of(model, series);
        List<Example<Event>> windows = new ArrayList<>();
        data.forEach(windows::add);
        double[] expected = model.scores(windows);
        assertEquals(400, scores.numPoints());
        for (int t = 0; t < 400; t++) {
            double window = expected[Math.max(0, t - 5)];
            assertEquals(window, scores.score(t), 1e-12, "point " + t);
            assertEquals(window > model.threshold(), scores.anomalous(t));
        }

        WindowedSeriesModel described = WindowedSeriesModel.of(model);
        assertEquals(List.of("a,1", "b", "c"), described.variables(), "names with a comma survive the provenance");
        assertEquals(6, described.windowLength());
        assertEquals("time", described.timeColumn().orElseThrow());

        MultivariateSeries twoVariables = new MultivariateSeries("x", 10, 2, new float[20]);
        assertThrows(IllegalArgumentException.class, () -> SeriesScores.of(model, twoVariables));
        MultivariateSeries tooShort = series.slice(0, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeriesScores.of(model, tooShort));
        assertTrue(e.getMessage().contains("fewer than one window"), e.getMessage());
    }

    @Test
    public void variableNamesEncodeAndDecode() {
        List<String> names = List.of("plain", "a,b", "back\\slash", "", "end\\");
        assertEquals(names, SeriesSourceProvenance.decode(SeriesSourceProvenance.encode(names)));
        assertEquals(List.of(), SeriesSourceProvenance.decode(""));
    }
}
