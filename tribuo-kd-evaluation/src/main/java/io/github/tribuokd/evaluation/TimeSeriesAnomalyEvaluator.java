package io.github.tribuokd.evaluation;

import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.evaluation.Evaluator;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.EvaluationProvenance;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a {@code Model<Event>} on time-ordered data with every metric of docs/EVALUATION.md
 * ({@link AnomalyMetrics}), returning a {@link TimeSeriesAnomalyEvaluation} with {@link EvaluationProvenance}.
 * <p>
 * The examples (or predictions) must be in time order, one per time point: point adjustment works on segments
 * of consecutive anomalous points. Scores are {@code Event.getScore()}, higher = more anomalous (a model whose
 * score means the opposite, like Tribuo's LibSVM anomaly model, must be wrapped to flip it). Ground truth is the
 * example's {@code Event} type: ANOMALOUS = 1, anything else = 0.
 * <p>
 * Threshold: a {@link Threshold} given to the constructor (e.g. {@link QuantileThreshold} or
 * {@link PotThreshold} fitted on calibration scores), or by default the model's own decisions, expressed as the
 * largest score the model predicts EXPECTED; if the model's decisions are not a threshold on its score, this
 * evaluator says so instead of guessing.
 * <p>
 * The evaluation carries TSB-AD's metrics too (VUS-PR, VUS-ROC, event-based, range-based and affiliation F1, at the
 * threshold and as oracles; see {@link AnomalyMetrics}): in {@link TimeSeriesAnomalyEvaluation#asMap()} (keys
 * {@code vus_pr}, {@code vus_roc}, {@code f1_event}, {@code f1_range}, {@code affiliation_f}, ...) and in its
 * {@code toMap} beside the provenance. VUS uses a sliding window given to the constructor, by default
 * {@link VolumeUnderSurface#DEFAULT_WINDOW} (100).
 */
public final class TimeSeriesAnomalyEvaluator implements Evaluator<Event, TimeSeriesAnomalyEvaluation> {

    /** The default seed of the random-score baseline. */
    public static final long DEFAULT_SEED = 1L;

    private final Threshold threshold;
    private final long randomSeed;
    private final int vusWindow;

    /**
     * Uses the model's own decisions as the threshold and the default baseline seed.
     */
    public TimeSeriesAnomalyEvaluator() {
        this(null, DEFAULT_SEED);
    }

    /**
     * Uses the given threshold.
     * @param threshold The threshold, or null for the model's own decisions.
     * @param randomSeed The seed of the random-score baseline.
     */
    public TimeSeriesAnomalyEvaluator(Threshold threshold, long randomSeed) {
        this(threshold, randomSeed, VolumeUnderSurface.DEFAULT_WINDOW);
    }

    /**
     * Uses the given threshold and VUS window.
     * @param threshold The threshold, or null for the model's own decisions.
     * @param randomSeed The seed of the random-score baseline.
     * @param vusWindow The sliding window of VUS-ROC/VUS-PR ({@link VolumeUnderSurface}), {@code >= 0}; the same
     *                  for every model compared, so that their VUS figures are comparable.
     */
    public TimeSeriesAnomalyEvaluator(Threshold threshold, long randomSeed, int vusWindow) {
        if (vusWindow < 0) {
            throw new IllegalArgumentException("The VUS window must be >= 0, found " + vusWindow);
        }
        this.threshold = threshold;
        this.randomSeed = randomSeed;
        this.vusWindow = vusWindow;
    }

    @Override
    public TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, Dataset<Event> dataset) {
        long start = System.nanoTime();
        List<Prediction<Event>> predictions = model.predict(dataset);
        double ns = (double) (System.nanoTime() - start) / Math.max(1, predictions.size());
        return evaluate(model, predictions, dataset.getProvenance(), ns);
    }

    @Override
    public TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, DataSource<Event> datasource) {
        List<Example<Event>> examples = new ArrayList<>();
        datasource.forEach(examples::add);
        long start = System.nanoTime();
        List<Prediction<Event>> predictions = model.predict(examples);
        double ns = (double) (System.nanoTime() - start) / Math.max(1, predictions.size());
        return evaluate(model, predictions, datasource.getProvenance(), ns);
    }

    @Override
    public TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, List<Prediction<Event>> predictions,
                                                DataProvenance dataProvenance) {
        return evaluate(model, predictions, dataProvenance, Double.NaN);
    }

    private TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, List<Prediction<Event>> predictions,
                                                 DataProvenance dataProvenance, double nsPerExample) {
        // Errors name the model and the data; an index in them is the prediction's (example's) 0-based position.
        return MetricInputs.describing("scores of " + Describe.model(model) + " on " + Describe.data(dataProvenance),
                () -> evaluateNamed(model, predictions, dataProvenance, nsPerExample));
    }

    private TimeSeriesAnomalyEvaluation evaluateNamed(Model<Event> model, List<Prediction<Event>> predictions,
                                                      DataProvenance dataProvenance, double nsPerExample) {
        int n = predictions.size();
        if (n == 0) {
            throw new IllegalArgumentException("No predictions to evaluate");
        }
        double[] scores = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Prediction<Event> p = predictions.get(i);
            scores[i] = p.getOutput().getScore();
            labels[i] = p.getExample().getOutput().getType() == Event.EventType.ANOMALOUS ? 1 : 0;
        }
        double theta;
        String rule;
        ThresholdProvenance thresholdProvenance = null;
        if (threshold != null) {
            theta = threshold.value();
            rule = threshold.toString();
            thresholdProvenance = threshold.provenance();
        } else {
            theta = modelThreshold(predictions, scores);
            rule = "the model's own decisions (largest score it predicts EXPECTED: " + theta + ")";
        }
        AnomalyMetrics metrics = AnomalyMetrics.compute(scores, labels, theta, randomSeed, vusWindow);
        EvaluationProvenance provenance = new EvaluationProvenance(model.getProvenance(), dataProvenance);
        return new TimeSeriesAnomalyEvaluation(metrics, rule, thresholdProvenance, nsPerExample, predictions, scores,
                labels, provenance);
    }

    /** The largest score predicted EXPECTED, checked to reproduce every decision as {@code score > θ}. */
    private static double modelThreshold(List<Prediction<Event>> predictions, double[] scores) {
        double theta = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (predictions.get(i).getOutput().getType() != Event.EventType.ANOMALOUS) {
                theta = Math.max(theta, scores[i]);
            }
        }
        for (int i = 0; i < scores.length; i++) {
            boolean anomalous = predictions.get(i).getOutput().getType() == Event.EventType.ANOMALOUS;
            if (anomalous != (scores[i] > theta)) {
                throw new IllegalArgumentException("The model's decisions are not a threshold on its score (prediction "
                        + i + " has score " + scores[i] + " and type " + predictions.get(i).getOutput().getType()
                        + " while scores up to " + theta + " are EXPECTED); give the evaluator a Threshold");
            }
        }
        return theta;
    }
}
