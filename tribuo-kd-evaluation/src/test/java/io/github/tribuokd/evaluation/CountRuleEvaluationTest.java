package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.ScoredModel;
import io.github.tribuokd.timeseries.SlidingWindows;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.anomaly.Event;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Rules N, V and D of the seed-000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) protocol for a scalar scorer, checked by hand; rule G's joint choice. */
public class CountRuleEvaluationTest {

    /** Scores a window by its first value. */
    private static final ScoredModel FIRST_VALUE = new ScoredModel() {
        @Override
        public double score(Example<Event> example) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[] scores(Iterable<Example<Event>> examples) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scoreMatrix(float[] matrix, int n, double[] out) {
            int width = matrix.length / n;
            for (int i = 0; i < n; i++) {
                out[i] = matrix[i * width];
            }
        }

        @Override
        public long numParameters() {
            return 7;
        }
    };

    @Test
    public void aScalarScorerIsJudgedByItsThresholdAndByTheLabelledPart() {
        // 12 windows of width 1 (L = 1, stride 1, 12 steps); cut at step 4: windows 0..4 (last step <= 4) are
        // labelled, 5..11 evaluated
        float[] test = {1, 5, 1, 1, 1, 1, 6, 6, 1, 3, 1, 1};
        int[] labels = {0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0};
        LabelledSplit split = LabelledSplit.of(new SlidingWindows(1, 1), 12, 1.0 / 3, labels);
        float[] validation = {1, 1, 2, 1, 1, 1, 1, 1, 1, 1};
        CountRuleEvaluation e = CountRuleEvaluation.ofScorer("first", FIRST_VALUE, 2.5, validation, test, 12, split,
                0.99, 30, 1L);
        assertEquals("first", e.model());
        assertEquals(7, e.parameters());
        assertFalse(e.mahalanobis());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, split.labelled());
        // rule N: score > 2.5 on windows 5..11 flags 6, 7 (anomalous) and 9 (normal)
        assertEquals(new ConfusionCounts(2, 1, 0, 4), e.normal());
        assertArrayEquals(new boolean[]{false, true, true, false, true, false, false}, e.decisions());
        assertArrayEquals(new double[]{1, 6, 6, 1, 3, 1, 1}, e.windowScores(), 0.0);
        // rule V: the labelled part {1, 5, 1, 1, 1} with labels {0, 1, 0, 0, 0} chooses a threshold in [1, 5), so
        // windows 6, 7 and 9 are flagged again
        assertEquals(new ConfusionCounts(2, 1, 0, 4), e.labelled());
        assertNotNull(e.gridOutcomes());
        assertEquals(DriftCountRuleSearch.defaultGrid().size(), e.gridOutcomes().length);
        // rule G's choice for one detector on one series: the setting selectJointly picks for its labelled counts
        CountRuleEvaluation.GridChoice choice = CountRuleEvaluation.chooseSetting(List.of(e));
        ConfusionCounts[] labelled = new ConfusionCounts[e.gridOutcomes().length];
        for (int s = 0; s < labelled.length; s++) {
            labelled[s] = e.gridOutcomes()[s].labelled();
        }
        assertEquals(DriftCountRuleSearch.selectJointly(List.<ConfusionCounts[]>of(labelled)), choice.index());
        assertEquals(e.gridOutcomes()[choice.index()].evaluation(), e.ruleG(choice).evaluation());
        assertNull(e.ruleG(null));
    }

    @Test
    public void withoutALabelledPartThereIsNoRuleVNorG() {
        float[] test = {1, 5, 1, 1, 6, 1};
        int[] labels = {0, 1, 0, 0, 1, 0};
        LabelledSplit split = LabelledSplit.of(new SlidingWindows(1, 1), 6, 0.0, labels);
        CountRuleEvaluation e = CountRuleEvaluation.ofScorer("first", FIRST_VALUE, 2.5,
                new float[]{1, 1, 1, 1}, test, 6, split, 0.99, 30, 1L);
        assertEquals(new ConfusionCounts(2, 0, 0, 4), e.normal());
        assertNull(e.labelled());
        assertNull(e.gridOutcomes());
        assertNull(CountRuleEvaluation.chooseSetting(List.of(e)));
        // a labelled part without an anomaly cannot choose rule G's setting
        LabelledSplit quiet = LabelledSplit.of(new SlidingWindows(1, 1), 6, 0.5, new int[]{0, 0, 0, 0, 1, 0});
        CountRuleEvaluation q = CountRuleEvaluation.ofScorer("first", FIRST_VALUE, 2.5,
                new float[]{1, 1, 1, 1}, test, 6, quiet, 0.99, 30, 1L);
        assertThrows(IllegalArgumentException.class, () -> CountRuleEvaluation.chooseSetting(List.of(q)));
    }
}
