package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.evaluation.metrics.MetricID;
import org.tribuo.test.Helpers;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class TimeSeriesAnomalyEvaluatorTest {

    static final int[] LABELS = {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0};
    static final double[] SCORES = {.1, .2, .9, .1, .6, .1, .7, .1, .1, .1, .2, .1};

    @Test
    public void goldenCaseThroughTribuo() {
        MutableDataset<Event> data = ScoreFeatureModel.dataset(SCORES, LABELS);
        Model<Event> model = new ScoreFeatureModel.ScoreFeatureTrainer(0.5, false).train(data);
        TimeSeriesAnomalyEvaluation e = new TimeSeriesAnomalyEvaluator().evaluate(model, data);
        AnomalyMetrics m = e.metrics();
        // The model's own decisions: largest EXPECTED score is 0.2, which reproduces "score > 0.5" here.
        assertEquals(0.2, m.threshold(), 0.0);
        assertEquals(0.4, m.pointwise().f1(), 1e-12);
        assertEquals(14.0 / 15.0, m.pointAdjusted().f1(), 1e-12);
        double[] pak = m.paK().f1();
        assertEquals(14.0 / 15.0, pak[2], 1e-12);  // K = 20
        assertEquals(2.0 / 3.0, pak[3], 1e-6);     // K = 30
        assertEquals(0.4, pak[10], 1e-12);         // K = 100
        assertEquals(RocAuc.compute(SCORES, LABELS), m.rocAuc(), 0.0);
        assertEquals(AveragePrecision.compute(SCORES, LABELS), m.prAuc(), 0.0);
        Map<MetricID<Event>, Double> map = e.asMap();
        assertTrue(map.keySet().stream().anyMatch(k -> k.getB().equals("f1_pa")), map.toString());
        // Provenance: the model's and the data's.
        assertEquals(model.getProvenance(), e.getProvenance().getModelProvenance());
        assertEquals(data.getProvenance(), e.getProvenance().getTestDatasetProvenance());
        Helpers.testProvenanceMarshalling(e.getProvenance());
        assertTrue(e.scoringNanosPerExample() > 0);
        assertTrue(e.toMarkdown().contains("| model |"));
        assertEquals(SCORES.length, e.getPredictions().size());
    }

    @Test
    public void explicitThresholdAndRandomBaseline() {
        MutableDataset<Event> data = ScoreFeatureModel.dataset(SCORES, LABELS);
        Model<Event> model = new ScoreFeatureModel.ScoreFeatureTrainer(0.5, false).train(data);
        QuantileThreshold q = QuantileThreshold.fit(new double[]{0.0, 0.1, 0.2, 0.3, 0.4, 0.5}, 1.0);
        TimeSeriesAnomalyEvaluation e = new TimeSeriesAnomalyEvaluator(q, 7L).evaluate(model, data);
        assertEquals(0.5, e.metrics().threshold(), 0.0);
        assertEquals(e.thresholdProvenance(), q.provenance());
        AnomalyMetrics random = e.metrics().randomBaseline();
        assertEquals(e.metrics().pointwise().tp() + e.metrics().pointwise().fp(),
                random.pointwise().tp() + random.pointwise().fp(), "the baseline flags as many points");
        assertTrue(e.toMap(null).containsKey("random_baseline"));
    }

    @Test
    public void decisionsThatAreNotAThresholdAreRefused() {
        MutableDataset<Event> data = ScoreFeatureModel.dataset(SCORES, LABELS);
        Model<Event> inverted = new ScoreFeatureModel.ScoreFeatureTrainer(0.5, true).train(data);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new TimeSeriesAnomalyEvaluator().evaluate(inverted, data));
        assertTrue(ex.getMessage().contains("give the evaluator a Threshold"), ex.getMessage());
    }

    @Test
    public void singleClassIsAClearError() {
        int[] none = new int[SCORES.length];
        MutableDataset<Event> data = ScoreFeatureModel.dataset(SCORES, none);
        Model<Event> model = new ScoreFeatureModel.ScoreFeatureTrainer(0.5, false).train(data);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new TimeSeriesAnomalyEvaluator().evaluate(model, data));
        assertTrue(ex.getMessage().contains("only one class"), ex.getMessage());
        // Issue 23: the error names the model and the data, not only arrays.
        assertTrue(ex.getMessage().startsWith("scores of model "), ex.getMessage());
        assertTrue(ex.getMessage().contains("'score-feature' (ScoreFeatureModel) on data (description=scores)"),
                ex.getMessage());
    }

    @Test
    public void distillationComparison() {
        double[] teacher = {0.1, 0.2, 3.0, 0.1, 0.5, 0.1, 2.0, 0.4, 0.2, 0.1, 0.2, 0.1};
        double[] student = teacher.clone();
        DistillationEvaluation same = DistillationEvaluation.compare(teacher, 0.45, student, 0.45, LABELS,
                s -> Math.log(s + 1e-6), "ln(s+1e-6)", 1000, 100, 50.0, 5.0, 1L);
        assertEquals(0.0, same.emdInliers(), 0.0);
        assertEquals(0.0, same.emdOutliers(), 0.0);
        assertEquals(0.1, same.parameterRatio(), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Double> diff = (Map<String, Double>) same.toMap().get("difference_student_minus_teacher");
        assertTrue(diff.values().stream().allMatch(v -> v == 0.0), diff.toString());

        for (int i = 0; i < student.length; i++) {
            student[i] = teacher[i] * 2;
        }
        DistillationEvaluation doubled = DistillationEvaluation.compare(teacher, 0.45, student, 0.9, LABELS,
                s -> Math.log(s + 1e-6), "ln(s+1e-6)", 1000, 100, 50.0, 5.0, 1L);
        // In log scale doubling is a shift by ln 2 (up to ε): EMD = ln 2 on both parts.
        assertEquals(Math.log(2), doubled.emdInliers(), 1e-4);
        assertEquals(Math.log(2), doubled.emdOutliers(), 1e-4);
        // Same ranking: identical threshold-free metrics.
        assertEquals(doubled.teacher().rocAuc(), doubled.student().rocAuc(), 0.0);
        assertTrue(doubled.toMarkdown("teacher", "student").contains("EMD"));
        assertThrows(IllegalArgumentException.class, () -> DistillationEvaluation.compare(teacher, 0.4,
                Arrays.copyOf(student, 5), 0.4, LABELS, s -> s, "raw", 1, 1, 1, 1, 1L));
    }
}
