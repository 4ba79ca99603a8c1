package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.Quantiles;

import java.util.Arrays;

/**
 * Drift normalisation of anomaly scores, window by window: the scores of window {@code w} are divided by the median
 * of the mean scores of {@code K} earlier windows, skipping the {@code G} windows just before it (the gap),
 * <pre>
 *     ã_t = a_t / median(ā_{w−G−K}, …, ā_{w−G−1}),     ā_v = mean of the scores of window v,
 * </pre>
 * so that a slow change of the whole series' error level (a server whose load moves to a range never seen in
 * training) does not raise every score above a threshold calibrated on training data, while a burst that is
 * short compared with the {@code K} windows still stands out. The gap keeps an anomaly segment out of its own
 * reference for its first {@code G} windows: without it ({@code G = 0}) a segment longer than about {@code K / 2}
 * windows raises the median it is judged against and hides itself. While fewer than {@code G + 1} windows have been
 * seen, the reference is the median of all of them; before any window it is the window's own mean (its normalised
 * scores then average 1). Scores are meant to be non-negative (Mahalanobis
 * scores, reconstruction errors); tiny negative values (a regressed {@code exp(log score) − ε}) are accepted, and a
 * reference that is not positive divides by 1.
 * <p>
 * This is our addition to seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)'s count rule (its threshold is calibrated once, on training data, and
 * fails on SMD machines whose test series drifts, docs/RESULTS.md). The idea of judging a score against a moving
 * local reference is that of DSPOT (Siffer et al., KDD 2017, "drift": the excess over the moving average of the last
 * {@code d} values); we divide by a moving <i>median</i> of window means instead of subtracting a moving average,
 * since Mahalanobis scores grow multiplicatively with the error level and a median ignores the few anomalous
 * windows inside the history.
 * <p>
 * Usage: {@link #observe} the windows that come before the scored ones (for example the validation tail of the
 * training series, which the test series of SMD continues), then {@link #normalise} each window in time order.
 * A normaliser keeps the last {@code K + G} window means and allocates nothing per window. Not thread-safe.
 */
public final class DriftNormaliser {

    private final int history;
    private final int gap;
    /** The last {@code K + G} window means; {@code ring[(next - 1) mod (K + G)]} is the newest. */
    private final double[] ring;
    private final double[] scratch;
    private int size;
    private int next;

    /**
     * Creates a normaliser with an empty history and no gap: the reference is the median of the last {@code K}
     * window means.
     * @param history {@code K}, the number of past windows whose mean scores form the reference, at least 1.
     * @throws IllegalArgumentException If {@code K < 1}.
     */
    public DriftNormaliser(int history) {
        this(history, 0);
    }

    /**
     * Creates a normaliser with an empty history.
     * @param history {@code K}, the number of past windows whose mean scores form the reference, at least 1.
     * @param gap     {@code G}, the number of windows just before the scored one left out of the reference, at
     *                least 0.
     * @throws IllegalArgumentException If {@code K < 1} or {@code G < 0}.
     */
    public DriftNormaliser(int history, int gap) {
        if (history < 1) {
            throw new IllegalArgumentException("DriftNormaliser: history K must be at least 1, found " + history);
        }
        if (gap < 0) {
            throw new IllegalArgumentException("DriftNormaliser: gap G must be at least 0, found " + gap);
        }
        this.history = history;
        this.gap = gap;
        this.ring = new double[history + gap];
        this.scratch = new double[history + gap];
    }

    /**
     * {@code K}.
     * @return The history length in windows.
     */
    public int history() {
        return history;
    }

    /**
     * {@code G}.
     * @return The number of windows just before the scored one left out of the reference.
     */
    public int gap() {
        return gap;
    }

    /**
     * The current reference: the median of the means of the {@code K} windows that precede the last {@code G}
     * (fewer while the history is short; all windows seen while at most {@code G} were), or NaN before any window
     * was seen.
     * @return The reference.
     */
    public double reference() {
        if (size == 0) {
            return Double.NaN;
        }
        // the oldest min(K, size - G) entries of the ring, or all of them while size <= G
        int n = size > gap ? Math.min(history, size - gap) : size;
        int capacity = ring.length;
        int oldest = (next - size + capacity) % capacity;
        for (int i = 0; i < n; i++) {
            scratch[i] = ring[(oldest + i) % capacity];
        }
        Arrays.sort(scratch, 0, n);
        return Quantiles.quantileOfSorted(scratch, 0, n, 0.5);
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
        return normaliseAll(prior, windows, history, 0);
    }

    /**
     * Normalises windows in time order after observing {@code prior} windows, with a gap.
     * @param prior Windows before the scored ones, in time order (may be empty).
     * @param windows The windows to normalise, in time order.
     * @param history {@code K}.
     * @param gap {@code G}.
     * @return New arrays of normalised scores, one per window.
     * @throws IllegalArgumentException As {@link #DriftNormaliser(int, int)}, {@link #observe} and
     *                                  {@link #normalise}.
     */
    public static double[][] normaliseAll(double[][] prior, double[][] windows, int history, int gap) {
        DriftNormaliser normaliser = new DriftNormaliser(history, gap);
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
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
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
        return "DriftNormaliser(K=" + history + ", G=" + gap + ", windows seen=" + size + ")";
    }
}
