package io.github.tribuokd.evaluation;

import io.github.tribuokd.evaluation.PointAdjustment.Mode;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PointAdjustmentTest {

    private static final double TOL = 1e-12;

    /** The golden case of docs/EVALUATION.md ("Golden values") (θ = 0.5). */
    static final int[] GOLDEN_LABELS = {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0};
    static final double[] GOLDEN_SCORES = {.1, .2, .9, .1, .6, .1, .7, .1, .1, .1, .2, .1};

    @Test
    public void goldenValue() {
        ConfusionCounts c = PointAdjustment.at(GOLDEN_SCORES, GOLDEN_LABELS, 0.5);
        assertEquals(new ConfusionCounts(7, 1, 0, 4), c);
        assertEquals(0.9333333333333333, c.f1(), TOL);
        assertEquals(14.0 / 15.0, c.f1(), TOL);
        assertEquals(c, PointAdjustment.at(GOLDEN_SCORES, GOLDEN_LABELS, 0.5, Mode.FULL_SEGMENT));
    }

    @Test
    public void goldenAdjustedPredictions() {
        boolean[] predicted = predictions(GOLDEN_SCORES, 0.5);
        boolean[] adjusted = PointAdjustment.adjust(predicted, GOLDEN_LABELS, Mode.FULL_SEGMENT);
        boolean[] expected = {true, true, true, false, true, false, true, true, true, true, false, false};
        assertArrayEquals(expected, adjusted);
        assertFalse(predicted[0], "the input must not be modified");
        assertEquals(new ConfusionCounts(7, 1, 0, 4), ConfusionCounts.of(adjusted, GOLDEN_LABELS));
    }

    @Test
    public void compatModeNeverFillsIndexZero() {
        // The golden case's first segment starts at index 0 and is hit only at index 2.
        boolean[] predicted = predictions(GOLDEN_SCORES, 0.5);
        boolean[] full = PointAdjustment.adjust(predicted, GOLDEN_LABELS, Mode.FULL_SEGMENT);
        boolean[] compat = PointAdjustment.adjust(predicted, GOLDEN_LABELS, Mode.COMMUNITY_INDEX0_BUG);
        assertTrue(full[0]);
        assertFalse(compat[0]);
        for (int i = 1; i < full.length; i++) {
            assertEquals(full[i], compat[i], "modes differ at index " + i);
        }
        ConfusionCounts c = PointAdjustment.at(GOLDEN_SCORES, GOLDEN_LABELS, 0.5, Mode.COMMUNITY_INDEX0_BUG);
        assertEquals(new ConfusionCounts(6, 1, 1, 4), c);
        assertEquals(ConfusionCounts.of(compat, GOLDEN_LABELS), c);

        // When index 0 itself is predicted, or the series starts with a normal point, the modes agree.
        boolean[] hitAtZero = predicted.clone();
        hitAtZero[0] = true;
        assertArrayEquals(PointAdjustment.adjust(hitAtZero, GOLDEN_LABELS, Mode.FULL_SEGMENT),
                PointAdjustment.adjust(hitAtZero, GOLDEN_LABELS, Mode.COMMUNITY_INDEX0_BUG));
        int[] shifted = {0, 1, 1, 1, 0};
        boolean[] late = {false, false, false, true, false};
        assertArrayEquals(new boolean[]{false, true, true, true, false},
                PointAdjustment.adjust(late, shifted, Mode.COMMUNITY_INDEX0_BUG));
    }

    @Test
    public void compatModeDiffersFromFullOnlyAtIndexZero() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rng.nextInt(40);
            int[] labels = RandomSeries.labels(rng, n);
            boolean[] predicted = new boolean[n];
            for (int i = 0; i < n; i++) {
                predicted[i] = rng.nextInt(4) == 0;
            }
            boolean[] full = PointAdjustment.adjust(predicted, labels, Mode.FULL_SEGMENT);
            boolean[] compat = PointAdjustment.adjust(predicted, labels, Mode.COMMUNITY_INDEX0_BUG);
            for (int i = 1; i < n; i++) {
                assertEquals(full[i], compat[i], "trial " + trial + " index " + i);
            }
            int firstEnd = 0;
            while (firstEnd < n && labels[firstEnd] == 1) {
                firstEnd++;
            }
            boolean laterHit = false;
            for (int i = 1; i < firstEnd; i++) {
                laterHit |= predicted[i];
            }
            boolean expectDifference = labels[0] == 1 && !predicted[0] && laterHit;
            assertEquals(expectDifference, full[0] != compat[0], "trial " + trial);
        }
    }

    @Test
    public void paIsAtLeastPointwiseAndMatchesAdjust() {
        SplittableRandom rng = new SplittableRandom(42);
        for (int trial = 0; trial < 1000; trial++) {
            int n = 1 + rng.nextInt(80);
            int[] labels = RandomSeries.labels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            for (double threshold : RandomSeries.candidateThresholds(scores)) {
                ConfusionCounts pointwise = PointwiseF1.at(scores, labels, threshold);
                ConfusionCounts pa = PointAdjustment.at(scores, labels, threshold);
                assertTrue(pa.f1() >= pointwise.f1(), "trial " + trial + " threshold " + threshold);
                assertTrue(pa.recall() >= pointwise.recall());
                assertEquals(pointwise.fp(), pa.fp(), "PA never changes points outside segments");
                boolean[] predicted = predictions(scores, threshold);
                for (Mode mode : Mode.values()) {
                    assertEquals(ConfusionCounts.of(PointAdjustment.adjust(predicted, labels, mode), labels),
                            PointAdjustment.at(scores, labels, threshold, mode));
                }
            }
        }
    }

    @Test
    public void noPositiveLabels() {
        double[] scores = {.1, .9, .3, .7};
        int[] labels = {0, 0, 0, 0};
        for (Mode mode : Mode.values()) {
            ConfusionCounts c = PointAdjustment.at(scores, labels, 0.5, mode);
            assertEquals(new ConfusionCounts(0, 2, 0, 2), c);
            assertEquals(PointwiseF1.at(scores, labels, 0.5), c);
            assertEquals(0.0, c.f1());
            boolean[] predicted = predictions(scores, 0.5);
            assertArrayEquals(predicted, PointAdjustment.adjust(predicted, labels, mode));
        }
    }

    @Test
    public void badInputsThrow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointAdjustment.at(new double[]{.1, .2}, new int[]{0, 1, 1}, 0.5));
        assertTrue(e.getMessage().contains("same length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PointAdjustment.at(new double[]{Double.NaN, .2}, new int[]{0, 1}, 0.5));
        assertTrue(e.getMessage().contains("scores[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PointAdjustment.at(new double[0], new int[0], 0.5, Mode.COMMUNITY_INDEX0_BUG));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PointAdjustment.at(new double[]{.1}, new int[]{1}, 0.5, null));
        assertThrows(IllegalArgumentException.class,
                () -> PointAdjustment.adjust(new boolean[]{true}, new int[]{1}, null));
        e = assertThrows(IllegalArgumentException.class,
                () -> PointAdjustment.adjust(new boolean[]{true}, new int[]{1, 0}, Mode.FULL_SEGMENT));
        assertTrue(e.getMessage().contains("same length"), e.getMessage());
    }

    static boolean[] predictions(double[] scores, double threshold) {
        boolean[] predicted = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            predicted[i] = scores[i] > threshold;
        }
        return predicted;
    }
}
