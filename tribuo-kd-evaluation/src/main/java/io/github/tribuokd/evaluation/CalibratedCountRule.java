package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.Counts;
import io.github.tribuokd.anomaly.Quantiles;

/**
 * Seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)'s count rule (§2.1) calibrated without labels on normal validation windows ("rule N" of the
 * {@code smd-lstm} protocol): {@code τ} = the {@code q_τ}-quantile of every point score of the windows
 * ({@link MahalanobisCountRule#tauFromQuantile}), {@code c} = 1 + ⌈the {@code q_c}-quantile of the windows' counts of
 * scores above {@code τ}⌉; a window is anomalous when at least {@code c} of its scores exceed {@code τ}. For windows
 * of one score (a model with a scalar score) {@code c = 1}: a window is anomalous when its score exceeds {@code τ}.
 * <p>
 * The scores may be Mahalanobis point scores {@code a_t} (eq. 1) or any scores on the same windows, for example
 * drift-normalised ones ({@link DriftNormaliser}, "rule D"). Immutable.
 */
public final class CalibratedCountRule {

    /** The count quantile {@code q_c} of the seed-000 protocol: {@code c} = 1 + the 0.99 quantile of the counts. */
    public static final double DEFAULT_COUNT_QUANTILE = 0.99;

    private final double tau;
    private final int count;

    private CalibratedCountRule(double tau, int count) {
        this.tau = tau;
        this.count = count;
    }

    /**
     * Calibrates the rule with {@code q_c} = {@value #DEFAULT_COUNT_QUANTILE}.
     * @param validationWindows Point scores of normal validation windows, {@code [numWindows][L]}, every row of the
     *                          same length, finite.
     * @param tauQuantile {@code q_τ} in {@code [0, 1]}.
     * @return The rule.
     * @throws IllegalArgumentException If there are no windows, a window is empty, or a score is not finite.
     */
    public static CalibratedCountRule calibrate(double[][] validationWindows, double tauQuantile) {
        return calibrate(validationWindows, tauQuantile, DEFAULT_COUNT_QUANTILE);
    }

    /**
     * Calibrates the rule on normal validation windows.
     * @param validationWindows Point scores of normal validation windows, {@code [numWindows][L]}, every row of the
     *                          same length, finite.
     * @param tauQuantile {@code q_τ} in {@code [0, 1]}.
     * @param countQuantile {@code q_c} in {@code [0, 1]}.
     * @return The rule.
     * @throws IllegalArgumentException If there are no windows, a window is empty or ragged, or a score is not
     *                                  finite.
     */
    public static CalibratedCountRule calibrate(double[][] validationWindows, double tauQuantile,
                                                double countQuantile) {
        if (validationWindows == null || validationWindows.length == 0 || validationWindows[0] == null
                || validationWindows[0].length == 0) {
            throw new IllegalArgumentException("CalibratedCountRule: no validation windows (or an empty first window)"
                    + " to calibrate on");
        }
        int steps = validationWindows[0].length;
        double[] all = new double[validationWindows.length * steps];
        for (int v = 0; v < validationWindows.length; v++) {
            if (validationWindows[v] == null || validationWindows[v].length != steps) {
                throw new IllegalArgumentException("CalibratedCountRule: validation window " + v + " has "
                        + (validationWindows[v] == null ? "no" : validationWindows[v].length) + " scores, expected "
                        + steps);
            }
            System.arraycopy(validationWindows[v], 0, all, v * steps, steps);
        }
        double tau = MahalanobisCountRule.tauFromQuantile(all, tauQuantile);
        double[] counts = new double[validationWindows.length];
        for (int v = 0; v < counts.length; v++) {
            counts[v] = Counts.countAbove(validationWindows[v], tau);
        }
        if (steps == 1) {
            return new CalibratedCountRule(tau, 1); // one score per window: anomalous when it exceeds tau
        }
        return new CalibratedCountRule(tau, 1 + (int) Math.ceil(Quantiles.quantile(counts, countQuantile)));
    }

    /**
     * The point threshold {@code τ}.
     * @return {@code τ}.
     */
    public double tau() {
        return tau;
    }

    /**
     * The window count {@code c}.
     * @return {@code c ≥ 1}.
     */
    public int count() {
        return count;
    }

    /**
     * Whether a window is anomalous: at least {@code c} of its scores exceed {@code τ}.
     * @param windowScores The window's point scores.
     * @return True when the window is anomalous.
     */
    public boolean isAnomalous(double[] windowScores) {
        return Counts.countAbove(windowScores, tau) >= count;
    }

    /**
     * The rule's decisions on some windows, against their labels.
     * @param windows Point scores of every window.
     * @param part The indices of the windows decided on.
     * @param labels One 0/1 label per window of {@code windows}.
     * @return The confusion counts on {@code part}.
     */
    public ConfusionCounts evaluate(double[][] windows, int[] part, int[] labels) {
        boolean[] flagged = new boolean[part.length];
        int[] partLabels = new int[part.length];
        for (int k = 0; k < part.length; k++) {
            flagged[k] = isAnomalous(windows[part[k]]);
            partLabels[k] = labels[part[k]];
        }
        return ConfusionCounts.of(flagged, partLabels);
    }

    /**
     * The rule in the reports' words.
     * @return {@code "tau <τ>, c <c>"}.
     */
    @Override
    public String toString() {
        return String.format("tau %.3g, c %d", tau, count);
    }
}
