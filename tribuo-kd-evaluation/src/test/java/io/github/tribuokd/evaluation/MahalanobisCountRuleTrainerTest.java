package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.LSTMAutoencoderModel;
import io.github.tribuokd.anomaly.LSTMAutoencoderTrainer;
import io.github.tribuokd.anomaly.MahalanobisWindowRule;
import io.github.tribuokd.anomaly.Quantiles;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SlidingWindows;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)'s detector as a library Trainer: the model it returns carries the Mahalanobis count rule calibrated on
 * the validation tail, and decides exactly as the rule written out step by step here (the procedure the
 * {@code smd-lstm} command used to hold).
 */
public class MahalanobisCountRuleTrainerTest {

    private static final int M = 3;
    private static final SlidingWindows WINDOWS = new SlidingWindows(10, 2);

    private static MultivariateSeries series(String name, int steps, long seed, boolean anomalies) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] values = new float[steps * M];
        int[] labels = new int[steps];
        for (int t = 0; t < steps; t++) {
            boolean anomalous = anomalies && (t / 50) % 3 == 2 && t % 50 < 12;
            labels[t] = anomalous ? 1 : 0;
            for (int j = 0; j < M; j++) {
                double x = Math.sin(2 * Math.PI * t / 20.0 + j) + 0.05 * rng.nextGaussian();
                values[t * M + j] = (float) (anomalous && j == 0 ? x + 2.5 : x);
            }
        }
        return new MultivariateSeries(name, steps, M, values, anomalies ? labels : null);
    }

    private static LSTMAutoencoderTrainer lstm() {
        return new LSTMAutoencoderTrainer(4, 1, 32, 7L);
    }

    /** The rule written out as seed 000 states it: eq. 1 on the tail's errors, tau and c from validation. */
    private static MahalanobisCountRule ruleByHand(LSTMAutoencoderModel model, MultivariateSeries train) {
        int nTrain = WINDOWS.numWindows(train.numSteps());
        int nVal = (int) Math.floor(nTrain * 0.1);
        int w = 10 * M;
        float[] validation = new float[nVal * w];
        float[] buf = new float[w];
        for (int i = 0; i < nVal; i++) {
            WINDOWS.windowValues(train, nTrain - nVal + i, buf);
            System.arraycopy(buf, 0, validation, i * w, w);
        }
        float[] errors = new float[validation.length];
        model.errorVectors(validation, nVal, errors);
        double[][] points = new double[nVal * 10][M];
        for (int p = 0; p < points.length; p++) {
            for (int j = 0; j < M; j++) {
                points[p][j] = errors[p * M + j];
            }
        }
        MahalanobisCountRule probe = MahalanobisCountRule.fit(points, 0.0, 1);
        double[] a = probe.scores(points);
        double tau = MahalanobisCountRule.tauFromQuantile(a, 0.99);
        double[] counts = new double[nVal];
        for (int v = 0; v < nVal; v++) {
            for (int t = 0; t < 10; t++) {
                counts[v] += a[v * 10 + t] > tau ? 1 : 0;
            }
        }
        return probe.withTauAndCount(tau, 1 + (int) Math.ceil(Quantiles.quantile(counts, 0.99)));
    }

    @Test
    public void theTrainedModelCarriesSeed000sRuleAndDecidesByIt() {
        MultivariateSeries train = series("train", 600, 1L, false);
        MultivariateSeries test = series("test", 400, 2L, true);
        MutableDataset<Event> trainWindows = WINDOWS.toDataset(train, "train");
        MutableDataset<Event> testWindows = WINDOWS.toDataset(test, "test");

        LSTMAutoencoderModel detector = new MahalanobisCountRuleTrainer(lstm(), 0.99).train(trainWindows);
        LSTMAutoencoderModel plain = lstm().train(trainWindows);
        MahalanobisCountRule expected = ruleByHand(plain, train);

        MahalanobisWindowRule rule = detector.decisionRule().orElseThrow();
        assertEquals(expected.tau(), rule.tau(), 0.0);
        assertEquals(expected.minCount(), rule.minCount());
        assertArrayEquals(expected.mean(), rule.distance().mean(), 0.0);
        assertEquals(expected.minCount() - 0.5, detector.threshold(), 0.0);
        assertTrue(detector.getProvenance().getInstanceProvenance().getMap()
                .containsKey(LSTMAutoencoderModel.DECISION_RULE_PROVENANCE));

        // every test window: the model's decision is "at least c points with a_t > tau" of the hand-made rule
        int n = testWindows.size();
        float[] matrix = new float[n * 10 * M];
        float[] buf = new float[10 * M];
        for (int i = 0; i < n; i++) {
            WINDOWS.windowValues(test, i, buf);
            System.arraycopy(buf, 0, matrix, i * buf.length, buf.length);
        }
        double[] a = new double[n * 10];
        plain.withDecisionRule(expected.modelRule()).pointScores(matrix, n, a);
        int flagged = 0;
        int i = 0;
        for (Example<Event> example : testWindows) {
            boolean byHand = expected.windowIsAnomalous(a, i * 10, (i + 1) * 10);
            Event.EventType predicted = detector.predict(example).getOutput().getType();
            assertEquals(byHand ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED, predicted, "window " + i);
            flagged += byHand ? 1 : 0;
            i++;
        }
        assertTrue(flagged > 0 && flagged < n, flagged + " of " + n + " windows flagged");

        // calibrate(model, dataset), the path the smd-lstm command takes, is the same rule and the same scores a_t
        MahalanobisCountRuleTrainer.Calibration calibration = new MahalanobisCountRuleTrainer(null, 0.99)
                .calibrate(plain, trainWindows);
        assertEquals(rule.tau(), calibration.rule().tau(), 0.0);
        assertEquals(rule.minCount(), calibration.rule().minCount());
        double[] again = new double[n * 10];
        calibration.model().pointScores(matrix, n, again);
        assertArrayEquals(a, again, 0.0);
        assertEquals(calibration.validationWindows().length, (int) Math.floor(trainWindows.size() * 0.1));
    }

    @Test
    public void refusesWhatItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> new MahalanobisCountRuleTrainer(lstm(), 1.5));
        assertThrows(IllegalArgumentException.class, () -> new MahalanobisCountRuleTrainer(lstm(), 0.99, 0.99, 0.0));
        MutableDataset<Event> data = WINDOWS.toDataset(series("train", 300, 3L, false), "train");
        assertThrows(IllegalStateException.class, () -> new MahalanobisCountRuleTrainer(null, 0.99).train(data));
        assertTrue(new MahalanobisCountRuleTrainer(lstm(), 0.99).getProvenance().toString()
                .contains("LSTMAutoencoderTrainer"));
    }
}
