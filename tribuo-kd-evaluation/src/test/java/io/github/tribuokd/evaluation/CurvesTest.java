package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class CurvesTest {

    @Test
    public void goldenRocPoints() {
        Curves.Curve roc = Curves.roc(new double[]{.1, .4, .35, .8}, new int[]{0, 0, 1, 1});
        assertArrayEquals(new double[]{0, 0, 0.5, 0.5, 1}, roc.x(), 1e-12);
        assertArrayEquals(new double[]{0, 0.5, 0.5, 1, 1}, roc.y(), 1e-12);
        assertArrayEquals(new double[]{.8, .4, .35, .1}, java.util.Arrays.copyOfRange(roc.thresholds(), 1, 5), 0);
    }

    /** The trapezoid under the ROC points is ROC-AUC; the step sum of the PR points is average precision. */
    @Test
    public void areasMatchTheMetrics() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rng.nextInt(300);
            double[] s = new double[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = rng.nextInt(4) == 0 ? 1 : 0;
                s[i] = rng.nextInt(20) + y[i] * rng.nextInt(5); // many ties
            }
            y[0] = 1;
            y[1] = 0;
            Curves.Curve roc = Curves.roc(s, y);
            double area = 0;
            for (int i = 1; i < roc.size(); i++) {
                area += (roc.x()[i] - roc.x()[i - 1]) * (roc.y()[i] + roc.y()[i - 1]) / 2;
            }
            assertEquals(RocAuc.compute(s, y), area, 1e-12);
            Curves.Curve pr = Curves.precisionRecall(s, y);
            double ap = 0;
            double[] r = pr.x(), p = pr.y();
            for (int i = pr.size() - 2; i >= 0; i--) {
                ap += (r[i] - r[i + 1]) * p[i];
            }
            assertEquals(AveragePrecision.compute(s, y), ap, 1e-12);
        }
    }

    @Test
    public void badInput() {
        assertThrows(IllegalArgumentException.class, () -> Curves.roc(new double[]{1, 2}, new int[]{1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Curves.precisionRecall(new double[]{1, 2}, new int[]{0, 0}));
    }
}
