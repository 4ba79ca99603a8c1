package io.github.tribuokd.evaluation;

import io.github.tribuokd.evaluation.MSCREDSeriesExperiment.ModelResult;
import io.github.tribuokd.evaluation.MSCREDSeriesExperiment.Result;
import io.github.tribuokd.evaluation.MSCREDSeriesExperiment.Row;
import io.github.tribuokd.evaluation.MSCREDSeriesExperiment.Settings;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SmdEntity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed-002 protocol (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term
 * Dependency"; MSCRED: Zhang et al., AAAI 2019; docs/PAPERS.md) on a small generated two-channel series with an
 * injected anomaly in each channel's test part: one epoch, tiny networks.
 */
public class MSCREDSeriesExperimentTest {

    private static final int VARIABLES = 4;

    /** Sine waves; in the test parts, variables 0 and 1 jump by 6 for 30 points in the middle of every channel. */
    private static SmdEntity entity() {
        int[] trainParts = {400, 300};
        int[] testParts = {200, 200};
        SplittableRandom rng = new SplittableRandom(5L);
        float[] train = new float[(trainParts[0] + trainParts[1]) * VARIABLES];
        float[] test = new float[(testParts[0] + testParts[1]) * VARIABLES];
        int[] labels = new int[testParts[0] + testParts[1]];
        int t = 0;
        for (int n : trainParts) {
            for (int i = 0; i < n; i++, t++) {
                for (int j = 0; j < VARIABLES; j++) {
                    train[t * VARIABLES + j] = (float) (Math.sin(2 * Math.PI * i / 25.0 + 0.4 * j)
                            + 0.05 * rng.nextGaussian());
                }
            }
        }
        t = 0;
        for (int n : testParts) {
            for (int i = 0; i < n; i++, t++) {
                boolean anomaly = i >= n / 2 && i < n / 2 + 30;
                labels[t] = anomaly ? 1 : 0;
                for (int j = 0; j < VARIABLES; j++) {
                    test[t * VARIABLES + j] = (float) (Math.sin(2 * Math.PI * i / 25.0 + 0.4 * j)
                            + 0.05 * rng.nextGaussian() + (anomaly && j < 2 ? 6 : 0));
                }
            }
        }
        return new SmdEntity("TOY", new MultivariateSeries("TOY train", 700, VARIABLES, train),
                new MultivariateSeries("TOY test", 400, VARIABLES, test, labels), new int[]{0, 400},
                new int[]{0, 200});
    }

    private static Settings settings(int timingRepeats) {
        return new Settings(20, new int[]{10}, List.of(Row.BASE_SMALL, Row.FULL_GRU), new int[]{4, 8, 8, 8},
                new int[]{4, 8}, 4, timingRepeats, 1, 1, 1, 0.5, 0, 0, 1L, false, true);
    }

    @Test
    public void oneEpochRunReportsEveryModelAndBaseline() {
        List<String> roles = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        Result r = new MSCREDSeriesExperiment(settings(2), (role, model) -> roles.add(role), progress::add)
                .run(entity());
        assertEquals("TOY", r.entity());
        assertEquals(700, r.trainPoints());
        assertEquals(400, r.testPoints());
        assertEquals(VARIABLES, r.variables());
        assertEquals(60, r.anomalousPoints());
        assertEquals(2, r.calibrationSegments());   // both channels' tails calibrate
        assertEquals(List.of("Base (teacher), L=20", "Base_small, L=10", "Ours LTA_GRU, L=10"), roles);
        assertEquals(3, r.models().size());
        ModelResult teacher = r.models().get(0);
        assertEquals("Base (teacher)", teacher.name());
        assertEquals(20, teacher.length());
        assertEquals(List.of("Base_small", "Ours LTA_GRU"), List.of(r.models().get(1).name(),
                r.models().get(2).name()));
        for (ModelResult m : r.models()) {
            assertEquals(400, m.points());
            assertTrue(m.inputs() > 0 && m.parameters() > 0 && m.scoringSeconds() >= 0, m.toString());
            assertTrue(m.metrics().rocAuc() >= 0 && m.metrics().rocAuc() <= 1, m.toString());
            assertTrue(Double.isFinite(m.channelMeanRocAuc()), m.toString());   // both channels hold both classes
        }
        assertEquals(10, r.models().get(1).length());
        assertTrue(r.models().get(1).parameters() < teacher.parameters());
        // the two timing rounds ran (timingRepeats 2)
        assertTrue(progress.contains("timing round 2 of 2 done"), progress.toString());
        assertEquals(2, r.baselines().size());
        // a jump of 6 standard deviations: the distance from the training mean ranks it first
        AnomalyMetrics distance = r.baselines().values().iterator().next();
        assertTrue(distance.rocAuc() > 0.95, "" + distance.rocAuc());
        assertTrue(r.baselineChannelMeans().values().stream().allMatch(Double::isFinite));

        Result again = new MSCREDSeriesExperiment(settings(1), (role, model) -> { }, line -> { }).run(entity());
        assertEquals(r.baselines().keySet(), again.baselines().keySet());
        for (int i = 0; i < 3; i++) {
            ModelResult a = r.models().get(i);
            ModelResult b = again.models().get(i);
            assertTrue(sameValues(a.metrics().toMap(), b.metrics().toMap()), a.name());
            assertEquals(a.energyRocAuc(), b.energyRocAuc(), 0.0, a.name());
            assertEquals(a.channelMeanRocAuc(), b.channelMeanRocAuc(), 0.0, a.name());
            assertEquals(a.parameters(), b.parameters());
            assertEquals(a.inputs(), b.inputs());
        }
    }

    /** Equal maps, arrays and nested maps compared by content. */
    private static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            Object x = a.get(k);
            Object y = b.get(k);
            boolean same = x instanceof Map && y instanceof Map
                    ? sameValues(cast(x), cast(y)) : Objects.deepEquals(x, y);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    @Test
    public void channelMeanRocAucRanksWithinEachChannel() {
        // channel 0: perfectly ranked; channel 1: inverted; channel 2: one class only (left out)
        double[] scores = {0.1, 0.2, 0.9, 0.8, /**/ 5, 6, 1, 2, /**/ 3, 3};
        int[] labels = {0, 0, 1, 1, /**/ 0, 0, 1, 1, /**/ 0, 0};
        assertEquals(0.5, MSCREDSeriesExperiment.channelMeanRocAuc(scores, labels, new int[]{0, 4, 8}), 1e-12);
        // one part: no per-channel figure
        assertTrue(Double.isNaN(MSCREDSeriesExperiment.channelMeanRocAuc(scores, labels, new int[]{0})));
        // channel 1 with one tie between classes: (3 + 0.5) / 4 pairs
        double[] tied = {0.1, 0.2, 0.9, 0.8, /**/ 1, 3, 2, 1, /**/ 3, 3};
        assertEquals((1.0 + 0.375) / 2, MSCREDSeriesExperiment.channelMeanRocAuc(tied, labels, new int[]{0, 4, 8}),
                1e-12);
    }

    @Test
    public void rowsAndSettings() {
        assertEquals(0.5, Row.AD.attentionWeight(0.5), 0.0);
        assertEquals(0.0, Row.LTA_LSTM.attentionWeight(0.5), 0.0);
        assertEquals("GRU", Row.FULL_GRU.accumulator());
        assertEquals("Ours LTA_GRU", Row.FULL_GRU.label());
        assertThrows(IllegalArgumentException.class, () -> new Settings(20, new int[]{10}, List.of(Row.AD),
                new int[]{4, 8, 8, 8}, new int[]{4, 6}, 4, 1, 1, 1, 1, 0.5, 0, 0, 1L, false, true));
        assertThrows(IllegalArgumentException.class, () -> new Settings(20, new int[]{10}, List.of(Row.AD),
                new int[]{4, 8, 8, 8}, new int[]{4, 8}, 4, 0, 1, 1, 1, 0.5, 0, 0, 1L, false, true));
        // a test series shorter than one input of the longest model is refused before training
        Settings tooLong = new Settings(800, new int[]{10}, List.of(Row.AD), new int[]{4, 8, 8, 8}, new int[]{4, 8},
                4, 1, 1, 1, 1, 0.5, 0, 0, 1L, false, true);
        assertThrows(IllegalArgumentException.class,
                () -> new MSCREDSeriesExperiment(tooLong, (role, model) -> { }, line -> { }).run(entity()));
    }
}
