package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PaKF1Test {

    private static final double TOL = 1e-12;

    private static final double[] S = PointAdjustmentTest.GOLDEN_SCORES;
    private static final int[] L = PointAdjustmentTest.GOLDEN_LABELS;

    @Test
    public void goldenValues() {
        assertEquals(14.0 / 15.0, PaKF1.f1(S, L, 0.5, 0), TOL);
        assertEquals(14.0 / 15.0, PaKF1.f1(S, L, 0.5, 20), TOL);
        assertEquals(2.0 / 3.0, PaKF1.f1(S, L, 0.5, 30), TOL);
        assertEquals(0.4, PaKF1.f1(S, L, 0.5, 50), TOL);
        assertEquals(0.4, PaKF1.f1(S, L, 0.5, 100), TOL);
        assertEquals(0.9333333333333333, PaKF1.f1(S, L, 0.5, 0), TOL);
        assertEquals(0.6666666666666666, PaKF1.f1(S, L, 0.5, 30), TOL);
    }

    @Test
    public void goldenCurveAndArea() {
        PaKF1.Result r = PaKF1.at(S, L, 0.5);
        assertArrayEquals(new int[]{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, r.ks());
        double pa = 14.0 / 15.0;
        // segment 1 (length 3, 1 hit) filled while 100 > 3K, i.e. K <= 30;
        // segment 2 (length 4, 1 hit) filled while 100 > 4K, i.e. K <= 20.
        double[] expected = {pa, pa, pa, 2.0 / 3.0, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4};
        assertArrayEquals(expected, r.f1(), TOL);
        double area = 0.0;
        for (int j = 1; j < expected.length; j++) {
            area += 0.1 * (expected[j] + expected[j - 1]) / 2.0;
        }
        assertEquals(area, r.area(), TOL);
        // by hand: 0.1 * (2 pa + (pa + 2/3)/2 + (2/3 + 0.4)/2 + 6 * 0.4) = 0.1 * (28/15 + 0.8 + 8/15 + 2.4) = 0.56
        assertEquals(0.56, r.area(), TOL);
        // returned arrays are copies
        r.f1()[0] = -1;
        r.ks()[0] = -1;
        assertEquals(pa, r.f1()[0], TOL);
        assertEquals(0, r.ks()[0]);
        assertTrue(r.toString().contains("area="), r.toString());
    }

    @Test
    public void strictInequalityAtTheBoundary() {
        // a segment of length 10 with 3 hits: filled for K = 29 (3 > 2.9), not for K = 30 (3 > 3 is false)
        int[] labels = new int[12];
        double[] scores = new double[12];
        for (int i = 1; i <= 10; i++) {
            labels[i] = 1;
        }
        scores[2] = 1;
        scores[5] = 1;
        scores[9] = 1;
        assertEquals(new ConfusionCounts(10, 0, 0, 2), PaKF1.counts(scores, labels, 0.5, 29));
        assertEquals(new ConfusionCounts(3, 0, 7, 2), PaKF1.counts(scores, labels, 0.5, 30));
    }

    @Test
    public void propertiesOnRandomSeries() {
        SplittableRandom rng = new SplittableRandom(2022);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rng.nextInt(80);
            int[] labels = RandomSeries.labels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            for (double threshold : RandomSeries.candidateThresholds(scores)) {
                ConfusionCounts pa = PointAdjustment.at(scores, labels, threshold);
                ConfusionCounts pointwise = PointwiseF1.at(scores, labels, threshold);
                assertEquals(pa, PaKF1.counts(scores, labels, threshold, 0));
                assertEquals(pointwise, PaKF1.counts(scores, labels, threshold, 100));
                PaKF1.Result r = PaKF1.at(scores, labels, threshold);
                double[] f1 = r.f1();
                assertEquals(pa.f1(), f1[0]);
                assertEquals(pointwise.f1(), f1[10]);
                double previous = Double.POSITIVE_INFINITY;
                for (int k = 0; k <= 100; k++) {
                    double value = PaKF1.f1(scores, labels, threshold, k);
                    assertTrue(value <= previous, "PA%K F1 must be non-increasing in K, trial " + trial);
                    previous = value;
                    if (k % 10 == 0) {
                        assertEquals(value, f1[k / 10]);
                    }
                }
                assertTrue(r.area() >= pointwise.f1() - TOL && r.area() <= pa.f1() + TOL);
            }
        }
    }

    @Test
    public void noPositiveLabels() {
        PaKF1.Result r = PaKF1.at(new double[]{.1, .9}, new int[]{0, 0}, 0.5);
        assertArrayEquals(new double[11], r.f1());
        assertEquals(0.0, r.area());
    }

    @Test
    public void badInputsThrow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaKF1.f1(S, L, 0.5, 101));
        assertTrue(e.getMessage().contains("K"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PaKF1.f1(S, L, 0.5, -1));
        e = assertThrows(IllegalArgumentException.class,
                () -> PaKF1.at(new double[]{.1, .2}, new int[]{0, 1, 1}, 0.5));
        assertTrue(e.getMessage().contains("same length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PaKF1.at(new double[]{.1, Double.NaN}, new int[]{0, 1}, 0.5));
        assertTrue(e.getMessage().contains("scores[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PaKF1.at(new double[0], new int[0], 0.5));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PaKF1.at(S, L, Double.NaN));
    }
}
