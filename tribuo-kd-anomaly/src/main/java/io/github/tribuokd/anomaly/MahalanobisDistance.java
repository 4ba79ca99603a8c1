package io.github.tribuokd.anomaly;

/**
 * The anomaly score of a point's reconstruction-error vector, seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md), eq. 1 (after Malhotra et al.
 * 2016, §2.2): a normal distribution {@code N(μ, Σ)} is fitted to the error vectors {@code e_t = |x_t − x'_t|}
 * ({@code m}-dimensional) of normal validation data, and a point scores
 * <pre>
 *     a_t = (e_t − μ)ᵀ Σ⁻¹ (e_t − μ)
 * </pre>
 * (the squared Mahalanobis distance, as the seed writes it: no square root). This class is the one place where this
 * library computes eq. 1; {@link MahalanobisWindowRule} adds the seed's count rule on top, and the evaluation
 * module's {@code MahalanobisCountRule} delegates here.
 * <p>
 * Numerics: everything is in double precision. {@code μ} is the mean and {@code Σ} the unbiased sample covariance
 * (divided by {@code n − 1}, as NumPy's {@code np.cov} does by default). {@code Σ} is factorised once by a Cholesky
 * decomposition {@code Σ = L·Lᵀ} (written here), and {@code a_t = ‖L⁻¹(e_t − μ)‖²} is computed by a forward
 * triangular solve, never through an explicit inverse. If {@code Σ} is not numerically positive definite (a Cholesky
 * pivot at or below {@value #SINGULARITY_TOLERANCE} times its diagonal entry, for example when two error columns are
 * identical), a ridge {@code λ·I} is added, starting at {@value #INITIAL_RIDGE_FACTOR}{@code ·trace(Σ)/m} (of 1 when
 * the trace is 0) and multiplied by 10 until the factorisation succeeds: the score then uses {@code (Σ + λI)⁻¹}.
 * {@link #inverseCovariance()} gives that matrix explicitly, for export (the ONNX graph of
 * {@link LSTMAutoencoderModel}).
 * <p>
 * Immutable. {@link #restore} rebuilds an instance from {@code μ}, {@code Σ} and {@code λ} with the same factor, bit
 * for bit (the protobuf form).
 */
public final class MahalanobisDistance {

    /**
     * The first ridge tried, as a multiple of {@code trace(Σ)/m} (of 1 when the trace is 0).
     */
    public static final double INITIAL_RIDGE_FACTOR = 1e-6;

    /**
     * A Cholesky pivot at or below this multiple of its diagonal entry marks {@code Σ} as numerically singular.
     */
    public static final double SINGULARITY_TOLERANCE = 1e-10;

    /** Number of ridge increases tried before giving up. */
    private static final int MAX_RIDGE_STEPS = 40;

    private static final String WHO = "MahalanobisDistance";

    private final int m;
    private final int numPoints;
    private final double[] mean;
    private final double[][] covariance;
    /** Lower Cholesky factor of {@code Σ + λI}. */
    private final double[][] cholesky;
    private final double ridge;

    private MahalanobisDistance(int numPoints, double[] mean, double[][] covariance, double[][] cholesky,
                                double ridge) {
        this.m = mean.length;
        this.numPoints = numPoints;
        this.mean = mean;
        this.covariance = covariance;
        this.cholesky = cholesky;
        this.ridge = ridge;
    }

    /**
     * Fits {@code μ} and {@code Σ} on the error vectors of normal validation data (seed {@code 000_*}, eq. 1).
     * @param validationErrors Error vectors {@code e_t = |x_t − x'_t|}, shape {@code [numPoints][m]}, at least two
     *                         points, every row of the same length {@code m ≥ 1}, finite. Not modified.
     * @return The fitted distance.
     * @throws IllegalArgumentException If the errors are null, have fewer than two rows, ragged or empty rows, or
     *                                  non-finite values.
     * @throws IllegalStateException If no ridge up to {@code 10^40} times the initial one makes {@code Σ} positive
     *                               definite.
     */
    public static MahalanobisDistance fit(double[][] validationErrors) {
        if (validationErrors == null) {
            throw new IllegalArgumentException(WHO + ": validation errors must not be null");
        }
        int n = validationErrors.length;
        if (n < 2) {
            throw new IllegalArgumentException(WHO + ": need at least 2 validation error vectors to estimate a "
                    + "covariance, found " + n);
        }
        if (validationErrors[0] == null || validationErrors[0].length == 0) {
            throw new IllegalArgumentException(WHO + ": error vectors must be non-empty (row 0)");
        }
        int m = validationErrors[0].length;
        for (int i = 0; i < n; i++) {
            double[] row = validationErrors[i];
            if (row == null) {
                throw new IllegalArgumentException(WHO + ": error vector " + i + " is null");
            }
            if (row.length != m) {
                throw new IllegalArgumentException(WHO + ": error vector " + i + " has dimension " + row.length
                        + ", expected m = " + m + " (the dimension of row 0)");
            }
            for (int j = 0; j < m; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException(WHO + ": error vectors must be finite, found " + row[j]
                            + " at [" + i + "][" + j + "]");
                }
            }
        }
        // μ [m] = mean of the rows; Σ [m, m] = Σ_t (e_t − μ)(e_t − μ)ᵀ / (n − 1), lower triangle then mirrored
        double[] mu = new double[m];
        for (double[] row : validationErrors) {
            for (int j = 0; j < m; j++) {
                mu[j] += row[j];
            }
        }
        for (int j = 0; j < m; j++) {
            mu[j] /= n;
        }
        double[][] cov = new double[m][m];
        double[] d = new double[m];
        for (double[] row : validationErrors) {
            for (int j = 0; j < m; j++) {
                d[j] = row[j] - mu[j];
            }
            for (int j = 0; j < m; j++) {
                double dj = d[j];
                for (int k = 0; k <= j; k++) {
                    cov[j][k] += dj * d[k];
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k <= j; k++) {
                cov[j][k] /= (n - 1);
                cov[k][j] = cov[j][k];
            }
        }

        double[][] chol = cholesky(cov, 0.0);
        double ridge = 0.0;
        if (chol == null) {
            double trace = 0.0;
            for (int j = 0; j < m; j++) {
                trace += cov[j][j];
            }
            double scale = trace / m > 0.0 ? trace / m : 1.0;
            ridge = INITIAL_RIDGE_FACTOR * scale;
            for (int step = 0; step < MAX_RIDGE_STEPS && chol == null; step++) {
                chol = cholesky(cov, ridge);
                if (chol == null) {
                    ridge *= 10.0;
                }
            }
            if (chol == null) {
                throw new IllegalStateException(WHO + ": covariance could not be regularised (last ridge " + ridge
                        + ")");
            }
        }
        return new MahalanobisDistance(n, mu, cov, chol, ridge);
    }

    /**
     * Rebuilds a fitted distance from its stored parts (the protobuf form): the factor of {@code Σ + λI} is
     * recomputed by the same code as in {@link #fit}, so scores are bit-identical to the original's.
     * @param mean {@code μ}, length {@code m ≥ 1}, finite (copied).
     * @param covariance {@code Σ} as fitted (without the ridge), {@code [m][m]}, finite (copied).
     * @param ridge {@code λ ≥ 0}: 0 when {@code Σ} was positive definite.
     * @param numPoints The number of validation points it was fitted on, at least 2.
     * @return The distance.
     * @throws IllegalArgumentException If the shapes disagree, a value is not finite, {@code λ < 0},
     *                                  {@code numPoints < 2}, or {@code Σ + λI} is not positive definite.
     */
    public static MahalanobisDistance restore(double[] mean, double[][] covariance, double ridge, int numPoints) {
        if (mean == null || mean.length == 0 || covariance == null || covariance.length != mean.length) {
            throw new IllegalArgumentException(WHO + ": mean and covariance must be non-empty and of the same "
                    + "dimension, found " + (mean == null ? "no mean" : mean.length) + " and "
                    + (covariance == null ? "no covariance" : covariance.length + " rows"));
        }
        int m = mean.length;
        double[] mu = mean.clone();
        double[][] cov = new double[m][];
        for (int i = 0; i < m; i++) {
            if (covariance[i] == null || covariance[i].length != m) {
                throw new IllegalArgumentException(WHO + ": covariance row " + i + " must have " + m + " entries");
            }
            cov[i] = covariance[i].clone();
            if (!Double.isFinite(mu[i])) {
                throw new IllegalArgumentException(WHO + ": mean must be finite, found " + mu[i] + " at " + i);
            }
            for (int j = 0; j < m; j++) {
                if (!Double.isFinite(cov[i][j])) {
                    throw new IllegalArgumentException(WHO + ": covariance must be finite, found " + cov[i][j]
                            + " at [" + i + "][" + j + "]");
                }
            }
        }
        if (!(ridge >= 0.0) || !Double.isFinite(ridge)) {
            throw new IllegalArgumentException(WHO + ": ridge must be finite and non-negative, found " + ridge);
        }
        if (numPoints < 2) {
            throw new IllegalArgumentException(WHO + ": numPoints must be at least 2, found " + numPoints);
        }
        double[][] chol = cholesky(cov, ridge);
        if (chol == null) {
            throw new IllegalArgumentException(WHO + ": covariance plus ridge " + ridge + " is not positive definite");
        }
        return new MahalanobisDistance(numPoints, mu, cov, chol, ridge);
    }

    /**
     * Lower Cholesky factor of {@code a + ridge·I}, or null when a pivot is not above
     * {@link #SINGULARITY_TOLERANCE} times its diagonal entry (not numerically positive definite).
     */
    private static double[][] cholesky(double[][] a, double ridge) {
        int m = a.length;
        double[][] l = new double[m][m];
        for (int j = 0; j < m; j++) {
            double diag = a[j][j] + ridge;
            double s = diag;
            for (int k = 0; k < j; k++) {
                s -= l[j][k] * l[j][k];
            }
            if (!(diag > 0.0) || !(s > SINGULARITY_TOLERANCE * diag) || !Double.isFinite(s)) {
                return null;
            }
            double ljj = Math.sqrt(s);
            l[j][j] = ljj;
            for (int i = j + 1; i < m; i++) {
                double t = a[i][j];
                for (int k = 0; k < j; k++) {
                    t -= l[i][k] * l[j][k];
                }
                l[i][j] = t / ljj;
            }
        }
        return l;
    }

    /**
     * The anomaly score of one error vector, {@code a = (e − μ)ᵀ Σ⁻¹ (e − μ)} (seed {@code 000_*}, eq. 1; with the
     * ridge when one was needed), computed as {@code ‖L⁻¹(e − μ)‖²} by a forward triangular solve.
     * @param errorVector The error vector {@code e}, of dimension {@code m}, finite.
     * @return The score {@code a ≥ 0}.
     * @throws IllegalArgumentException If the vector is null, of the wrong dimension, or not finite.
     */
    public double score(double[] errorVector) {
        checkVector(errorVector, -1);
        return solve(errorVector, 0, null, new double[m]);
    }

    /**
     * The anomaly scores of many error vectors (eq. 1), one per row.
     * @param errors Error vectors, shape {@code [numPoints][m]}, finite.
     * @return The scores, one per row.
     * @throws IllegalArgumentException If the array or a row is null, a row has the wrong dimension, or a value
     *                                  is not finite.
     */
    public double[] scores(double[][] errors) {
        if (errors == null) {
            throw new IllegalArgumentException(WHO + ": errors must not be null");
        }
        double[] out = new double[errors.length];
        double[] work = new double[m];
        for (int i = 0; i < errors.length; i++) {
            checkVector(errors[i], i);
            out[i] = solve(errors[i], 0, null, work);
        }
        return out;
    }

    /**
     * The scores of consecutive float error vectors (the layout of {@link LSTMAutoencoderModel#errorVectors}),
     * without allocation: {@code out[outOffset + p] = a(errors[offset + p·m .. offset + (p+1)·m))}.
     * @param errors Error vectors {@code [.., m]} row-major, finite (not checked: they come from our own networks).
     * @param offset The first element of the first vector.
     * @param numVectors The number of vectors.
     * @param work Scratch of at least {@code m} doubles.
     * @param out Receives the scores.
     * @param outOffset Where the first score goes.
     */
    void scores(float[] errors, int offset, int numVectors, double[] work, double[] out, int outOffset) {
        for (int p = 0; p < numVectors; p++) {
            out[outOffset + p] = solve(null, offset + p * m, errors, work);
        }
    }

    // y = L⁻¹(e − μ) by forward substitution (y in work [m]); returns ‖y‖². Reads e from the double vector when it
    // is given, else from the float buffer at offset.
    private double solve(double[] e, int offset, float[] ef, double[] y) {
        double sum = 0.0;
        for (int i = 0; i < m; i++) {
            double t = (e != null ? e[i] : ef[offset + i]) - mean[i];
            double[] li = cholesky[i];
            for (int k = 0; k < i; k++) {
                t -= li[k] * y[k];
            }
            y[i] = t / li[i];
            sum += y[i] * y[i];
        }
        return sum;
    }

    private void checkVector(double[] e, int row) {
        String where = row < 0 ? "error vector" : "error vector " + row;
        if (e == null) {
            throw new IllegalArgumentException(WHO + ": " + where + " is null");
        }
        if (e.length != m) {
            throw new IllegalArgumentException(WHO + ": " + where + " has dimension m = " + e.length
                    + ", expected m = " + m + " (the dimension the distance was fitted on)");
        }
        for (int j = 0; j < m; j++) {
            if (!Double.isFinite(e[j])) {
                throw new IllegalArgumentException(WHO + ": " + where + " must be finite, found " + e[j]
                        + " at index " + j);
            }
        }
    }

    /**
     * The matrix of the quadratic form, {@code (Σ + λI)⁻¹ = L⁻ᵀ·L⁻¹} ({@code Σ⁻¹} when no ridge was needed), for
     * export: {@code a = (e − μ)ᵀ·S·(e − μ)} with this {@code S} equals {@link #score} up to rounding.
     * @return A new symmetric {@code [m][m]} matrix.
     */
    public double[][] inverseCovariance() {
        // Linv = L⁻¹ (lower triangular), column by column: L · Linv[:, j] = e_j
        double[][] inv = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int i = j; i < m; i++) {
                double t = i == j ? 1.0 : 0.0;
                double[] li = cholesky[i];
                for (int k = j; k < i; k++) {
                    t -= li[k] * inv[k][j];
                }
                inv[i][j] = t / li[i];
            }
        }
        // S = Linvᵀ · Linv, symmetric: S[i][j] = Σ_{k ≥ max(i, j)} Linv[k][i] · Linv[k][j]
        double[][] s = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0.0;
                for (int k = i; k < m; k++) {
                    sum += inv[k][i] * inv[k][j];
                }
                s[i][j] = sum;
                s[j][i] = sum;
            }
        }
        return s;
    }

    /**
     * The error-vector dimension {@code m}.
     * @return {@code m}.
     */
    public int dimension() {
        return m;
    }

    /**
     * The number of validation error vectors {@code μ} and {@code Σ} were fitted on.
     * @return The number of validation points.
     */
    public int numPoints() {
        return numPoints;
    }

    /**
     * The fitted mean {@code μ}.
     * @return A copy of {@code μ}.
     */
    public double[] mean() {
        return mean.clone();
    }

    /**
     * The fitted covariance {@code Σ} (divided by {@code n − 1}), without the ridge.
     * @return A copy of {@code Σ}.
     */
    public double[][] covariance() {
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) {
            out[i] = covariance[i].clone();
        }
        return out;
    }

    /**
     * The ridge {@code λ} added to the diagonal of {@code Σ} before factorising; {@code 0} when {@code Σ} was
     * positive definite.
     * @return The ridge.
     */
    public double ridge() {
        return ridge;
    }

    /**
     * Whether the fitted {@code Σ} was numerically singular (not positive definite) and a ridge was added.
     * @return True if {@code Σ} was singular.
     */
    public boolean covarianceWasSingular() {
        return ridge > 0.0;
    }

    /**
     * A readable summary.
     * @return The summary.
     */
    @Override
    public String toString() {
        return "MahalanobisDistance(m=" + m + ", n=" + numPoints + ", ridge=" + ridge + ")";
    }
}
