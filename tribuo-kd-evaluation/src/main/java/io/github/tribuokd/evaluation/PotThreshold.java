package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.tribuokd.anomaly.Quantiles;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The peaks-over-threshold (POT) threshold of Siffer, Fouque, Termier and Largou&euml;t, "Anomaly Detection in
 * Streams with Extreme Value Theory", KDD 2017 (docs/EVALUATION.md, "What is computed", thresholds), with its streaming
 * variant SPOT ({@link Spot}).
 * <p>
 * Fitting (Siffer et al., §3, algorithm "POT"), on {@code n} calibration scores of normal data:
 * <ol>
 *     <li>the initial threshold {@code t} is the {@code level} quantile of the calibration scores (linear
 *     interpolation, the rule of {@link QuantileThreshold});</li>
 *     <li>the peaks are {@code Y_i = s_i − t} for every score {@code s_i > t} (strict), {@code N_t} of them;</li>
 *     <li>a generalized Pareto distribution {@code (γ, σ)} is fitted to the peaks by Grimshaw's maximum-likelihood
 *     procedure ({@link GeneralizedParetoFit});</li>
 *     <li>the final threshold is the estimated {@code (1 − q)} quantile (Siffer et al., §3.1)
 *     <pre>
 *     z_q = t + (σ/γ)·((q·n/N_t)^(−γ) − 1)      (γ ≠ 0)
 *     z_q = t − σ·ln(q·n/N_t)                   (γ = 0)
 *     </pre>
 *     where the {@code γ = 0} form is used when the exponential candidate won the fit or
 *     {@code |γ| <} {@value #EXPONENTIAL_GAMMA_TOLERANCE}.</li>
 * </ol>
 * A score is anomalous when {@code score > z_q}. The extrapolation is meant for risks smaller than the fraction
 * of peaks, {@code q < N_t/n} (roughly {@code q < 1 − level}); a fit violating it is rejected.
 * <p>
 * Instances are immutable. {@link #stream()} starts a mutable streaming SPOT detector from the fitted state.
 */
public final class PotThreshold implements Threshold {

    /**
     * The default risk {@code q} (Siffer et al.'s usual setting, docs/EVALUATION.md).
     */
    public static final double DEFAULT_Q = 1e-3;

    /**
     * The default level of the initial threshold {@code t} (docs/EVALUATION.md).
     */
    public static final double DEFAULT_LEVEL = 0.98;

    /**
     * The minimum number of peaks {@code N_t} accepted. With fewer than ten exceedances the two GPD parameters
     * are not identifiable to any useful precision; lower {@code level} or supply more calibration scores.
     */
    public static final int MIN_PEAKS = 10;

    /**
     * Below this {@code |γ|} the threshold uses the {@code γ = 0} (exponential) formula.
     */
    public static final double EXPONENTIAL_GAMMA_TOLERANCE = 1e-8;

    private final double q;
    private final double level;
    private final int numCalibrationScores;
    private final long numObservations;
    private final double initialThreshold;
    private final double[] peaks;
    private final GeneralizedParetoFit gpd;
    private final boolean exponentialBranch;
    private final double value;
    private final long numStreamAnomalies;
    private final ThresholdProvenance provenance;

    private PotThreshold(double q, double level, int numCalibrationScores, long numObservations,
                         double initialThreshold, double[] peaks, GeneralizedParetoFit gpd, double value,
                         long numStreamAnomalies, boolean streamed) {
        this.q = q;
        this.level = level;
        this.numCalibrationScores = numCalibrationScores;
        this.numObservations = numObservations;
        this.initialThreshold = initialThreshold;
        this.peaks = peaks;
        this.gpd = gpd;
        this.exponentialBranch = usesExponentialBranch(gpd);
        this.value = value;
        this.numStreamAnomalies = numStreamAnomalies;
        Map<String, Provenance> map = new HashMap<>();
        putDouble(map, ThresholdProvenance.Q, q);
        putDouble(map, ThresholdProvenance.LEVEL, level);
        map.put(ThresholdProvenance.NUM_CALIBRATION_SCORES,
                new IntProvenance(ThresholdProvenance.NUM_CALIBRATION_SCORES, numCalibrationScores));
        map.put(ThresholdProvenance.NUM_OBSERVATIONS,
                new LongProvenance(ThresholdProvenance.NUM_OBSERVATIONS, numObservations));
        map.put(ThresholdProvenance.INTERPOLATION,
                new StringProvenance(ThresholdProvenance.INTERPOLATION, Quantiles.INTERPOLATION_RULE));
        putDouble(map, ThresholdProvenance.INITIAL_THRESHOLD, initialThreshold);
        putDouble(map, ThresholdProvenance.GAMMA, gpd.gamma());
        putDouble(map, ThresholdProvenance.SIGMA, gpd.sigma());
        map.put(ThresholdProvenance.NUM_PEAKS, new IntProvenance(ThresholdProvenance.NUM_PEAKS, peaks.length));
        map.put(ThresholdProvenance.EXPONENTIAL_BRANCH,
                new BooleanProvenance(ThresholdProvenance.EXPONENTIAL_BRANCH, exponentialBranch));
        map.put(ThresholdProvenance.GPD_CANDIDATE,
                new StringProvenance(ThresholdProvenance.GPD_CANDIDATE, gpd.candidate().name()));
        map.put(ThresholdProvenance.GPD_NUM_ROOTS,
                new IntProvenance(ThresholdProvenance.GPD_NUM_ROOTS, gpd.numRoots()));
        putDouble(map, ThresholdProvenance.GPD_LOG_LIKELIHOOD, gpd.logLikelihood());
        if (streamed) {
            map.put(ThresholdProvenance.NUM_STREAM_ANOMALIES,
                    new LongProvenance(ThresholdProvenance.NUM_STREAM_ANOMALIES, numStreamAnomalies));
        }
        putDouble(map, ThresholdProvenance.THRESHOLD, value);
        this.provenance = new ThresholdProvenance(PotThreshold.class.getName(), map);
    }

    private static void putDouble(Map<String, Provenance> map, String key, double v) {
        map.put(key, new DoubleProvenance(key, v));
    }

    /**
     * Fits POT with the defaults {@link #DEFAULT_Q} ({@code 1e-3}) and {@link #DEFAULT_LEVEL} ({@code 0.98}).
     * @param calibrationScores Scores of held-out normal data, finite. Not modified.
     * @return The fitted threshold.
     * @throws IllegalArgumentException See {@link #fit(double[], double, double)}.
     */
    public static PotThreshold fit(double[] calibrationScores) {
        return fit(calibrationScores, DEFAULT_Q, DEFAULT_LEVEL);
    }

    /**
     * Fits POT (Siffer et al., algorithm "POT"; see the class documentation).
     * @param calibrationScores Scores of held-out normal data, finite. Not modified.
     * @param q The risk {@code q} in {@code (0, 1)}: the target probability that a normal score exceeds the
     *          threshold; must be smaller than the fraction of peaks {@code N_t/n}.
     * @param level The level in {@code (0, 1)} of the initial threshold {@code t}, for example {@code 0.98}.
     * @return The fitted threshold.
     * @throws IllegalArgumentException If the scores are null, empty, or contain NaN or infinite values; if
     *                                  {@code q} or {@code level} is not in {@code (0, 1)}; if fewer than
     *                                  {@value #MIN_PEAKS} scores exceed {@code t}; or if {@code q ≥ N_t/n}.
     */
    public static PotThreshold fit(double[] calibrationScores, double q, double level) {
        String who = "PotThreshold";
        QuantileThreshold.checkScores(calibrationScores, who);
        if (!(q > 0.0 && q < 1.0)) {
            throw new IllegalArgumentException(who + ": risk q must be in (0, 1), found " + q);
        }
        if (!(level > 0.0 && level < 1.0)) {
            throw new IllegalArgumentException(who + ": level must be in (0, 1), found " + level);
        }
        int n = calibrationScores.length;
        double[] sorted = calibrationScores.clone();
        Arrays.sort(sorted);
        double t = Quantiles.quantileOfSorted(sorted, level);
        int firstAbove = n;
        while (firstAbove > 0 && sorted[firstAbove - 1] > t) {
            firstAbove--;
        }
        int numPeaks = n - firstAbove;
        if (numPeaks < MIN_PEAKS) {
            throw new IllegalArgumentException(who + ": only " + numPeaks + " of " + n
                    + " calibration scores exceed the initial threshold t = " + t + " (level " + level
                    + "); need at least " + MIN_PEAKS + " peaks: supply more calibration scores or lower the level");
        }
        if (q * n >= numPeaks) {
            throw new IllegalArgumentException(who + ": risk q = " + q + " must be smaller than the fraction of peaks"
                    + " N_t/n = " + numPeaks + "/" + n + " = " + ((double) numPeaks / n)
                    + "; lower q or lower the level (or use QuantileThreshold)");
        }
        double[] peaks = new double[numPeaks];
        for (int i = 0; i < numPeaks; i++) {
            peaks[i] = sorted[firstAbove + i] - t;
        }
        GeneralizedParetoFit gpd = GeneralizedParetoFit.fitValidated(peaks, numPeaks);
        double zq = tailQuantile(t, gpd, q, n, numPeaks);
        return new PotThreshold(q, level, n, n, t, peaks, gpd, zq, 0, false);
    }

    /**
     * The POT threshold formula of Siffer et al. (§3.1):
     * {@code z_q = t + (σ/γ)·((q·n/N_t)^(−γ) − 1)}, or {@code t − σ·ln(q·n/N_t)} when {@code γ = 0}
     * ({@code |γ| <} {@value #EXPONENTIAL_GAMMA_TOLERANCE}).
     * @param initialThreshold The initial threshold {@code t}.
     * @param gamma The GPD shape {@code γ}.
     * @param sigma The GPD scale {@code σ > 0}.
     * @param q The risk {@code q}.
     * @param numObservations The number of observations {@code n}.
     * @param numPeaks The number of peaks {@code N_t}.
     * @return The threshold {@code z_q}.
     */
    public static double tailQuantile(double initialThreshold, double gamma, double sigma, double q,
                                      long numObservations, int numPeaks) {
        double r = q * numObservations / numPeaks;
        if (Math.abs(gamma) < EXPONENTIAL_GAMMA_TOLERANCE) {
            return initialThreshold - sigma * Math.log(r);
        }
        return initialThreshold + (sigma / gamma) * Math.expm1(-gamma * Math.log(r));
    }

    private static boolean usesExponentialBranch(GeneralizedParetoFit gpd) {
        return gpd.isExponential() || Math.abs(gpd.gamma()) < EXPONENTIAL_GAMMA_TOLERANCE;
    }

    private static double tailQuantile(double t, GeneralizedParetoFit gpd, double q, long n, int numPeaks) {
        double gamma = usesExponentialBranch(gpd) ? 0.0 : gpd.gamma();
        return tailQuantile(t, gamma, gpd.sigma(), q, n, numPeaks);
    }

    /**
     * The threshold {@code z_q}; a score is anomalous when {@code score > z_q}.
     * @return The threshold value.
     */
    @Override
    public double value() {
        return value;
    }

    /**
     * The risk {@code q}.
     * @return The risk.
     */
    public double q() {
        return q;
    }

    /**
     * The level of the initial threshold.
     * @return The level.
     */
    public double level() {
        return level;
    }

    /**
     * The initial threshold {@code t}, the {@code level} quantile of the calibration scores.
     * @return The initial threshold.
     */
    public double initialThreshold() {
        return initialThreshold;
    }

    /**
     * The number of calibration scores the batch POT fit used.
     * @return The number of calibration scores.
     */
    public int numCalibrationScores() {
        return numCalibrationScores;
    }

    /**
     * The number of observations {@code n} in the threshold formula: the calibration scores plus, for a
     * {@link Spot#snapshot() SPOT snapshot}, the non-anomalous streamed scores.
     * @return The number of observations.
     */
    public long numObservations() {
        return numObservations;
    }

    /**
     * The number of peaks {@code N_t}.
     * @return The number of peaks.
     */
    public int numPeaks() {
        return peaks.length;
    }

    /**
     * The peaks {@code Y_i = s_i − t}.
     * @return A copy of the peaks.
     */
    public double[] peaks() {
        return peaks.clone();
    }

    /**
     * The generalized Pareto fit of the peaks.
     * @return The GPD fit.
     */
    public GeneralizedParetoFit gpdFit() {
        return gpd;
    }

    /**
     * Whether the threshold used the {@code γ = 0} formula {@code t − σ·ln(q·n/N_t)}.
     * @return True if the exponential branch was used.
     */
    public boolean usedExponentialBranch() {
        return exponentialBranch;
    }

    /**
     * The provenance: {@code q}, level, numbers of calibration scores, observations and peaks, {@code t},
     * {@code γ}, {@code σ}, the branch used, Grimshaw's winning candidate, number of roots and log-likelihood,
     * and {@code z_q} (plus the number of streamed anomalies for a {@link Spot#snapshot() SPOT snapshot}).
     * @return The provenance.
     */
    @Override
    public ThresholdProvenance provenance() {
        return provenance;
    }

    /**
     * Starts a streaming SPOT detector (Siffer et al., algorithm "SPOT") from this fitted state.
     * @return A new, independent streaming detector.
     */
    public Spot stream() {
        return new Spot(this);
    }

    /**
     * A readable summary.
     * @return The summary.
     */
    @Override
    public String toString() {
        return "PotThreshold(q=" + q + ", level=" + level + ", n=" + numObservations + ", t=" + initialThreshold
                + ", numPeaks=" + peaks.length + ", gamma=" + gpd.gamma() + ", sigma=" + gpd.sigma()
                + ", value=" + value + ")";
    }

    /**
     * Streaming SPOT (Siffer et al., algorithm "SPOT"), started from a fitted {@link PotThreshold}. For each new
     * score {@code s}:
     * <ul>
     *     <li>if {@code s > z_q}: the point is an anomaly; it is <em>not</em> added to the peaks and {@code n} is
     *     unchanged; {@link #update(double)} returns true;</li>
     *     <li>else if {@code s > t}: {@code s − t} is added to the peaks, {@code n} increases by one, the GPD is
     *     refitted (Grimshaw) and {@code z_q} recomputed;</li>
     *     <li>else {@code n} increases by one.</li>
     * </ul>
     * As in the paper's algorithm, {@code z_q} is recomputed only when a peak is added, so it uses the {@code n}
     * of that moment, not the current {@link #numObservations()}. The initial threshold {@code t} stays fixed. This object is mutable and not thread-safe; each refit costs
     * {@code O(N_t)} per evaluation of Grimshaw's function. {@link #snapshot()} returns an immutable
     * {@link PotThreshold} of the current state.
     */
    public static final class Spot {
        private final double q;
        private final double level;
        private final int numCalibrationScores;
        private final double t;
        private double[] peakBuffer;
        private int numPeaks;
        private long n;
        private long numAnomalies;
        private GeneralizedParetoFit gpd;
        private double zq;

        private Spot(PotThreshold fitted) {
            this.q = fitted.q;
            this.level = fitted.level;
            this.numCalibrationScores = fitted.numCalibrationScores;
            this.t = fitted.initialThreshold;
            this.numPeaks = fitted.peaks.length;
            this.peakBuffer = Arrays.copyOf(fitted.peaks, Math.max(16, 2 * numPeaks));
            this.n = fitted.numObservations;
            this.numAnomalies = fitted.numStreamAnomalies;
            this.gpd = fitted.gpd;
            this.zq = fitted.value;
        }

        /**
         * Processes one new score (see the class documentation).
         * @param score The new score, finite.
         * @return True if the score is an anomaly ({@code score > z_q} before the update).
         * @throws IllegalArgumentException If the score is NaN or infinite.
         */
        public boolean update(double score) {
            if (!Double.isFinite(score)) {
                throw new IllegalArgumentException("PotThreshold.Spot: score must be finite, found " + score);
            }
            if (score > zq) {
                numAnomalies++;
                return true;
            }
            if (score > t) {
                if (numPeaks == peakBuffer.length) {
                    peakBuffer = Arrays.copyOf(peakBuffer, 2 * peakBuffer.length);
                }
                peakBuffer[numPeaks++] = score - t;
                n++;
                gpd = GeneralizedParetoFit.fitValidated(peakBuffer, numPeaks);
                zq = PotThreshold.tailQuantile(t, gpd, q, n, numPeaks);
            } else {
                n++;
            }
            return false;
        }

        /**
         * The current threshold {@code z_q}.
         * @return The current threshold.
         */
        public double threshold() {
            return zq;
        }

        /**
         * The fixed initial threshold {@code t}.
         * @return The initial threshold.
         */
        public double initialThreshold() {
            return t;
        }

        /**
         * The current number of peaks {@code N_t}.
         * @return The number of peaks.
         */
        public int numPeaks() {
            return numPeaks;
        }

        /**
         * The current number of observations {@code n} (calibration plus non-anomalous streamed scores).
         * @return The number of observations.
         */
        public long numObservations() {
            return n;
        }

        /**
         * The number of streamed scores flagged as anomalies so far.
         * @return The number of anomalies.
         */
        public long numAnomalies() {
            return numAnomalies;
        }

        /**
         * The current GPD fit.
         * @return The GPD fit.
         */
        public GeneralizedParetoFit gpdFit() {
            return gpd;
        }

        /**
         * An immutable {@link PotThreshold} with the current state ({@code t}, peaks, {@code n}, GPD fit and
         * {@code z_q}, where {@code value()} equals {@link #threshold()}, that is {@code z_q} as last updated by
         * SPOT); its provenance also records the number of streamed anomalies.
         * @return The snapshot.
         */
        public PotThreshold snapshot() {
            return new PotThreshold(q, level, numCalibrationScores, n, t, Arrays.copyOf(peakBuffer, numPeaks),
                    gpd, zq, numAnomalies, true);
        }
    }
}
