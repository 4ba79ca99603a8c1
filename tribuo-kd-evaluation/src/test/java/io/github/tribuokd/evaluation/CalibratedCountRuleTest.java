package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule N's calibration (seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md), §2.1) against hand-computed values. */
public class CalibratedCountRuleTest {

    @Test
    public void tauIsAQuantileOfEveryScoreAndCOneMoreThanACountQuantile() {
        // 12 scores 1..12 in three windows of 4; q_tau = 0.5: h = 5.5, tau = 6 + 0.5 = 6.5
        double[][] windows = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
        CalibratedCountRule rule = CalibratedCountRule.calibrate(windows, 0.5, 0.5);
        assertEquals(6.5, rule.tau(), 0.0);
        // counts above 6.5: 0, 2, 4; their 0.5 quantile is 2; c = 1 + 2 = 3
        assertEquals(3, rule.count());
        assertEquals("tau 6.50, c 3", rule.toString());
        // q_c = 0.99 (the protocol's default): quantile of {0, 2, 4} at 0.99 is 3.96, ceil 4, c = 5
        assertEquals(5, CalibratedCountRule.calibrate(windows, 0.5).count());
        assertTrue(rule.isAnomalous(new double[]{7, 8, 9, 0}));   // 3 above 6.5
        assertFalse(rule.isAnomalous(new double[]{7, 6.5, 9, 0})); // 2 above (6.5 is not above itself)
    }

    @Test
    public void windowsOfOneScoreNeedOnePointAboveTau() {
        double[][] windows = {{1}, {2}, {3}, {4}, {5}};
        CalibratedCountRule rule = CalibratedCountRule.calibrate(windows, 0.75);
        assertEquals(4.0, rule.tau(), 0.0);
        assertEquals(1, rule.count());
        ConfusionCounts c = rule.evaluate(new double[][]{{5}, {3}, {4.5}, {9}}, new int[]{0, 2, 3},
                new int[]{1, 0, 0, 1});
        // windows 0, 2, 3 flagged; labels 1, 0, 1: TP 2, FP 1
        assertEquals(new ConfusionCounts(2, 1, 0, 0), c);
    }

    @Test
    public void refusesNoOrRaggedWindows() {
        assertThrows(IllegalArgumentException.class, () -> CalibratedCountRule.calibrate(new double[0][], 0.9));
        assertThrows(IllegalArgumentException.class,
                () -> CalibratedCountRule.calibrate(new double[][]{{1, 2}, {3}}, 0.9));
        assertThrows(IllegalArgumentException.class,
                () -> CalibratedCountRule.calibrate(new double[][]{{1, Double.NaN}}, 0.9));
    }

    @Test
    public void pooledConfusionCountsAreSums() {
        assertEquals(new ConfusionCounts(3, 5, 7, 9), new ConfusionCounts(1, 2, 3, 4).plus(new ConfusionCounts(2, 3, 4, 5)));
    }

    @Test
    public void theLabelledSplitKeepsStraddlingWindowsOut() {
        // 20 steps, windows of 4 with stride 2 start at 0, 2, ..., 16; f = 0.3 cuts at step 6
        io.github.tribuokd.timeseries.SlidingWindows windows = new io.github.tribuokd.timeseries.SlidingWindows(4, 2);
        int[] labels = {0, 1, 0, 0, 1, 1, 0, 0, 0};
        LabelledSplit split = LabelledSplit.of(windows, 20, 0.3, labels);
        assertArrayEquals(new int[]{0, 1}, split.labelled());             // windows [0,4) and [2,6) end by step 6
        assertArrayEquals(new int[]{3, 4, 5, 6, 7, 8}, split.evaluation()); // [4,8) straddles the cut
        assertEquals(1, split.labelledPositives());
        assertEquals(2, split.evaluationPositives());
        assertArrayEquals(new int[]{0, 1}, split.labelsOf(new int[]{3, 4}));
        assertArrayEquals(new double[]{30, 40}, LabelledSplit.pick(new double[]{0, 10, 20, 30, 40}, new int[]{3, 4}));
        // f = 0: every window is evaluated
        LabelledSplit none = LabelledSplit.of(windows, 20, 0.0, labels);
        assertEquals(0, none.numLabelled());
        assertEquals(9, none.numEvaluation());
        assertThrows(IllegalArgumentException.class, () -> LabelledSplit.of(windows, 20, 0.95, labels));
        assertThrows(IllegalArgumentException.class, () -> LabelledSplit.of(windows, 20, 1.0, labels));
    }
}
