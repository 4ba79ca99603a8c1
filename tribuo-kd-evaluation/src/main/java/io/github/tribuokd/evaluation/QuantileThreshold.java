package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.tribuokd.anomaly.Quantiles;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The quantile threshold of docs/EVALUATION.md ("What is computed", thresholds): {@code θ} is the
 * {@code q}-quantile of the anomaly scores of held-out normal data (a validation split of the training series,
 * never the test set), and a score is anomalous when {@code score > θ}.
 * <p>
 * The quantile is the library's one quantile function, {@link Quantiles#quantile}: linear interpolation between
 * order statistics, NumPy's default {@code numpy.quantile(x, q, method="linear")}. With the scores sorted ascending
 * as {@code x_0 ≤ … ≤ x_{n−1}},
 * <pre>
 *     h = q·(n − 1),   j = ⌊h⌋,   θ = x_j + (h − j)·(x_{j+1} − x_j)
 * </pre>
 * so {@code q = 0} gives the minimum and {@code q = 1} the maximum; a trainer's threshold at the same {@code q} on
 * the same scores is the same double. The same rule gives POT's initial threshold in {@link PotThreshold}.
 */
public final class QuantileThreshold implements Threshold {

    /**
     * The interpolation rule recorded in the provenance.
     */
    public static final String INTERPOLATION_RULE = Quantiles.INTERPOLATION_RULE;

    private final double q;
    private final int numCalibrationScores;
    private final double value;
    private final ThresholdProvenance provenance;

    private QuantileThreshold(double q, int numCalibrationScores, double value) {
        this.q = q;
        this.numCalibrationScores = numCalibrationScores;
        this.value = value;
        Map<String, Provenance> map = new HashMap<>();
        map.put(ThresholdProvenance.Q, new DoubleProvenance(ThresholdProvenance.Q, q));
        map.put(ThresholdProvenance.NUM_CALIBRATION_SCORES,
                new IntProvenance(ThresholdProvenance.NUM_CALIBRATION_SCORES, numCalibrationScores));
        map.put(ThresholdProvenance.INTERPOLATION,
                new StringProvenance(ThresholdProvenance.INTERPOLATION, INTERPOLATION_RULE));
        map.put(ThresholdProvenance.THRESHOLD, new DoubleProvenance(ThresholdProvenance.THRESHOLD, value));
        this.provenance = new ThresholdProvenance(QuantileThreshold.class.getName(), map);
    }

    /**
     * Fits the threshold as the {@code q}-quantile of the calibration scores (linear interpolation, NumPy's
     * default; see the class documentation).
     * @param calibrationScores Scores of held-out normal data, finite, at least one. Not modified.
     * @param q The quantile in {@code [0, 1]}, for example {@code 0.99}.
     * @return The fitted threshold.
     * @throws IllegalArgumentException If the scores are null, empty or contain NaN or infinite values, or if
     *                                  {@code q} is not in {@code [0, 1]}.
     */
    public static QuantileThreshold fit(double[] calibrationScores, double q) {
        double value = quantile(calibrationScores, q, "QuantileThreshold");
        return new QuantileThreshold(q, calibrationScores.length, value);
    }

    /**
     * The threshold {@code θ}, the {@code q}-quantile of the calibration scores.
     * @return The threshold value.
     */
    @Override
    public double value() {
        return value;
    }

    /**
     * The quantile {@code q} the threshold was fitted at.
     * @return The quantile.
     */
    public double q() {
        return q;
    }

    /**
     * The number of calibration scores the threshold was fitted on.
     * @return The number of calibration scores.
     */
    public int numCalibrationScores() {
        return numCalibrationScores;
    }

    /**
     * The provenance: {@code q}, the number of calibration scores, the interpolation rule and the threshold.
     * @return The provenance.
     */
    @Override
    public ThresholdProvenance provenance() {
        return provenance;
    }

    /**
     * A readable summary.
     * @return The summary.
     */
    @Override
    public String toString() {
        return "QuantileThreshold(q=" + q + ", n=" + numCalibrationScores + ", value=" + value + ")";
    }

    /**
     * Validates the scores and {@code q}, and returns their {@code q}-quantile ({@link Quantiles}).
     * @param scores The scores (not modified).
     * @param q The quantile in {@code [0, 1]}.
     * @param who The caller's name for exception messages.
     * @return The quantile.
     */
    static double quantile(double[] scores, double q, String who) {
        checkScores(scores, who);
        if (!(q >= 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException(who + ": quantile q must be in [0, 1], found " + q);
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return Quantiles.quantileOfSorted(sorted, q);
    }

    /**
     * Checks that scores are non-null, non-empty and finite.
     * @param scores The scores.
     * @param who The caller's name for exception messages.
     */
    static void checkScores(double[] scores, String who) {
        if (scores == null) {
            throw new IllegalArgumentException(who + ": calibration scores must not be null");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException(who + ": calibration scores must not be empty");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(who + ": calibration scores must be finite, found "
                        + scores[i] + " at index " + i);
            }
        }
    }
}
