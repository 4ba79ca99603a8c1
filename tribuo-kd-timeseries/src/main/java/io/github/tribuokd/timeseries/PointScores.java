package io.github.tribuokd.timeseries;

import java.util.Objects;

/**
 * Maps window-level anomaly scores back to time points, for point-level evaluation of a windowed model
 * (METRICS.md, "Window labels"). Windows are those of {@link SlidingWindows}: window {@code w} covers
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
}
