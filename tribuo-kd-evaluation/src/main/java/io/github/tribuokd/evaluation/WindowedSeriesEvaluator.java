package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.anomaly.ScoreTransform;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SeriesScores;
import io.github.tribuokd.timeseries.WindowedSeriesDataSource;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.evaluation.Evaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.EvaluationProvenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * Evaluates a detector trained on windows <b>point by point</b> on a labelled series: the Tribuo {@link Evaluator}
 * behind the {@code score} command and the reports. Every stride-1 window of the series is scored, window scores are
 * mapped to points by {@link SeriesScores} (a point takes the score of the latest window ending at or before it),
 * and every metric of {@link AnomalyMetrics} is computed against the point labels, with {@link EvaluationProvenance}
 * naming the model and the data source.
 * <p>
 * The data must be a {@link WindowedSeriesDataSource} over a labelled series (or the series itself through
 * {@link #evaluate(Model, MultivariateSeries, DataProvenance)}): a dataset of windows has lost the point labels
 * (a window is labelled anomalous when any of its points is), so {@link #evaluate(Model, Dataset)} and
 * {@link #evaluate(Model, List, DataProvenance)} refuse with a message saying what to pass instead.
 * <p>
 * Threshold: the model's own (a point is anomalous when its score is strictly above {@code model.threshold()}), or a
 * {@link Threshold} given to the constructor.
 */
public final class WindowedSeriesEvaluator implements Evaluator<Event, TimeSeriesAnomalyEvaluation> {

    private final Threshold threshold;
    private final long randomSeed;
    private final int vusWindow;

    /** Uses each model's own threshold and the default baseline seed. */
    public WindowedSeriesEvaluator() {
        this(null, TimeSeriesAnomalyEvaluator.DEFAULT_SEED);
    }

    /**
     * @param threshold The threshold, or null for the model's own.
     * @param randomSeed The seed of the random-score baseline.
     */
    public WindowedSeriesEvaluator(Threshold threshold, long randomSeed) {
        this(threshold, randomSeed, VolumeUnderSurface.DEFAULT_WINDOW);
    }

    /**
     * @param threshold The threshold, or null for the model's own.
     * @param randomSeed The seed of the random-score baseline.
     * @param vusWindow The sliding window of VUS-ROC/VUS-PR ({@link VolumeUnderSurface}), {@code >= 0}; keep it the
     *                  same for every model compared (not each model's own window length), so that their VUS figures
     *                  are comparable.
     */
    public WindowedSeriesEvaluator(Threshold threshold, long randomSeed, int vusWindow) {
        if (vusWindow < 0) {
            throw new IllegalArgumentException("The VUS window must be >= 0, found " + vusWindow);
        }
        this.threshold = threshold;
        this.randomSeed = randomSeed;
        this.vusWindow = vusWindow;
    }

    /**
     * Evaluates on the series of a {@link WindowedSeriesDataSource}.
     * @param model A window detector of this library.
     * @param datasource A {@link WindowedSeriesDataSource} over a labelled series.
     * @return The point-wise evaluation.
     */
    @Override
    public TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, DataSource<Event> datasource) {
        if (!(datasource instanceof WindowedSeriesDataSource)) {
            throw new IllegalArgumentException("Point-wise evaluation needs the series: pass a WindowedSeriesDataSource,"
                    + " not a " + datasource.getClass().getName());
        }
        WindowedSeriesDataSource source = (WindowedSeriesDataSource) datasource;
        return MetricInputs.describing("scores of " + Describe.model(model) + " on series '" + source.series().name()
                + "' from " + source.seriesSource(), () -> evaluateNamed(model, source.series(), source.getProvenance()));
    }

    /**
     * Evaluates on a labelled series.
     * @param model A window detector of this library whose windows read the series' variables.
     * @param series The labelled series, in time order.
     * @param dataProvenance The provenance of the series.
     * @return The point-wise evaluation.
     */
    public TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, MultivariateSeries series,
                                                DataProvenance dataProvenance) {
        Objects.requireNonNull(series, "series");
        return MetricInputs.describing("scores of " + Describe.model(model) + " on series '" + series.name() + "'",
                () -> evaluateNamed(model, series, dataProvenance));
    }

    /** Evaluates; errors are named by the caller. An index in them is the 0-based time step. */
    private TimeSeriesAnomalyEvaluation evaluateNamed(Model<Event> model, MultivariateSeries series,
                                                     DataProvenance dataProvenance) {
        AbstractScoredAnomalyModel detector = detector(model);
        if (!series.hasLabels()) {
            throw new IllegalArgumentException("'" + series.name() + "' has no labels to evaluate against");
        }
        long start = System.nanoTime();
        SeriesScores scores = SeriesScores.of(detector, series);
        double nsPerWindow = (double) (System.nanoTime() - start) / scores.windowScores().length;
        double[] points = scores.pointScores();
        int[] labels = series.copyLabels();
        double theta = threshold == null ? detector.threshold() : threshold.value();
        String rule = threshold == null ? "the model's threshold (" + theta + "): point score > threshold"
                : threshold.toString();
        AnomalyMetrics metrics = AnomalyMetrics.compute(points, labels, theta, randomSeed, vusWindow);
        List<Prediction<Event>> predictions = new ArrayList<>(points.length);
        String[] names = new String[series.numVariables()];
        for (int v = 0; v < names.length; v++) {
            names[v] = String.format("v%03d", v);
        }
        int numFeatures = detector.getFeatureIDMap().size();
        for (int t = 0; t < points.length; t++) {
            double[] values = new double[names.length];
            for (int v = 0; v < names.length; v++) {
                values[v] = series.value(t, v);
            }
            Event truth = new Event(labels[t] == 1 ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED);
            ArrayExample<Event> point = new ArrayExample<>(truth, names, values);
            Event predicted = new Event(points[t] > theta ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED,
                    points[t]);
            predictions.add(new Prediction<>(predicted, numFeatures, point));
        }
        return new TimeSeriesAnomalyEvaluation(metrics, rule, threshold == null ? null : threshold.provenance(),
                nsPerWindow, predictions, points, labels,
                new EvaluationProvenance(model.getProvenance(), dataProvenance));
    }

    /**
     * Compares a teacher and a student point by point on the same labelled series: both evaluations, and the
     * {@link DistillationEvaluation} (metric differences, EMD between their score distributions on inliers and
     * outliers in the scale {@code transform} gives, sizes and speeds).
     * @param teacher The teacher.
     * @param student The student.
     * @param source The labelled data.
     * @param transform The scale of the EMD (e.g. {@link ScoreTransform#LOG}).
     * @param epsilon The offset of the log scale.
     * @return The comparison.
     */
    public DistillationEvaluation compare(Model<Event> teacher, Model<Event> student,
                                          WindowedSeriesDataSource source, ScoreTransform transform, double epsilon) {
        TimeSeriesAnomalyEvaluation t = evaluate(teacher, source);
        TimeSeriesAnomalyEvaluation s = evaluate(student, source);
        DoubleUnaryOperator scale = v -> transform.toTarget(Math.max(v, 0), epsilon);
        String name = transform == ScoreTransform.LOG ? "ln(score + " + epsilon + ")" : "raw score";
        return DistillationEvaluation.compare(t, s, scale, name, detector(teacher).numParameters(),
                detector(student).numParameters());
    }

    /** Refused: windows have lost the point labels. */
    @Override
    public TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, Dataset<Event> dataset) {
        throw new IllegalArgumentException("A dataset of windows has lost the point labels; evaluate the "
                + "WindowedSeriesDataSource it was built from (evaluate(model, source)), or use "
                + "TimeSeriesAnomalyEvaluator for one example per time point");
    }

    /** Refused: window predictions have lost the point labels. */
    @Override
    public TimeSeriesAnomalyEvaluation evaluate(Model<Event> model, List<Prediction<Event>> predictions,
                                                DataProvenance dataProvenance) {
        throw new IllegalArgumentException("Window predictions have lost the point labels; evaluate the "
                + "WindowedSeriesDataSource (evaluate(model, source)), or use TimeSeriesAnomalyEvaluator for one "
                + "prediction per time point");
    }

    private static AbstractScoredAnomalyModel detector(Model<Event> model) {
        if (!(model instanceof AbstractScoredAnomalyModel)) {
            throw new IllegalArgumentException("Point-wise window evaluation needs a window detector of this library "
                    + "(AbstractScoredAnomalyModel), not a " + model.getClass().getName());
        }
        return (AbstractScoredAnomalyModel) model;
    }
}
