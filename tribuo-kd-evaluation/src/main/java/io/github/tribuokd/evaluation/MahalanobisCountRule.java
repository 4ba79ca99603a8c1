package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import io.github.tribuokd.anomaly.Counts;
import io.github.tribuokd.anomaly.MahalanobisDistance;
import io.github.tribuokd.anomaly.MahalanobisWindowRule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The Mahalanobis anomaly score on reconstruction errors and its window count rule, seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md), eq. 1
 * (docs/EVALUATION.md, "What is computed", thresholds), as a {@link Threshold} for evaluation.
 * <p>
 * For a point {@code t} with reconstruction-error vector {@code e_t = |x_t − x'_t|} ({@code m}-dimensional), the
 * anomaly score is (eq. 1)
 * <pre>
 *     a_t = (e_t − μ)ᵀ Σ⁻¹ (e_t − μ)
 * </pre>
 * where {@code μ} and {@code Σ} are the mean and covariance of a normal distribution fitted to the error vectors of
 * a validation split of normal data. A point is anomalous when {@code a_t > τ} (strict), and a window is anomalous
 * when the number of its points with {@code a_t > τ} is <b>at least</b> {@code c} (docs/EVALUATION.md; the seed's wording
 * "exceeds a certain count" {@code k} corresponds to {@code c = k + 1}).
 * <p>
 * The arithmetic lives in {@code tribuo-kd-anomaly}: {@link MahalanobisDistance} fits {@code μ} and the unbiased
 * {@code Σ} (divided by {@code n − 1}), factorises {@code Σ} by Cholesky, adds a ridge when {@code Σ} is numerically
 * singular (starting at {@value #INITIAL_RIDGE_FACTOR}{@code ·trace(Σ)/m}, multiplied by 10 until the factorisation
 * succeeds; recorded in {@link #ridge()}, {@link #covarianceWasSingular()} and the provenance) and scores by a
 * triangular solve; {@link MahalanobisWindowRule} holds {@code τ} and {@code c}. This class wraps that rule, so that
 * the rule a report evaluates is the very object a deployed model carries ({@link #modelRule()},
 * {@code LSTMAutoencoderModel.withDecisionRule}), and adds what evaluation needs: window decisions over a series and
 * the choice of {@code τ} and {@code c} on labelled windows.
 * <p>
 * As a {@link Threshold}, {@link #value()} is {@code τ}. Instances are immutable.
 */
public final class MahalanobisCountRule implements Threshold {

    /**
     * The first ridge tried, as a multiple of {@code trace(Σ)/m} (of 1 when the trace is 0).
     */
    public static final double INITIAL_RIDGE_FACTOR = MahalanobisDistance.INITIAL_RIDGE_FACTOR;

    /**
     * A Cholesky pivot at or below this multiple of its diagonal entry marks {@code Σ} as numerically singular.
     */
    public static final double SINGULARITY_TOLERANCE = MahalanobisDistance.SINGULARITY_TOLERANCE;

    private final MahalanobisWindowRule rule;
    private final ThresholdProvenance provenance;

    private MahalanobisCountRule(MahalanobisWindowRule rule) {
        this.rule = rule;
        MahalanobisDistance distance = rule.distance();
        Map<String, Provenance> map = new HashMap<>();
        map.put(ThresholdProvenance.TAU, new DoubleProvenance(ThresholdProvenance.TAU, rule.tau()));
        map.put(ThresholdProvenance.THRESHOLD, new DoubleProvenance(ThresholdProvenance.THRESHOLD, rule.tau()));
        map.put(ThresholdProvenance.MIN_COUNT, new IntProvenance(ThresholdProvenance.MIN_COUNT, rule.minCount()));
        map.put(ThresholdProvenance.DIMENSION, new IntProvenance(ThresholdProvenance.DIMENSION, distance.dimension()));
        map.put(ThresholdProvenance.NUM_CALIBRATION_SCORES,
                new IntProvenance(ThresholdProvenance.NUM_CALIBRATION_SCORES, distance.numPoints()));
        map.put(ThresholdProvenance.RIDGE, new DoubleProvenance(ThresholdProvenance.RIDGE, distance.ridge()));
        map.put(ThresholdProvenance.COVARIANCE_SINGULAR,
                new BooleanProvenance(ThresholdProvenance.COVARIANCE_SINGULAR, distance.covarianceWasSingular()));
        this.provenance = new ThresholdProvenance(MahalanobisCountRule.class.getName(), map);
    }

    /**
     * Fits {@code μ} and {@code Σ} on the error vectors of normal validation data (seed {@code 000_*}, eq. 1;
     * {@link MahalanobisDistance#fit}).
     * @param validationErrors Error vectors {@code e_t = |x_t − x'_t|}, shape {@code [numPoints][m]}, at least two
     *                         points, every row of the same length {@code m ≥ 1}, finite. Not modified.
     * @param tau The point threshold {@code τ}, finite; a point is anomalous when {@code a_t > τ}.
     * @param c The window count {@code c ≥ 1}; a window is anomalous when at least {@code c} of its points are.
     * @return The fitted rule.
     * @throws IllegalArgumentException If the errors are null, have fewer than two rows, ragged or empty rows, or
     *                                  non-finite values; if {@code τ} is not finite; or if {@code c < 1}.
     */
    public static MahalanobisCountRule fit(double[][] validationErrors, double tau, int c) {
        return new MahalanobisCountRule(MahalanobisWindowRule.fit(validationErrors, tau, c));
    }

    /**
     * Wraps a rule a model carries (for example one read back from a serialized {@code LSTMAutoencoderModel}) to
     * evaluate it.
     * @param rule The rule.
     * @return The wrapper.
     * @throws IllegalArgumentException If the rule is null.
     */
    public static MahalanobisCountRule of(MahalanobisWindowRule rule) {
        if (rule == null) {
            throw new IllegalArgumentException("MahalanobisCountRule: rule must not be null");
        }
        return new MahalanobisCountRule(rule);
    }

    /**
     * The deployable rule this wraps, to attach to a model ({@code LSTMAutoencoderModel.withDecisionRule}).
     * @return The rule.
     */
    public MahalanobisWindowRule modelRule() {
        return rule;
    }

    /**
     * The anomaly score of one error vector, {@code a = (e − μ)ᵀ Σ⁻¹ (e − μ)} (seed {@code 000_*}, eq. 1; with
     * the ridge when one was needed; {@link MahalanobisDistance#score}).
     * @param errorVector The error vector {@code e}, of dimension {@code m}, finite.
     * @return The score {@code a ≥ 0}.
     * @throws IllegalArgumentException If the vector is null, of the wrong dimension, or not finite.
     */
    public double score(double[] errorVector) {
        return rule.distance().score(errorVector);
    }

    /**
     * The anomaly scores of many error vectors (eq. 1), one per row.
     * @param errors Error vectors, shape {@code [numPoints][m]}, finite.
     * @return The scores, one per row.
     * @throws IllegalArgumentException If the array or a row is null, a row has the wrong dimension, or a value
     *                                  is not finite.
     */
    public double[] scores(double[][] errors) {
        return rule.distance().scores(errors);
    }

    /**
     * The count rule for one window: anomalous when the number of points {@code t} in
     * {@code [from, toExclusive)} with {@code a_t > τ} is at least {@code c} (docs/EVALUATION.md).
     * @param pointScores The point scores {@code a_t}, not NaN.
     * @param from The first index of the window (inclusive).
     * @param toExclusive The end of the window (exclusive), {@code from ≤ toExclusive ≤ pointScores.length}.
     * @return True if the window is anomalous.
     * @throws IllegalArgumentException If the scores are null, the range is invalid, or a score in it is NaN.
     */
    public boolean windowIsAnomalous(double[] pointScores, int from, int toExclusive) {
        if (pointScores == null) {
            throw new IllegalArgumentException("MahalanobisCountRule: point scores must not be null");
        }
        if (from < 0 || toExclusive > pointScores.length || from > toExclusive) {
            throw new IllegalArgumentException("MahalanobisCountRule: invalid window [" + from + ", " + toExclusive
                    + ") for " + pointScores.length + " point scores");
        }
        for (int i = from; i < toExclusive; i++) {
            if (Double.isNaN(pointScores[i])) {
                throw new IllegalArgumentException("MahalanobisCountRule: point score " + i + " is NaN");
            }
        }
        return rule.isAnomalous(rule.countExceeding(pointScores, from, toExclusive));
    }

    /**
     * The count rule over sliding windows of length {@code L} and stride {@code s}: windows start at
     * {@code 0, s, 2s, …}, there are {@code ⌊(n − L)/s⌋ + 1} of them when {@code n ≥ L} (none when
     * {@code n < L}), and window {@code w} covers {@code [w·s, w·s + L)}.
     * @param pointScores The point scores {@code a_t}, not NaN.
     * @param windowLength The window length {@code L ≥ 1}.
     * @param stride The stride {@code s ≥ 1}.
     * @return One decision per window: {@code 1} anomalous, {@code 0} normal.
     * @throws IllegalArgumentException If the scores are null or contain NaN, or {@code L} or {@code s} is below 1.
     */
    public int[] windowDecisions(double[] pointScores, int windowLength, int stride) {
        if (pointScores == null) {
            throw new IllegalArgumentException("MahalanobisCountRule: point scores must not be null");
        }
        if (windowLength < 1 || stride < 1) {
            throw new IllegalArgumentException("MahalanobisCountRule: window length and stride must be at least 1,"
                    + " found L = " + windowLength + ", s = " + stride);
        }
        int n = pointScores.length;
        int[] prefix = new int[n + 1];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(pointScores[i])) {
                throw new IllegalArgumentException("MahalanobisCountRule: point score " + i + " is NaN");
            }
            prefix[i + 1] = prefix[i] + (rule.exceeds(pointScores[i]) ? 1 : 0);
        }
        if (n < windowLength) {
            return new int[0];
        }
        int numWindows = (n - windowLength) / stride + 1;
        int[] out = new int[numWindows];
        for (int w = 0; w < numWindows; w++) {
            int start = w * stride;
            out[w] = rule.isAnomalous(prefix[start + windowLength] - prefix[start]) ? 1 : 0;
        }
        return out;
    }

    /**
     * The same {@code μ}, {@code Σ} (and ridge) with another point threshold {@code τ} and window count {@code c},
     * for example the pair chosen by {@link #selectTauAndCount} on labelled validation windows.
     * @param newTau The point threshold, finite.
     * @param newCount The window count, at least 1.
     * @return A new rule sharing this rule's fitted distribution.
     * @throws IllegalArgumentException If {@code τ} is not finite or {@code c < 1}.
     */
    public MahalanobisCountRule withTauAndCount(double newTau, int newCount) {
        return new MahalanobisCountRule(rule.withTauAndCount(newTau, newCount));
    }

    /**
     * A point threshold {@code τ} and window count {@code c} chosen on labelled validation windows, with the F1
     * they reach there.
     */
    public static final class TauAndCount {
        private final double tau;
        private final int count;
        private final double validationF1;
        private final boolean supervised;

        TauAndCount(double tau, int count, double validationF1, boolean supervised) {
            this.tau = tau;
            this.count = count;
            this.validationF1 = validationF1;
            this.supervised = supervised;
        }

        /**
         * The point threshold {@code τ}.
         * @return {@code τ}.
         */
        public double tau() {
            return tau;
        }

        /**
         * The window count {@code c} (a window is anomalous when at least {@code c} points exceed {@code τ}); may be
         * {@code L + 1}, which flags no window.
         * @return {@code c}.
         */
        public int count() {
            return count;
        }

        /**
         * The window-level F1 of the chosen pair on the validation windows (0 when they hold no anomalous window).
         * @return The validation F1.
         */
        public double validationF1() {
            return validationF1;
        }

        /**
         * True when the pair maximises F1 over anomalous and normal validation windows; false when the validation
         * windows held no anomalous window and the fallback was used.
         * @return Whether labels chose the pair.
         */
        public boolean supervised() {
            return supervised;
        }

        @Override
        public String toString() {
            return "TauAndCount(tau=" + tau + ", c=" + count + ", validationF1=" + validationF1 + ", supervised="
                    + supervised + ")";
        }
    }

    /**
     * Chooses {@code τ} and {@code c} to maximise the window-level F1 on labelled validation windows, the protocol
     * of Malhotra et al. 2016 (§2.2: "τ and c are chosen to maximise F_β on validation sequences" holding normal
     * and anomalous windows; here β = 1), which seed {@code 000_*} builds on without saying how its τ was set.
     * <p>
     * Candidate thresholds are {@code numCandidates} point scores at evenly spaced ranks of the sorted validation
     * scores (all of them when there are fewer), and every count {@code c = 1 … L} is tried for each. Among pairs of
     * equal F1 the larger {@code τ}, then the larger {@code c}, wins (the more conservative rule). When no
     * validation window is anomalous, F1 is 0 everywhere and the labels cannot choose: the fallback keeps
     * {@code fallbackTau} and sets {@code c} to one more than the largest count of the validation windows, so that
     * none of those (normal) windows is flagged ({@code c} may then be {@code L + 1}: no window is ever flagged).
     * @param windowPointScores The scores {@code a_t} of each validation window's points, shape
     *                          {@code [numWindows][L]}, every row of the same length, no NaN.
     * @param windowLabels One label per window: 1 anomalous, 0 normal.
     * @param numCandidates The number of candidate thresholds, at least 1.
     * @param fallbackTau The threshold kept when no window is anomalous, finite.
     * @return The chosen pair.
     * @throws IllegalArgumentException If the inputs are null, empty, ragged, contain NaN or labels other than 0/1,
     *                                  or their lengths disagree.
     */
    public static TauAndCount selectTauAndCount(double[][] windowPointScores, int[] windowLabels, int numCandidates,
                                                double fallbackTau) {
        String who = "MahalanobisCountRule.selectTauAndCount";
        if (windowPointScores == null || windowLabels == null) {
            throw new IllegalArgumentException(who + ": scores and labels must not be null");
        }
        int numWindows = windowPointScores.length;
        if (numWindows == 0) {
            throw new IllegalArgumentException(who + ": no validation windows");
        }
        if (windowLabels.length != numWindows) {
            throw new IllegalArgumentException(who + ": " + numWindows + " windows but " + windowLabels.length
                    + " labels");
        }
        if (numCandidates < 1) {
            throw new IllegalArgumentException(who + ": numCandidates must be at least 1, found " + numCandidates);
        }
        if (!Double.isFinite(fallbackTau)) {
            throw new IllegalArgumentException(who + ": fallbackTau must be finite, found " + fallbackTau);
        }
        int length = windowPointScores[0] == null ? 0 : windowPointScores[0].length;
        if (length == 0) {
            throw new IllegalArgumentException(who + ": window 0 has no points");
        }
        int positives = 0;
        double[] all = new double[numWindows * length];
        for (int w = 0; w < numWindows; w++) {
            double[] row = windowPointScores[w];
            if (row == null || row.length != length) {
                throw new IllegalArgumentException(who + ": window " + w + " has " + (row == null ? "no" : row.length)
                        + " points, expected L = " + length);
            }
            if (windowLabels[w] != 0 && windowLabels[w] != 1) {
                throw new IllegalArgumentException(who + ": label " + w + " is " + windowLabels[w]
                        + ", expected 0 or 1");
            }
            positives += windowLabels[w];
            for (int t = 0; t < length; t++) {
                if (Double.isNaN(row[t])) {
                    throw new IllegalArgumentException(who + ": score of window " + w + ", point " + t + " is NaN");
                }
                all[w * length + t] = row[t];
            }
        }
        if (positives == 0) {
            int maxCount = 0;
            for (double[] row : windowPointScores) {
                maxCount = Math.max(maxCount, Counts.countAbove(row, fallbackTau));
            }
            return new TauAndCount(fallbackTau, maxCount + 1, 0.0, false);
        }
        Arrays.sort(all);
        int k = Math.min(numCandidates, all.length);
        int[] posAt = new int[length + 1];
        int[] negAt = new int[length + 1];
        double bestF1 = -1.0;
        double bestTau = all[all.length - 1];
        int bestCount = 1;
        double previous = Double.NaN;
        // from the largest candidate down, so that among equal F1 the larger τ (checked first) is kept
        for (int i = k - 1; i >= 0; i--) {
            double tau = all[(int) ((long) i * (all.length - 1) / Math.max(1, k - 1))];
            if (tau == previous) {
                continue;
            }
            previous = tau;
            Arrays.fill(posAt, 0);
            Arrays.fill(negAt, 0);
            for (int w = 0; w < numWindows; w++) {
                int count = Counts.countAbove(windowPointScores[w], tau);
                if (windowLabels[w] == 1) {
                    posAt[count]++;
                } else {
                    negAt[count]++;
                }
            }
            long tp = 0, fp = 0;
            for (int c = length; c >= 1; c--) {
                tp += posAt[c];
                fp += negAt[c];
                double f1 = 2.0 * tp / (2.0 * tp + fp + (positives - tp));
                if (f1 > bestF1) { // strict: among equal F1 the larger c (checked first) stays
                    bestF1 = f1;
                    bestTau = tau;
                    bestCount = c;
                }
            }
        }
        return new TauAndCount(bestTau, bestCount, bestF1, true);
    }

    /**
     * Convenience: {@code τ} as the {@code q}-quantile of Mahalanobis scores of normal validation data, with the
     * linear interpolation of {@link QuantileThreshold}.
     * @param validationScores Scores {@code a_t} of normal validation data, finite, at least one.
     * @param q The quantile in {@code [0, 1]}.
     * @return The quantile.
     * @throws IllegalArgumentException If the scores are empty or not finite, or {@code q} is not in {@code [0, 1]}.
     */
    public static double tauFromQuantile(double[] validationScores, double q) {
        return QuantileThreshold.quantile(validationScores, q, "MahalanobisCountRule.tauFromQuantile");
    }

    /**
     * The point threshold {@code τ}; a point is anomalous when {@code a_t > τ}.
     * @return {@code τ}.
     */
    @Override
    public double value() {
        return rule.tau();
    }

    /**
     * The point threshold {@code τ}.
     * @return {@code τ}.
     */
    public double tau() {
        return rule.tau();
    }

    /**
     * The window count {@code c}: a window is anomalous when at least {@code c} of its points have {@code a_t > τ}.
     * @return {@code c}.
     */
    public int minCount() {
        return rule.minCount();
    }

    /**
     * The error-vector dimension {@code m}.
     * @return {@code m}.
     */
    public int dimension() {
        return rule.dimension();
    }

    /**
     * The number of validation error vectors {@code μ} and {@code Σ} were fitted on.
     * @return The number of validation points.
     */
    public int numValidationPoints() {
        return rule.distance().numPoints();
    }

    /**
     * The fitted mean {@code μ}.
     * @return A copy of {@code μ}.
     */
    public double[] mean() {
        return rule.distance().mean();
    }

    /**
     * The fitted covariance {@code Σ} (divided by {@code n − 1}), without the ridge.
     * @return A copy of {@code Σ}.
     */
    public double[][] covariance() {
        return rule.distance().covariance();
    }

    /**
     * The ridge {@code λ} added to the diagonal of {@code Σ} before factorising; {@code 0} when {@code Σ} was
     * positive definite.
     * @return The ridge.
     */
    public double ridge() {
        return rule.distance().ridge();
    }

    /**
     * Whether the fitted {@code Σ} was numerically singular (not positive definite) and a ridge was added.
     * @return True if {@code Σ} was singular.
     */
    public boolean covarianceWasSingular() {
        return rule.distance().covarianceWasSingular();
    }

    /**
     * The provenance: {@code τ}, {@code c}, {@code m}, the number of validation points, the ridge and whether
     * {@code Σ} was singular.
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
        return "MahalanobisCountRule(tau=" + rule.tau() + ", c=" + rule.minCount() + ", m=" + rule.dimension()
                + ", n=" + numValidationPoints() + ", ridge=" + ridge() + ", covarianceSingular="
                + covarianceWasSingular() + ")";
    }
}
