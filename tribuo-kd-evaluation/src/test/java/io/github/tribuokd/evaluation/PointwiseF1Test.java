package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PointwiseF1Test {

    private static final double TOL = 1e-12;

    @Test
    public void goldenValue() {
        ConfusionCounts c = PointwiseF1.at(PointAdjustmentTest.GOLDEN_SCORES, PointAdjustmentTest.GOLDEN_LABELS, 0.5);
        assertEquals(new ConfusionCounts(2, 1, 5, 4), c);
        assertEquals(0.4, c.f1(), TOL);
    }

    @Test
    public void thresholdIsStrict() {
        double[] scores = {0.5, 0.5, 0.7};
        int[] labels = {1, 0, 1};
        assertEquals(new ConfusionCounts(1, 0, 1, 1), PointwiseF1.at(scores, labels, 0.5));
        assertEquals(new ConfusionCounts(2, 1, 0, 0), PointwiseF1.at(scores, labels, Double.NEGATIVE_INFINITY));
        assertEquals(new ConfusionCounts(0, 0, 2, 1), PointwiseF1.at(scores, labels, Double.POSITIVE_INFINITY));
    }

    @Test
    public void noPositiveLabels() {
        ConfusionCounts c = PointwiseF1.at(new double[]{.1, .9, .3}, new int[]{0, 0, 0}, 0.5);
        assertEquals(new ConfusionCounts(0, 1, 0, 2), c);
        assertEquals(0.0, c.precision());
        assertEquals(0.0, c.recall());
        assertEquals(0.0, c.f1());
    }

    @Test
    public void badInputsThrow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointwiseF1.at(new double[]{.1, .2}, new int[]{0, 1, 1}, 0.5));
        assertTrue(e.getMessage().contains("same length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PointwiseF1.at(new double[]{.1, Double.NaN}, new int[]{0, 1}, 0.5));
        assertTrue(e.getMessage().contains("scores[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PointwiseF1.at(new double[0], new int[0], 0.5));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PointwiseF1.at(new double[]{.1, .2}, new int[]{0, 1}, Double.NaN));
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    }
}
