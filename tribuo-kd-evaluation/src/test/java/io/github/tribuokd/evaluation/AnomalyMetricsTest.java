package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
