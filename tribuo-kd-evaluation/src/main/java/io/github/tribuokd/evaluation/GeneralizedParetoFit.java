package io.github.tribuokd.evaluation;

/**
 * Maximum-likelihood fit of a generalized Pareto distribution (GPD) to peaks {@code Y_i > 0}, by Grimshaw's
 * procedure as used in Siffer, Fouque, Termier and Largou&euml;t, "Anomaly Detection in Streams with Extreme Value
 * Theory", KDD 2017, §3.2 ("Grimshaw's trick"); after S. D. Grimshaw, "Computing Maximum Likelihood Estimates for
 * the Generalized Pareto Distribution", Technometrics 35(2), 1993.
 * <p>
 * The GPD with shape {@code γ} and scale {@code σ > 0} has survival function
 * {@code P(Y > y) = (1 + γy/σ)^(−1/γ)} (and {@code exp(−y/σ)} when {@code γ = 0}). The log-likelihood of
 * {@code N} peaks is (Siffer et al., §3.2)
 * <pre>
 *     log L(γ, σ) = −N·log σ − (1 + 1/γ)·Σ log(1 + (γ/σ)·Y_i)          (γ ≠ 0)
 *     log L(0, σ) = −N·log σ − (1/σ)·Σ Y_i                                (γ = 0)
 * </pre>
 * Grimshaw's trick reduces the two-dimensional maximisation to one dimension: with {@code x = γ/σ}, every
 * stationary point of {@code log L} is a root {@code x*} of
 * <pre>
 *     u(x)·v(x) − 1 = 0,   u(x) = (1/N)·Σ 1/(1 + x·Y_i),   v(x) = 1 + (1/N)·Σ log(1 + x·Y_i),
 * </pre>
 * from which {@code γ = v(x*) − 1} and {@code σ = γ/x*}. Roots are searched on the two intervals given in the
 * paper: {@code (−1/Y_max, 0)} (needed for {@code 1 + x·Y_i > 0}) and {@code (0, 2(Ȳ − Y_min)/Y_min²]}, where
 * {@code Ȳ}, {@code Y_min}, {@code Y_max} are the mean, minimum and maximum peak. The limit {@code x* → 0} is the
 * exponential distribution ({@code γ = 0}, {@code σ = Ȳ}), always kept as a candidate. Among all candidates the one
 * with the highest log-likelihood is returned ({@link #candidate()} says which; ties keep the exponential).
 * <p>
 * Root finding (written here, no external library): {@code u(x)v(x) − 1} is evaluated as {@code a + b + a·b} with
 * {@code a = u − 1} and {@code b = v − 1} computed by {@code log1p}, which avoids cancellation near {@code x = 0};
 * each interval is scanned on a logarithmic grid ({@value #GRID_POINTS_PER_DECADE} points per decade; on the
 * negative side dense both near 0 and near {@code −1/Y_max}), and every sign change is refined by bisection to
 * relative precision {@code 1e-14}. Two roots closer than one grid step, with no sign change between grid points,
 * can be missed; such roots have nearly equal likelihood to their neighbours.
 * <p>
 * Limitation (inherent in Grimshaw's procedure, which finds stationary points only): for small samples the
 * likelihood may have no interior maximum and keep increasing towards the non-regular boundary {@code γ → −1}
 * ({@code σ/|γ| → Y_max}); then {@code u·v = 1} has no root with a higher likelihood and the exponential candidate
 * is returned ({@link #numRoots()} is often 0 in that case). With the dozens or more peaks POT uses this does not
 * arise in practice.
 * <p>
 * Instances are immutable.
 */
public final class GeneralizedParetoFit {

    /**
     * Which candidate of Grimshaw's procedure gave the highest log-likelihood.
     */
    public enum Candidate {
        /** The exponential limit {@code x* → 0}: {@code γ = 0}, {@code σ = Ȳ}. */
        EXPONENTIAL,
        /** A root {@code x*} in {@code (−1/Y_max, 0)}, giving {@code γ < 0} (bounded tail). */
        NEGATIVE_ROOT,
        /** A root {@code x*} in {@code (0, 2(Ȳ − Y_min)/Y_min²]}, giving {@code γ > 0} (heavy tail). */
        POSITIVE_ROOT
    }

    /**
     * The minimum number of peaks accepted by {@link #fit(double[])}.
     */
    public static final int MIN_PEAKS = 2;

    /**
     * Grid points per decade of {@code |x|} when scanning for sign changes of {@code u(x)v(x) − 1}.
     */
    public static final int GRID_POINTS_PER_DECADE = 5;

    /** Smallest {@code |x|·Y_max} scanned near zero on either side. */
    private static final double NEAR_ZERO = 1e-6;
    /** Closest approach {@code 1 + x·Y_max} to the negative boundary. */
    private static final double NEAR_BOUNDARY = 1e-10;
    /** Largest number of decades scanned on the positive side. */
    private static final int MAX_DECADES = 60;
    /** Relative precision of a bisected root. */
    private static final double ROOT_RTOL = 1e-14;
    /** Bisection step limit. */
    private static final int MAX_BISECTIONS = 200;

    private final double gamma;
    private final double sigma;
    private final double logLikelihood;
    private final int numPeaks;
    private final Candidate candidate;
    private final int numRoots;

    private GeneralizedParetoFit(double gamma, double sigma, double logLikelihood, int numPeaks,
                                 Candidate candidate, int numRoots) {
        this.gamma = gamma;
        this.sigma = sigma;
        this.logLikelihood = logLikelihood;
        this.numPeaks = numPeaks;
        this.candidate = candidate;
        this.numRoots = numRoots;
    }

    /**
     * Fits a GPD to the peaks by Grimshaw's maximum-likelihood procedure (Siffer et al., §3.2; see the class
     * documentation).
     * @param peaks The peaks (exceedances over a threshold), finite and strictly positive, at least
     *              {@value #MIN_PEAKS}. Not modified.
     * @return The fit.
     * @throws IllegalArgumentException If the peaks are null, fewer than {@value #MIN_PEAKS}, or contain a value
     *                                  that is NaN, infinite, zero or negative.
     */
    public static GeneralizedParetoFit fit(double[] peaks) {
        checkPeaks(peaks);
        if (peaks.length < MIN_PEAKS) {
            throw new IllegalArgumentException("GeneralizedParetoFit: need at least " + MIN_PEAKS
                    + " peaks, found " + peaks.length);
        }
        return fitValidated(peaks, peaks.length);
    }

    /**
     * Fits the first {@code n} entries of an already validated peak buffer (used by streaming SPOT).
     * @param y The peak buffer; entries {@code [0, n)} are finite and positive.
     * @param n The number of peaks, at least 1.
     * @return The fit.
     */
    static GeneralizedParetoFit fitValidated(double[] y, int n) {
        double sum = 0.0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0.0;
        for (int i = 0; i < n; i++) {
            sum += y[i];
            min = Math.min(min, y[i]);
            max = Math.max(max, y[i]);
        }
        double mean = sum / n;

        // Exponential candidate (x* -> 0): gamma = 0, sigma = mean.
        Candidate bestCandidate = Candidate.EXPONENTIAL;
        double bestGamma = 0.0;
        double bestSigma = mean;
        double bestLL = -n * Math.log(mean) - n;
        int roots = 0;

        // Negative interval (-1/Ymax, 0): x = -r / Ymax, r in (0, 1).
        double[] negGrid = negativeGrid(max);
        // Positive interval (0, 2 (mean - min) / min^2].
        double upper = 2.0 * (mean - min) / (min * min);
        double[] posGrid = positiveGrid(max, upper);

        for (double[] grid : new double[][]{negGrid, posGrid}) {
            if (grid.length < 2) {
                continue;
            }
            double prevX = grid[0];
            double prevW = grimshaw(prevX, y, n);
            for (int k = 1; k < grid.length; k++) {
                double x = grid[k];
                double w = grimshaw(x, y, n);
                double root = Double.NaN;
                if (prevW == 0.0) {
                    root = prevX;
                } else if (!Double.isNaN(prevW) && !Double.isNaN(w) && w != 0.0
                        && ((prevW < 0.0) != (w < 0.0))) {
                    root = bisect(prevX, prevW, x, y, n);
                } else if (w == 0.0 && k == grid.length - 1) {
                    root = x;
                }
                if (!Double.isNaN(root) && root != 0.0) {
                    roots++;
                    double g = meanLog1p(root, y, n);
                    double s = g / root;
                    if (g != 0.0 && s > 0.0 && Double.isFinite(s)) {
                        double ll = logLikelihoodValidated(y, n, g, s);
                        if (ll > bestLL) {
                            bestLL = ll;
                            bestGamma = g;
                            bestSigma = s;
                            bestCandidate = root < 0.0 ? Candidate.NEGATIVE_ROOT : Candidate.POSITIVE_ROOT;
                        }
                    }
                }
                prevX = x;
                prevW = w;
            }
        }
        return new GeneralizedParetoFit(bestGamma, bestSigma, bestLL, n, bestCandidate, roots);
    }

    /**
     * Scan grid on {@code (−1/Ymax, 0)}, ascending, dense near both ends.
     */
    private static double[] negativeGrid(double max) {
        double step = 1.0 / GRID_POINTS_PER_DECADE;
        // r close to 0: r = 10^-e, e from log10(1/NEAR_ZERO) down to ~0.3 (r ~ 0.5).
        // r close to 1: r = 1 - 10^-e, e from ~0.3 up to log10(1/NEAR_BOUNDARY).
        double eZero = -Math.log10(NEAR_ZERO);
        double eBound = -Math.log10(NEAR_BOUNDARY);
        double eMid = Math.log10(2.0);
        int nZero = (int) Math.ceil((eZero - eMid) / step);
        int nBound = (int) Math.ceil((eBound - eMid) / step);
        double[] r = new double[nZero + nBound + 1];
        int idx = 0;
        // Ascending x means descending r: start near the boundary (r -> 1).
        for (int k = nBound; k >= 1; k--) {
            double e = eMid + k * (eBound - eMid) / nBound;
            r[idx++] = 1.0 - Math.pow(10.0, -e);
        }
        r[idx++] = 0.5;
        for (int k = 1; k <= nZero; k++) {
            double e = eMid + k * (eZero - eMid) / nZero;
            r[idx++] = Math.pow(10.0, -e);
        }
        double[] x = new double[r.length];
        for (int k = 0; k < r.length; k++) {
            x[k] = -r[k] / max;
        }
        return x;
    }

    /**
     * Log-spaced scan grid on {@code (0, upper]}, ascending, ending exactly at {@code upper}.
     */
    private static double[] positiveGrid(double max, double upper) {
        double lo = NEAR_ZERO / max;
        if (!(upper > lo)) {
            return new double[0];
        }
        double decades = Math.min(Math.log10(upper / lo), MAX_DECADES);
        if (!Double.isFinite(decades)) {
            decades = MAX_DECADES;
        }
        int points = Math.max(2, (int) Math.ceil(decades * GRID_POINTS_PER_DECADE) + 1);
        double[] x = new double[points];
        for (int k = 0; k < points; k++) {
            x[k] = lo * Math.pow(10.0, decades * k / (points - 1));
        }
        if (Double.isFinite(upper) && decades < MAX_DECADES) {
            x[points - 1] = upper;
        }
        return x;
    }

    /**
     * {@code u(x)·v(x) − 1}, evaluated as {@code a + b + a·b} with {@code a = u − 1}, {@code b = v − 1}.
     * Returns {@code −∞} outside the support ({@code 1 + x·Y_i ≤ 0}).
     */
    private static double grimshaw(double x, double[] y, int n) {
        double sumA = 0.0;
        double sumB = 0.0;
        for (int i = 0; i < n; i++) {
            double xy = x * y[i];
            double d = 1.0 + xy;
            if (d <= 0.0) {
                return Double.NEGATIVE_INFINITY;
            }
            sumA += xy / d;
            sumB += Math.log1p(xy);
        }
        double a = -sumA / n;
        double b = sumB / n;
        return a + b + a * b;
    }

    /**
     * {@code v(x) − 1 = (1/N) Σ log(1 + x·Y_i)}, which is {@code γ} at a root.
     */
    private static double meanLog1p(double x, double[] y, int n) {
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            s += Math.log1p(x * y[i]);
        }
        return s / n;
    }

    /**
     * Bisection on {@code [lo, hi]} (or {@code [hi, lo]}) where the Grimshaw function changes sign.
     */
    private static double bisect(double lo, double wLo, double hi, double[] y, int n) {
        for (int it = 0; it < MAX_BISECTIONS; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid == lo || mid == hi
                    || Math.abs(hi - lo) <= ROOT_RTOL * Math.max(Math.abs(lo), Math.abs(hi))) {
                return mid;
            }
            double wMid = grimshaw(mid, y, n);
            if (wMid == 0.0) {
                return mid;
            }
            if ((wMid < 0.0) == (wLo < 0.0)) {
                lo = mid;
                wLo = wMid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * The GPD log-likelihood of the peaks at {@code (γ, σ)} (Siffer et al., §3.2):
     * {@code −N·log σ − (1 + 1/γ)·Σ log(1 + (γ/σ)·Y_i)} for {@code γ ≠ 0} and {@code −N·log σ − Σ Y_i/σ} for
     * {@code γ = 0}.
     * @param peaks The peaks, finite and strictly positive, at least one.
     * @param gamma The shape {@code γ}, finite.
     * @param sigma The scale {@code σ}, finite and strictly positive.
     * @return The log-likelihood, or {@code −∞} when a peak lies outside the support
     *         ({@code 1 + (γ/σ)·Y_i ≤ 0}, possible when {@code γ < 0}).
     * @throws IllegalArgumentException If the peaks are null, empty or invalid, or the parameters are invalid.
     */
    public static double logLikelihood(double[] peaks, double gamma, double sigma) {
        checkPeaks(peaks);
        if (peaks.length == 0) {
            throw new IllegalArgumentException("GeneralizedParetoFit: peaks must not be empty");
        }
        if (!Double.isFinite(gamma)) {
            throw new IllegalArgumentException("GeneralizedParetoFit: gamma must be finite, found " + gamma);
        }
        if (!(sigma > 0.0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("GeneralizedParetoFit: sigma must be finite and > 0, found " + sigma);
        }
        return logLikelihoodValidated(peaks, peaks.length, gamma, sigma);
    }

    private static double logLikelihoodValidated(double[] y, int n, double gamma, double sigma) {
        if (gamma == 0.0) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += y[i];
            }
            return -n * Math.log(sigma) - s / sigma;
        }
        double ratio = gamma / sigma;
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            double z = ratio * y[i];
            if (1.0 + z <= 0.0) {
                return Double.NEGATIVE_INFINITY;
            }
            s += Math.log1p(z);
        }
        return -n * Math.log(sigma) - (1.0 + 1.0 / gamma) * s;
    }

    private static void checkPeaks(double[] peaks) {
        if (peaks == null) {
            throw new IllegalArgumentException("GeneralizedParetoFit: peaks must not be null");
        }
        for (int i = 0; i < peaks.length; i++) {
            double p = peaks[i];
            if (!Double.isFinite(p) || !(p > 0.0)) {
                throw new IllegalArgumentException("GeneralizedParetoFit: peaks must be finite and > 0, found "
                        + p + " at index " + i);
            }
        }
    }

    /**
     * The fitted shape {@code γ} ({@code 0} when the exponential candidate won).
     * @return The shape.
     */
    public double gamma() {
        return gamma;
    }

    /**
     * The fitted scale {@code σ > 0}.
     * @return The scale.
     */
    public double sigma() {
        return sigma;
    }

    /**
     * The maximised log-likelihood {@code log L(γ, σ)} of the peaks.
     * @return The log-likelihood.
     */
    public double logLikelihood() {
        return logLikelihood;
    }

    /**
     * The number of peaks {@code N} the distribution was fitted to.
     * @return The number of peaks.
     */
    public int numPeaks() {
        return numPeaks;
    }

    /**
     * Which candidate of Grimshaw's procedure won the likelihood comparison.
     * @return The winning candidate.
     */
    public Candidate candidate() {
        return candidate;
    }

    /**
     * The number of non-zero roots of {@code u(x)v(x) = 1} found on both intervals.
     * @return The number of roots found.
     */
    public int numRoots() {
        return numRoots;
    }

    /**
     * Whether the exponential candidate ({@code γ = 0}) won.
     * @return True if the exponential limit had the highest likelihood.
     */
    public boolean isExponential() {
        return candidate == Candidate.EXPONENTIAL;
    }

    /**
     * A readable summary.
     * @return The summary.
     */
    @Override
    public String toString() {
        return "GeneralizedParetoFit(gamma=" + gamma + ", sigma=" + sigma + ", logLikelihood=" + logLikelihood
                + ", numPeaks=" + numPeaks + ", candidate=" + candidate + ", numRoots=" + numRoots + ")";
    }
}
