package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class RocAucTest {

    private static final double TOL = 1e-12;

    private static final int[] GOLDEN_LABELS = {0, 0, 1, 1};

    @Test
    public void goldenValues() {
        assertEquals(0.75, RocAuc.compute(new double[]{.1, .4, .35, .8}, GOLDEN_LABELS), TOL);
        assertEquals(0.875, RocAuc.compute(new double[]{.1, .5, .5, .9}, GOLDEN_LABELS), TOL);
        assertEquals(0.5, RocAuc.compute(new double[]{.3, .3, .3, .3}, GOLDEN_LABELS), TOL);
    }

    @Test
    public void perfectAndReversedRankings() {
        assertEquals(1.0, RocAuc.compute(new double[]{1, 2, 3, 4}, GOLDEN_LABELS), TOL);
        assertEquals(0.0, RocAuc.compute(new double[]{4, 3, 2, 1}, GOLDEN_LABELS), TOL);
    }

    @Test
    public void negativeZeroTiesWithPositiveZero() {
        assertEquals(0.5, RocAuc.compute(new double[]{0.0, -0.0}, new int[]{0, 1}), TOL);
        assertEquals(0.5, RocAuc.compute(new double[]{-0.0, 0.0}, new int[]{0, 1}), TOL);
    }

    @Test
    public void singleClassThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.compute(new double[]{.1, .2, .3}, new int[]{0, 0, 0}));
        assertTrue(e.getMessage().contains("ROC-AUC"), e.getMessage());
        assertTrue(e.getMessage().contains("0 positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.compute(new double[]{.1, .2}, new int[]{1, 1}));
        assertTrue(e.getMessage().contains("0 negative"), e.getMessage());
    }

    @Test
    public void badInputsThrow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.compute(new double[]{.1, Double.NaN}, new int[]{0, 1}));
        assertTrue(e.getMessage().contains("scores[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.compute(new double[]{.1, .2}, new int[]{0, 3}));
        assertTrue(e.getMessage().contains("labels[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.compute(new double[]{.1, .2}, new int[]{0, 1, 1}));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RocAuc.compute(null, new int[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.compute(new double[0], new int[0]));
    }

    @Test
    public void invariantUnderStrictlyIncreasingTransform() {
        SplittableRandom rng = new SplittableRandom(42);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + rng.nextInt(300);
            double[] scores = new double[n];
            int[] labels = randomLabels(rng, n);
            for (int i = 0; i < n; i++) {
                // Coarse grid so that there are ties, which a strictly increasing map must preserve.
                scores[i] = rng.nextInt(20) / 4.0 - 2.0;
            }
            double expected = RocAuc.compute(scores, labels);
            double[] affine = new double[n];
            double[] exp = new double[n];
            double[] cube = new double[n];
            for (int i = 0; i < n; i++) {
                affine[i] = 3 * scores[i] + 1;
                exp[i] = Math.exp(scores[i]);
                cube[i] = scores[i] * scores[i] * scores[i];
            }
            assertEquals(expected, RocAuc.compute(affine, labels), TOL);
            assertEquals(expected, RocAuc.compute(exp, labels), TOL);
            assertEquals(expected, RocAuc.compute(cube, labels), TOL);
        }
    }

    @Test
    public void equalsBruteForcePairwiseCountWithTies() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + rng.nextInt(400);
            int levels = 1 + rng.nextInt(12); // few levels: many ties
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = rng.nextInt(levels) * 0.1;
            }
            int[] labels = randomLabels(rng, n);
            assertEquals(bruteForce(scores, labels), RocAuc.compute(scores, labels), TOL);
        }
        // Continuous scores, essentially without ties.
        for (int trial = 0; trial < 10; trial++) {
            int n = 2 + rng.nextInt(400);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = rng.nextGaussian();
            }
            int[] labels = randomLabels(rng, n);
            assertEquals(bruteForce(scores, labels), RocAuc.compute(scores, labels), TOL);
        }
    }

    /**
     * O(n^2) Mann-Whitney count with ties one half.
     */
    private static double bruteForce(double[] scores, int[] labels) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] != 1) {
                continue;
            }
            for (int j = 0; j < scores.length; j++) {
                if (labels[j] != 0) {
                    continue;
                }
                pairs++;
                if (scores[i] > scores[j]) {
                    wins += 1;
                } else if (scores[i] == scores[j]) {
                    wins += 0.5;
                }
            }
        }
        return wins / pairs;
    }

    /**
     * Random 0/1 labels (n >= 2) containing both classes.
     */
    static int[] randomLabels(SplittableRandom rng, int n) {
        int[] labels = new int[n];
        double rate = 0.05 + 0.9 * rng.nextDouble();
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextDouble() < rate ? 1 : 0;
        }
        int positive = rng.nextInt(n);
        int negative = (positive + 1 + rng.nextInt(n - 1)) % n;
        labels[positive] = 1;
        labels[negative] = 0;
        return labels;
    }
}
