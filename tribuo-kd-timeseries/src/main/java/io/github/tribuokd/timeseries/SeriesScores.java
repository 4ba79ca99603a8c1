package io.github.tribuokd.timeseries;

import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.anomaly.WindowLayout;

import java.util.Objects;

/**
 * The scores and decisions of a windowed detector on every point of a series: the library's one route from a model
 * trained on {@link SlidingWindows} to point-wise output (what the {@code score} command writes and the point-wise
 * evaluation reads).
 * <p>
 * The model's features must be the window names {@code t<step>.v<variable>} of L steps × m variables
 * ({@link WindowLayout}), and the series must have the same m variables in the same order. Every stride-1 window is
 * scored straight from the series' values ({@link AbstractScoredAnomalyModel#scoreSeries}, no example or copy per
 * window), window scores are mapped to points by {@link PointScores}' rule (a point takes the score of the latest
 * window ending at or before it; the first L − 1 points take the first window's), and a point is anomalous when
 * its score is strictly above the model's threshold, the model's own decision rule. Immutable.
 */
public final class SeriesScores {

    private final int windowLength;
    private final double threshold;
    private final double[] windowScores;
    private final double[] pointScores;

    private SeriesScores(int windowLength, double threshold, double[] windowScores, double[] pointScores) {
        this.windowLength = windowLength;
        this.threshold = threshold;
        this.windowScores = windowScores;
        this.pointScores = pointScores;
    }

    /**
     * Scores every point of a series.
     * @param model A detector trained on windows of the series' variables.
     * @param series The series, in time order.
     * @return The scores.
     * @throws IllegalArgumentException If the model is not a window model of {@code series.numVariables()}
     *                                  variables, or the series is shorter than one window.
     */
    public static SeriesScores of(AbstractScoredAnomalyModel model, MultivariateSeries series) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(series, "series");
        WindowLayout layout = WindowLayout.of(model.getFeatureIDMap(), model.getClass().getSimpleName());
        if (layout.variables() != series.numVariables()) {
            throw new IllegalArgumentException("The model reads windows of " + layout.variables() + " variables but '"
                    + series.name() + "' has " + series.numVariables());
        }
        int length = layout.steps();
        if (series.numSteps() < length) {
            throw new IllegalArgumentException("'" + series.name() + "' has " + series.numSteps()
                    + " rows, fewer than one window of " + length + " steps");
        }
        double[] windows = new double[series.numSteps() - length + 1];
        model.scoreSeries(series.valuesView(), series.numSteps(), series.numVariables(), 1, windows);
        double[] points = PointScores.fromWindowScores(windows, length, series.numSteps());
        return new SeriesScores(length, model.threshold(), windows, points);
    }

    /**
     * The window length L of the model.
     * @return L.
     */
    public int windowLength() {
        return windowLength;
    }

    /**
     * The model's threshold: a point is anomalous when its score is strictly above it.
     * @return The threshold.
     */
    public double threshold() {
        return threshold;
    }

    /**
     * The score of every stride-1 window, in order ({@code numSteps − L + 1} of them).
     * @return A copy.
     */
    public double[] windowScores() {
        return windowScores.clone();
    }

    /**
     * The score of every point.
     * @return A copy, one per step of the series.
     */
    public double[] pointScores() {
        return pointScores.clone();
    }

    /**
     * The number of points.
     * @return The series length.
     */
    public int numPoints() {
        return pointScores.length;
    }

    /**
     * The score of one point.
     * @param t The time step.
     * @return Its score.
     */
    public double score(int t) {
        return pointScores[t];
    }

    /**
     * The decision at one point: its score strictly above the threshold.
     * @param t The time step.
     * @return True when anomalous.
     */
    public boolean anomalous(int t) {
        return pointScores[t] > threshold;
    }

    /**
     * The decisions at every point, 1 = anomalous.
     * @return One per step.
     */
    public int[] decisions() {
        int[] out = new int[pointScores.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = anomalous(t) ? 1 : 0;
        }
        return out;
    }
}
