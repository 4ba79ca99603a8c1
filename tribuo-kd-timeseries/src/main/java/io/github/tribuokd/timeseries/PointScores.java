package io.github.tribuokd.timeseries;

import java.util.Objects;

/**
 * Maps window-level anomaly scores back to time points, for point-level evaluation of a windowed model
 * (docs/EVALUATION.md, "Conventions"). Windows are those of {@link SlidingWindows}: window {@code w} covers
 * {@code [w*s, w*s + L - 1]}.
 * <p>
 * The rule: <b>each point takes the score of the latest window that ends at or before it</b>; the
 * points before the end of the first window ({@code t < L - 1}) take the score of the first window.
 * With stride 1 this is the usual convention: point {@code t >= L - 1} gets the score of the window
 * ending at {@code t}, and the first {@code L - 1} points get the score of the first full window. The
 * rule is causal: a point's score never depends on data after it, except for the first {@code L - 1}
 * points, which have no full window of their own.
 */
public final class PointScores {

    private PointScores() {
    }

    /**
     * Maps the scores of stride-1 windows to points: point {@code t >= L - 1} gets the score of the
     * window ending at {@code t} (window {@code t - L + 1}); points {@code t < L - 1} get
     * {@code windowScores[0]}.
     *
     * @param windowScores One score per window, {@code numSteps - windowLength + 1} of them.
     * @param windowLength The window length L, at least 1.
     * @param numSteps     The number of time steps of the series, at least L.
     * @return A new array of {@code numSteps} point scores.
     * @throws IllegalArgumentException If the arguments are inconsistent.
     */
    public static double[] fromWindowScores(double[] windowScores, int windowLength, int numSteps) {
        return fromWindowScores(windowScores, windowLength, 1, numSteps);
    }

    /**
     * Maps the scores of windows of any stride to points: point {@code t} gets the score of the latest
     * window ending at or before {@code t}, i.e. window {@code floor((t - L + 1) / s)} when
     * {@code t >= L - 1}; points {@code t < L - 1} get {@code windowScores[0]}. Points after the end of
     * the last window (the remainder when {@code (numSteps - L)} is not a multiple of {@code s}) get the
     * last window's score.
     *
     * @param windowScores One score per window, {@code floor((numSteps - L) / s) + 1} of them.
     * @param windowLength The window length L, at least 1.
     * @param stride       The stride s, at least 1.
     * @param numSteps     The number of time steps of the series, at least L.
     * @return A new array of {@code numSteps} point scores.
     * @throws IllegalArgumentException If the arguments are inconsistent.
     */
    public static double[] fromWindowScores(double[] windowScores, int windowLength, int stride, int numSteps) {
        Objects.requireNonNull(windowScores, "windowScores must not be null");
        SlidingWindows windows = new SlidingWindows(windowLength, stride);
        if (numSteps < windowLength) {
            throw new IllegalArgumentException("numSteps (" + numSteps + ") must be at least the window length ("
                    + windowLength + ")");
        }
        int numWindows = windows.numWindows(numSteps);
        if (windowScores.length != numWindows) {
            throw new IllegalArgumentException("expected " + numWindows + " window scores for " + numSteps
                    + " steps, window length " + windowLength + " and stride " + stride + ", found "
                    + windowScores.length);
        }
        double[] points = new double[numSteps];
        int firstEnd = windowLength - 1;
        for (int t = 0; t < numSteps; t++) {
            int w = t < firstEnd ? 0 : Math.min((t - firstEnd) / stride, numWindows - 1);
            points[t] = windowScores[w];
        }
        return points;
    }

    /**
     * Maps scores given at a regular grid of times to points: score {@code k} belongs to time
     * {@code firstTime + k * spacing} (e.g. the MSCRED inputs of a {@link SignatureMatrixSequence}, one per
     * matrix time, see {@link SignatureMatrixSequence#pointScores(double[])}). By the rule of this class,
     * point {@code t} gets the score of the latest grid time at or before {@code t}, i.e. score
     * {@code floor((t - firstTime) / spacing)} when {@code t >= firstTime}; points {@code t < firstTime} get
     * {@code scores[0]}. A grid time is the end of a window of length {@code firstTime + 1} and stride
     * {@code spacing}, so this equals {@link #fromWindowScores(double[], int, int, int)} with those
     * arguments.
     *
     * @param scores    One score per grid time inside the series:
     *                  {@code floor((numSteps - 1 - firstTime) / spacing) + 1} of them.
     * @param firstTime The time of {@code scores[0]}, in {@code [0, numSteps)}.
     * @param spacing   The number of time steps between two grid times, at least 1.
     * @param numSteps  The number of time steps of the series.
     * @return A new array of {@code numSteps} point scores.
     * @throws IllegalArgumentException If the arguments are inconsistent.
     */
    public static double[] fromGridScores(double[] scores, int firstTime, int spacing, int numSteps) {
        Objects.requireNonNull(scores, "scores must not be null");
        if (firstTime < 0 || firstTime >= numSteps) {
            throw new IllegalArgumentException("firstTime must be in [0, numSteps = " + numSteps + "), found "
                    + firstTime);
        }
        if (spacing < 1) {
            throw new IllegalArgumentException("spacing must be at least 1, found " + spacing);
        }
        int expected = (numSteps - 1 - firstTime) / spacing + 1;
        if (scores.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " scores for the grid times " + firstTime
                    + ", " + firstTime + " + " + spacing + ", ... inside " + numSteps + " steps, found "
                    + scores.length);
        }
        return fromWindowScores(scores, firstTime + 1, spacing, numSteps);
    }
}
