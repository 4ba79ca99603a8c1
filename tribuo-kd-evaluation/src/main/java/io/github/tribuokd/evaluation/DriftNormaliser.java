package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * Drift normalisation of anomaly scores, window by window: the scores of a window are divided by the median of the
 * mean scores of the {@code K} windows before it,
 * <pre>
 *     ã_t = a_t / median(ā_{w−K}, …, ā_{w−1}),     ā_v = mean of the scores of window v,
 * </pre>
 * so that a slow change of the whole series' error level (a server whose load moves to a range never seen in
 * training) does not raise every score above a threshold calibrated on training data, while a burst that is
 * short compared with the {@code K} windows still stands out. Before any window has been seen the reference is the
 * window's own mean (its normalised scores then average 1). Scores are meant to be non-negative (Mahalanobis
 * scores, reconstruction errors); tiny negative values (a regressed {@code exp(log score) − ε}) are accepted, and a
 * reference that is not positive divides by 1.
 * <p>
 * This is our addition to seed {@code 000_*}'s count rule (its threshold is calibrated once, on training data, and
 * fails on SMD machines whose test series drifts, docs/RESULTS.md). The idea of judging a score against a moving
 * local reference is that of DSPOT (Siffer et al., KDD 2017, "drift": the excess over the moving average of the last
 * {@code d} values); we divide by a moving <i>median</i> of window means instead of subtracting a moving average,
 * since Mahalanobis scores grow multiplicatively with the error level and a median ignores the few anomalous
 * windows inside the history.
 * <p>
 * Usage: {@link #observe} the windows that come before the scored ones (for example the validation tail of the
 * training series, which the test series of SMD continues), then {@link #normalise} each window in time order.
 * A normaliser keeps the last {@code K} window means and allocates nothing per window. Not thread-safe.
 */
public final class DriftNormaliser {

    private final int history;
    private final double[] ring;
    private final double[] scratch;
    private int size;
    private int next;

    /**
     * Creates a normaliser with an empty history.
     * @param history {@code K}, the number of past windows whose mean scores form the reference, at least 1.
     * @throws IllegalArgumentException If {@code K < 1}.
     */
    public DriftNormaliser(int history) {
        if (history < 1) {
            throw new IllegalArgumentException("DriftNormaliser: history K must be at least 1, found " + history);
        }
        this.history = history;
        this.ring = new double[history];
        this.scratch = new double[history];
    }

    /**
     * {@code K}.
     * @return The history length in windows.
     */
    public int history() {
        return history;
    }

    /**
     * The current reference: the median of the last {@code K} window means, or NaN before any window was seen.
     * @return The reference.
     */
    public double reference() {
        if (size == 0) {
            return Double.NaN;
        }
        System.arraycopy(ring, 0, scratch, 0, size);
        Arrays.sort(scratch, 0, size);
        return (size & 1) == 1 ? scratch[size / 2] : 0.5 * (scratch[size / 2 - 1] + scratch[size / 2]);
    }

    /**
     * Adds a window to the history without normalising it.
     * @param pointScores The window's scores, non-empty, finite.
     * @throws IllegalArgumentException If the scores are null, empty, or not finite.
     */
    public void observe(double[] pointScores) {
        push(mean(pointScores));
    }

    /**
     * Normalises one window against the history, then adds it to the history.
     * @param pointScores The window's scores {@code a_t}, non-empty, finite. Not modified.
     * @param out Receives {@code ã_t}; the same length (may be {@code pointScores} itself).
     * @throws IllegalArgumentException If the scores are null, empty or not finite, or {@code out} has the
     *                                  wrong length.
     */
    public void normalise(double[] pointScores, double[] out) {
        double mean = mean(pointScores);
        if (out == null || out.length != pointScores.length) {
            throw new IllegalArgumentException("DriftNormaliser: output length " + (out == null ? "null"
                    : out.length) + " differs from the window's " + pointScores.length + " scores");
        }
        double reference = size == 0 ? mean : reference();
        double divisor = reference > 0 ? reference : 1.0;
        for (int t = 0; t < pointScores.length; t++) {
            out[t] = pointScores[t] / divisor;
        }
        push(mean);
    }

    /**
     * Normalises windows in time order after observing {@code prior} windows (convenience for whole series).
     * @param prior Windows before the scored ones, in time order (may be empty).
     * @param windows The windows to normalise, in time order.
     * @param history {@code K}.
     * @return New arrays of normalised scores, one per window.
     * @throws IllegalArgumentException As {@link #observe} and {@link #normalise}.
     */
    public static double[][] normaliseAll(double[][] prior, double[][] windows, int history) {
        DriftNormaliser normaliser = new DriftNormaliser(history);
        for (double[] w : prior) {
            normaliser.observe(w);
        }
        double[][] out = new double[windows.length][];
        for (int i = 0; i < windows.length; i++) {
            out[i] = new double[windows[i] == null ? 0 : windows[i].length];
            normaliser.normalise(windows[i], out[i]);
        }
        return out;
    }

    private void push(double mean) {
        ring[next] = mean;
        next = (next + 1) % history;
        size = Math.min(size + 1, history);
    }

    private static double mean(double[] scores) {
        if (scores == null || scores.length == 0) {
            throw new IllegalArgumentException("DriftNormaliser: a window needs at least one score");
        }
        double sum = 0;
        for (int t = 0; t < scores.length; t++) {
            double a = scores[t];
            if (!Double.isFinite(a)) {
                throw new IllegalArgumentException("DriftNormaliser: scores must be finite, found " + a
                        + " at index " + t);
            }
            sum += a;
        }
        return sum / scores.length;
    }

    @Override
    public String toString() {
        return "DriftNormaliser(K=" + history + ", windows seen=" + size + ")";
    }
}
