package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class BestF1Test {

    private static final double TOL = 1e-12;

    private static final double[] S = PointAdjustmentTest.GOLDEN_SCORES;
    private static final int[] L = PointAdjustmentTest.GOLDEN_LABELS;

    @Test
    public void goldenCasePointwise() {
        // distinct scores .9 .7 .6 .2 .1; cuts: {.9}: TP1 FP0 -> F1 2/8; {>=.7}: TP2 -> 4/9; {>=.6}: TP2 FP1 -> 0.4;
        // {>=.2}: TP3 FP2 -> 0.5; everything: TP7 FP5 -> 14/19 (best).
        BestF1.Result r = BestF1.pointwise(S, L);
        assertEquals(14.0 / 19.0, r.f1(), TOL);
        assertEquals(Double.NEGATIVE_INFINITY, r.threshold());
        assertEquals(7.0 / 12.0, r.precision(), TOL);
        assertEquals(1.0, r.recall(), TOL);
        assertTrue(r.oracle());
        assertEquals(new ConfusionCounts(7, 5, 0, 0), r.counts());
        assertEquals(r.f1(), PointwiseF1.at(S, L, r.threshold()).f1());
        assertTrue(r.toString().contains("oracle"), r.toString());
    }

    @Test
    public void goldenCasePointAdjusted() {
        // adjusted scores: segment 1 -> .9, segment 2 -> .7; the cut {>= .7} gives TP 7, FP 0: F1 = 1,
        // attained by predicting score > .6 (the next lower distinct adjusted score).
        BestF1.Result r = BestF1.pointAdjusted(S, L);
        assertEquals(1.0, r.f1(), TOL);
        assertEquals(0.6, r.threshold());
        assertEquals(new ConfusionCounts(7, 0, 0, 5), r.counts());
        assertEquals(r.f1(), PointAdjustment.at(S, L, r.threshold()).f1());
        assertTrue(r.oracle());
    }

    @Test
    public void thresholdIsTheNextLowerDistinctScore() {
        double[] scores = {0.1, 0.3, 0.3, 0.8, 0.9};
        int[] labels = {0, 0, 0, 1, 1};
        BestF1.Result r = BestF1.pointwise(scores, labels);
        assertEquals(1.0, r.f1());
        assertEquals(0.3, r.threshold());
        // ties in F1 break towards the highest threshold: here only one cut attains 1
        double[] tied = {0.5, 0.5, 0.2};
        BestF1.Result t = BestF1.pointwise(tied, new int[]{1, 0, 0});
        assertEquals(2.0 / 3.0, t.f1(), TOL);
        assertEquals(0.2, t.threshold());
    }

    @Test
    public void allZeroLabels() {
        double[] scores = {0.4, -1.0, 2.5, 0.4};
        int[] labels = {0, 0, 0, 0};
        for (BestF1.Result r : new BestF1.Result[]{BestF1.pointwise(scores, labels),
                BestF1.pointAdjusted(scores, labels)}) {
            assertEquals(0.0, r.f1());
            assertEquals(2.5, r.threshold(), "documented: the maximum score, predicting nothing");
            assertEquals(new ConfusionCounts(0, 0, 0, 4), r.counts());
            assertEquals(0.0, r.precision());
            assertEquals(0.0, r.recall());
            assertEquals(r.f1(), PointwiseF1.at(scores, labels, r.threshold()).f1());
        }
    }

    @Test
    public void allOneLabelsAndSinglePoint() {
        BestF1.Result r = BestF1.pointwise(new double[]{0.2, 0.7}, new int[]{1, 1});
        assertEquals(1.0, r.f1());
        assertEquals(Double.NEGATIVE_INFINITY, r.threshold());
        BestF1.Result single = BestF1.pointAdjusted(new double[]{3.0}, new int[]{1});
        assertEquals(1.0, single.f1());
        assertEquals(Double.NEGATIVE_INFINITY, single.threshold());
    }

    @Test
    public void negativeZeroScores() {
        double[] scores = {-0.0, 0.0, 1.0};
        int[] labels = {1, 0, 1};
        BestF1.Result r = BestF1.pointwise(scores, labels);
        assertEquals(r.f1(), PointwiseF1.at(scores, labels, r.threshold()).f1());
        assertEquals(0.8, r.f1(), TOL); // everything: P 2/3, R 1; {1.0}: P 1, R 1/2 -> 2/3
    }

    @Test
    public void equalsBruteForceOverAllThresholds() {
        SplittableRandom rng = new SplittableRandom(2018);
        for (int trial = 0; trial < 3000; trial++) {
            int n = 1 + rng.nextInt(trial < 2500 ? 30 : 300);
            int[] labels = RandomSeries.labels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            double bruteFp = 0.0;
            double brutePa = 0.0;
            for (double threshold : RandomSeries.candidateThresholds(scores)) {
                bruteFp = Math.max(bruteFp, PointwiseF1.at(scores, labels, threshold).f1());
                brutePa = Math.max(brutePa, PointAdjustment.at(scores, labels, threshold).f1());
            }
            BestF1.Result fp = BestF1.pointwise(scores, labels);
            BestF1.Result pa = BestF1.pointAdjusted(scores, labels);
            assertEquals(bruteFp, fp.f1(), TOL, "trial " + trial);
            assertEquals(brutePa, pa.f1(), TOL, "trial " + trial);
            // applying the returned threshold reproduces f1 exactly (PA on the original scores)
            assertEquals(fp.f1(), PointwiseF1.at(scores, labels, fp.threshold()).f1(), "trial " + trial);
            assertEquals(fp.counts(), PointwiseF1.at(scores, labels, fp.threshold()), "trial " + trial);
            assertEquals(pa.f1(), PointAdjustment.at(scores, labels, pa.threshold()).f1(), "trial " + trial);
            assertEquals(pa.counts(), PointAdjustment.at(scores, labels, pa.threshold()), "trial " + trial);
            assertTrue(pa.f1() >= fp.f1(), "best PA F1 >= best point-wise F1");
            // the threshold is a score or -Infinity
            assertTrue(isScoreOrNegativeInfinity(fp.threshold(), scores), "trial " + trial);
            assertTrue(isScoreOrNegativeInfinity(pa.threshold(), scores), "trial " + trial);
            assertTrue(fp.oracle() && pa.oracle());
        }
    }

    @Test
    public void badInputsThrow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BestF1.pointwise(new double[]{.1, .2}, new int[]{0, 1, 1}));
        assertTrue(e.getMessage().contains("same length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BestF1.pointAdjusted(new double[]{.1, .2}, new int[]{0}));
        assertTrue(e.getMessage().contains("same length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BestF1.pointwise(new double[]{.1, Double.NaN}, new int[]{0, 1}));
        assertTrue(e.getMessage().contains("scores[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BestF1.pointAdjusted(new double[]{Double.NaN}, new int[]{1}));
        assertTrue(e.getMessage().contains("scores[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BestF1.pointwise(new double[0], new int[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BestF1.pointAdjusted(new double[0], new int[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BestF1.pointwise(new double[]{.1, .2}, new int[]{0, 5}));
        assertTrue(e.getMessage().contains("labels[1] = 5"), e.getMessage());
    }

    private static boolean isScoreOrNegativeInfinity(double threshold, double[] scores) {
        if (threshold == Double.NEGATIVE_INFINITY) {
            return true;
        }
        for (double s : scores) {
            if (s == threshold) {
                return true;
            }
        }
        return false;
    }
}
