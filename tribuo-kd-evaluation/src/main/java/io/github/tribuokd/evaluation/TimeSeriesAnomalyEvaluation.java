package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.metrics.MetricID;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.provenance.EvaluationProvenance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link TimeSeriesAnomalyEvaluator}: every metric of {@link AnomalyMetrics} (with its random
 * baseline), the threshold and how it was chosen, the scoring time per example, the predictions and the
 * {@link EvaluationProvenance} (model and data provenance).
 */
public final class TimeSeriesAnomalyEvaluation implements Evaluation<Event> {

    private static final MetricTarget<Event> TARGET = new MetricTarget<>(new Event(Event.EventType.ANOMALOUS));

    private final AnomalyMetrics metrics;
    private final String thresholdRule;
    private final ThresholdProvenance thresholdProvenance;
    private final double scoringNanosPerExample;
    private final List<Prediction<Event>> predictions;
    private final double[] scores;
    private final int[] labels;
    private final EvaluationProvenance provenance;

    TimeSeriesAnomalyEvaluation(AnomalyMetrics metrics, String thresholdRule, ThresholdProvenance thresholdProvenance,
                                double scoringNanosPerExample, List<Prediction<Event>> predictions, double[] scores,
                                int[] labels, EvaluationProvenance provenance) {
        this.metrics = metrics;
        this.thresholdRule = thresholdRule;
        this.thresholdProvenance = thresholdProvenance;
        this.scoringNanosPerExample = scoringNanosPerExample;
        this.predictions = Collections.unmodifiableList(predictions);
        this.scores = scores;
        this.labels = labels;
        this.provenance = provenance;
    }

    /** @return Every metric, with the random baseline. */
    public AnomalyMetrics metrics() {
        return metrics;
    }

    /** @return How the threshold was chosen. */
    public String thresholdRule() {
        return thresholdRule;
    }

    /** @return The fitted threshold's provenance, or null when the model's own decisions were used. */
    public ThresholdProvenance thresholdProvenance() {
        return thresholdProvenance;
    }

    /** @return Wall-clock nanoseconds per example of the model's batched prediction, or NaN if not measured. */
    public double scoringNanosPerExample() {
        return scoringNanosPerExample;
    }

    /** @return The scores in time order (a copy). */
    public double[] scores() {
        return scores.clone();
    }

    /** @return The 0/1 labels in time order (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public Map<MetricID<Event>, Double> asMap() {
        Map<MetricID<Event>, Double> map = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : metrics.toMap().entrySet()) {
            if (e.getValue() instanceof Double) {
                map.put(new MetricID<>(TARGET, e.getKey()), (Double) e.getValue());
            }
        }
        map.put(new MetricID<>(TARGET, "scoring_ns_per_example"), scoringNanosPerExample);
        return Collections.unmodifiableMap(map);
    }

    @Override
    public List<Prediction<Event>> getPredictions() {
        return predictions;
    }

    @Override
    public EvaluationProvenance getProvenance() {
        return provenance;
    }

    /**
     * The evaluation as an ordered map: metrics, threshold rule, timing and (as JSON text) the provenance.
     * @param provenanceJson The evaluation provenance serialized as JSON (e.g. by OLCUT's
     *                       {@code JsonProvenanceSerialization}), or null to omit it.
     * @return The map.
     */
    public Map<String, Object> toMap(String provenanceJson) {
        Map<String, Object> m = new LinkedHashMap<>(metrics.toMap());
        m.put("threshold_rule", thresholdRule);
        if (thresholdProvenance != null) {
            m.put("threshold_fit", thresholdProvenance.toString());
        }
        m.put("scoring_ns_per_example", scoringNanosPerExample);
        m.put("model", provenance.getModelProvenance().getClassName());
        if (provenanceJson != null) {
            m.put("provenance", new Json.Raw(provenanceJson));
        }
        return m;
    }

    /**
     * A Markdown report.
     * @return Markdown text with the metrics table, the threshold rule and the provenance.
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder(metrics.toMarkdown("Evaluation of "
                + provenance.getModelProvenance().getClassName()));
        sb.append("\nThreshold rule: ").append(thresholdRule).append('\n');
        if (!Double.isNaN(scoringNanosPerExample)) {
            sb.append(String.format("Scoring time: %.0f ns per example (Tribuo batched predict).%n",
                    scoringNanosPerExample));
        }
        sb.append("\n```\n").append(ProvenanceUtil.formattedProvenanceString(provenance)).append("\n```\n");
        return sb.toString();
    }

    @Override
    public String toString() {
        return metrics.toMarkdown("Time-series anomaly evaluation");
    }
}
