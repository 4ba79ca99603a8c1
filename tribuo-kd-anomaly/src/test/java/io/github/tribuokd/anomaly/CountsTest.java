package io.github.tribuokd.anomaly;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one count of the count rules, against hand-counted values. */
public class CountsTest {

    @Test
    public void countsScoresStrictlyAboveTau() {
        double[] scores = {0.5, 2.0, 3.0, 2.0, Double.NaN, -1.0, 7.5};
        assertEquals(2, Counts.countAbove(scores, 2.0));          // 3.0 and 7.5; 2.0 is not above 2.0
        assertEquals(4, Counts.countAbove(scores, 1.0));          // 2.0, 3.0, 2.0, 7.5; NaN never counts
        assertEquals(6, Counts.countAbove(scores, Double.NEGATIVE_INFINITY));
        assertEquals(0, Counts.countAbove(scores, 7.5));
        assertEquals(0, Counts.countAbove(new double[0], 0.0));
        // a range: indices 1..3 hold 2.0, 3.0, 2.0
        assertEquals(1, Counts.countAbove(scores, 1, 4, 2.0));
        assertEquals(3, Counts.countAbove(scores, 1, 4, 1.9));
        assertEquals(0, Counts.countAbove(scores, 3, 3, 0.0));
    }

    @Test
    public void countsAbsoluteValuesAboveTau() {
        float[] residuals = {9f, -0.3f, 0.2f, -0.25f, 0.25f, Float.NaN, 1f};
        // from offset 1, length 5: |-0.3|, |0.2|, |-0.25|, |0.25|, NaN; above 0.24: -0.3, -0.25, 0.25
        assertEquals(3, Counts.countAbsAbove(residuals, 1, 5, 0.24));
        assertEquals(1, Counts.countAbsAbove(residuals, 1, 5, 0.25)); // strict: only -0.3
        assertEquals(2, Counts.countAbsAbove(residuals, 0, residuals.length, 0.9)); // 9 and 1
        // float comparison in double: 0.1f is slightly above 0.1
        assertEquals(1, Counts.countAbsAbove(new float[]{-0.1f}, 0, 1, 0.1));
    }

    @Test
    public void theWindowRuleCountsTheSameWay() {
        MahalanobisDistance distance = MahalanobisDistance.fit(new double[][]{{0, 1}, {1, 0}, {2, 2}, {1, 3}});
        MahalanobisWindowRule rule = MahalanobisWindowRule.of(distance, 2.0, 2);
        double[] a = {0.5, 2.0, 3.0, 2.0, 7.5};
        assertEquals(Counts.countAbove(a, 0, 5, 2.0), rule.countExceeding(a, 0, 5));
        assertEquals(2, rule.countExceeding(a, 0, 5));
        assertEquals(1, rule.countExceeding(a, 0, 3));
    }
}
