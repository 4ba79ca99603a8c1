package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class AnomalyMetricsTest {

    /** The shared-sort path gives exactly what each metric gives on its own. */
    @Test
    public void equalsTheIndividualMetrics() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 100; trial++) {
            int n = 20 + rng.nextInt(500);
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = (i / 7) % 5 == 0 ? 1 : 0;
                s[i] = rng.nextInt(30) + y[i] * rng.nextInt(10);
            }
            double theta = rng.nextInt(35);
            AnomalyMetrics m = AnomalyMetrics.compute(s, y, theta, 3L);
            assertEquals(RocAuc.compute(s, y), m.rocAuc(), 0.0);
            assertEquals(AveragePrecision.compute(s, y), m.prAuc(), 0.0);
            assertEquals(BestF1.pointwise(s, y).f1(), m.bestPointwise().f1(), 0.0);
            assertEquals(BestF1.pointwise(s, y).threshold(), m.bestPointwise().threshold(), 0.0);
            assertEquals(BestF1.pointAdjusted(s, y).f1(), m.bestPointAdjusted().f1(), 0.0);
            assertEquals(PointwiseF1.at(s, y, theta), m.pointwise());
            assertEquals(PointAdjustment.at(s, y, theta), m.pointAdjusted());
            assertEquals(PaKF1.at(s, y, theta).area(), m.paK().area(), 0.0);
            AnomalyMetrics r = m.randomBaseline();
            assertEquals(m.pointwise().tp() + m.pointwise().fp(), r.pointwise().tp() + r.pointwise().fp());
            assertEquals(RocAuc.compute(RandomScoreBaseline.uniformScores(n, 3L), y), r.rocAuc(), 0.0);
        }
    }

    /** TSB-AD's metrics inside AnomalyMetrics equal the classes called one by one, for the model and baseline. */
    @Test
    public void tsbAdMetricsEqualTheIndividualClasses() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int trial = 0; trial < 30; trial++) {
            int n = 20 + rng.nextInt(400);
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = (i / 9) % 4 == 0 ? 1 : 0;
                s[i] = rng.nextInt(30) + y[i] * rng.nextInt(10);
            }
            double theta = rng.nextInt(35);
            int window = rng.nextInt(30);
            AnomalyMetrics m = AnomalyMetrics.compute(s, y, theta, 3L, window);
            assertEquals(window, m.window());
            VolumeUnderSurface.Result v = VolumeUnderSurface.compute(s, y, window);
            assertEquals(v.vusPr(), m.vusPr(), 0.0);
            assertEquals(v.vusRoc(), m.vusRoc(), 0.0);
            assertEquals(RangeBasedF1.at(s, y, theta).f1(), m.rangeBased().f1(), 0.0);
            assertEquals(EventBasedF1.at(s, y, theta).f1(), m.eventBased().f1(), 0.0);
            assertEquals(AffiliationMetrics.at(s, y, theta).f(), m.affiliation().f(), 0.0);
            assertEquals(RangeBasedF1.bestOverThresholds(s, y).value(), m.bestRangeBased().value(), 0.0);
            assertEquals(EventBasedF1.bestOverThresholds(s, y).value(), m.bestEventBased().value(), 0.0);
            assertEquals(AffiliationMetrics.bestOverThresholds(s, y).value(), m.bestAffiliation().value(), 0.0);
            assertEquals(AffiliationMetrics.bestOverThresholds(s, y).threshold(), m.bestAffiliation().threshold(),
                    0.0);
            AnomalyMetrics r = m.randomBaseline();
            double[] random = RandomScoreBaseline.uniformScores(n, 3L);
            assertEquals(VolumeUnderSurface.compute(random, y, window).vusPr(), r.vusPr(), 0.0);
            assertEquals(window, r.window());
        }
        double[] s = {0.1, 0.9, 0.2, 0.3, 0.1, 0.8};
        int[] y = {0, 1, 0, 0, 0, 1};
        assertEquals(VolumeUnderSurface.DEFAULT_WINDOW, AnomalyMetrics.compute(s, y, 0.5, 1L).window());
    }

    /** The new keys sit beside the existing ones, whose values do not change. */
    @Test
    public void mapHasTheTsbAdKeysBesideTheExistingOnes() {
        double[] s = PointAdjustmentTest.GOLDEN_SCORES;
        int[] y = PointAdjustmentTest.GOLDEN_LABELS;
        AnomalyMetrics m = AnomalyMetrics.compute(s, y, 0.5, 1L, 4);
        java.util.Map<String, Object> map = m.toMap();
        assertEquals(0.4, (Double) map.get("f1_pointwise"), 1e-12);
        assertEquals(0.9333333333333333, (Double) map.get("f1_pa"), 1e-12);
        for (String key : new String[]{"vus_pr", "vus_roc", "vus_window", "f1_event", "f1_range", "affiliation_f",
                "best_f1_event", "best_f1_range", "best_affiliation_f"}) {
            assertTrue(map.containsKey(key), key);
            assertTrue(((java.util.Map<?, ?>) map.get("random_baseline")).containsKey(key), key);
        }
        assertEquals(4, map.get("vus_window"));
        assertEquals(m.vusPr(), (Double) map.get("vus_pr"), 0.0);
        String md = m.toMarkdown("t");
        assertTrue(md.contains("| scores | VUS-PR | VUS-ROC | ROC-AUC | PR-AUC |"), md);
        assertTrue(md.contains("0..4"), md);
    }

    @Test
    public void badInput() {
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.compute(new double[]{1, 2}, new int[]{0, 1}, Double.NaN, 1L));
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.compute(new double[]{1, 2}, new int[]{1, 1}, 0.5, 1L));
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.compute(new double[]{1, 2, 3}, new int[]{0, 1}, 0.5, 1L));
    }
}
