package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class AveragePrecisionTest {

    private static final double TOL = 1e-12;

    private static final int[] GOLDEN_LABELS = {0, 0, 1, 1};

    @Test
    public void goldenValues() {
        assertEquals(0.8333333333333333, AveragePrecision.compute(new double[]{.1, .4, .35, .8}, GOLDEN_LABELS), TOL);
        assertEquals(0.8333333333333333, AveragePrecision.compute(new double[]{.1, .5, .5, .9}, GOLDEN_LABELS), TOL);
    }

    @Test
    public void simpleCases() {
        // All scores equal: one threshold, precision = prevalence.
        assertEquals(0.5, AveragePrecision.compute(new double[]{.3, .3, .3, .3}, GOLDEN_LABELS), TOL);
        // Perfect ranking.
        assertEquals(1.0, AveragePrecision.compute(new double[]{1, 2, 3, 4}, GOLDEN_LABELS), TOL);
        // Only positives: AP = 1.
        assertEquals(1.0, AveragePrecision.compute(new double[]{.2, .1, .7}, new int[]{1, 1, 1}), TOL);
        // Reversed ranking: positives at ranks 3 and 4, AP = 0.5 * 1/3 + 0.5 * 2/4.
        assertEquals(0.5 / 3 + 0.25, AveragePrecision.compute(new double[]{4, 3, 2, 1}, GOLDEN_LABELS), TOL);
    }

    @Test
    public void noPositivesThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AveragePrecision.compute(new double[]{.1, .2, .3}, new int[]{0, 0, 0}));
        assertTrue(e.getMessage().contains("undefined"), e.getMessage());
        assertTrue(e.getMessage().contains("0 positive"), e.getMessage());
        assertTrue(e.getMessage().contains("3 negative"), e.getMessage());
    }

    @Test
    public void badInputsThrow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AveragePrecision.compute(new double[]{.1, Double.POSITIVE_INFINITY}, new int[]{0, 1}));
        assertTrue(e.getMessage().contains("scores[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AveragePrecision.compute(new double[]{.1, .2}, new int[]{5, 1}));
        assertTrue(e.getMessage().contains("labels[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AveragePrecision.compute(new double[]{.1}, null));
    }

    /**
     * Issue 23: with 9 positives ranked above every negative, summing 9 steps of 1/9 gave 1.0000000000000002.
     * A perfect ranking is exactly 1, and no ranking exceeds 1.
     */
    @Test
    public void perfectRankingIsExactlyOneAndNeverMore() {
        for (int positives = 1; positives <= 200; positives++) {
            int n = positives + 3;
            double[] scores = new double[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = n - i;
                labels[i] = i < positives ? 1 : 0;
            }
            assertEquals(1.0, AveragePrecision.compute(scores, labels), 0.0, positives + " positives");
            assertEquals(1.0, AnomalyMetrics.compute(scores, labels, 0.5, 1).prAuc(), 0.0,
                    positives + " positives");
        }
        SplittableRandom rng = new SplittableRandom(23);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 2 + rng.nextInt(60);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = rng.nextInt(1 + trial % 20);
            }
            int[] labels = RocAucTest.randomLabels(rng, n);
            double ap = AveragePrecision.compute(scores, labels);
            assertTrue(ap > 0 && ap <= 1.0, "AP " + ap);
        }
    }

    @Test
    public void equalsBruteForceDefinition() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 60; trial++) {
            int n = 2 + rng.nextInt(300);
            double[] scores = new double[n];
            boolean ties = trial % 2 == 0;
            int levels = 1 + rng.nextInt(10);
            for (int i = 0; i < n; i++) {
                scores[i] = ties ? rng.nextInt(levels) * 0.25 : rng.nextGaussian();
            }
            int[] labels = RocAucTest.randomLabels(rng, n);
            assertEquals(bruteForce(scores, labels), AveragePrecision.compute(scores, labels), TOL);
        }
    }

    @Test
    public void invariantUnderStrictlyIncreasingTransform() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 500;
        double[] scores = new double[n];
        double[] transformed = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = rng.nextInt(30) / 3.0;
            transformed[i] = Math.exp(scores[i]) * 2 + 5;
        }
        int[] labels = RocAucTest.randomLabels(rng, n);
        assertEquals(AveragePrecision.compute(scores, labels), AveragePrecision.compute(transformed, labels), TOL);
    }

    /**
     * Straight from the definition: for each distinct threshold t in decreasing order, predict score >= t,
     * compute precision and recall by a full scan, and add (R_n - R_{n-1}) * P_n.
     */
    private static double bruteForce(double[] scores, int[] labels) {
        double[] thresholds = Arrays.stream(scores).distinct().sorted().toArray();
        int positives = 0;
        for (int l : labels) {
            positives += l;
        }
        double ap = 0;
        double previousRecall = 0;
        for (int k = thresholds.length - 1; k >= 0; k--) {
            int tp = 0;
            int predicted = 0;
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] >= thresholds[k]) {
                    predicted++;
                    tp += labels[i];
                }
            }
            double precision = (double) tp / predicted;
            double recall = (double) tp / positives;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }
}
