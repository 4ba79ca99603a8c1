package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.tribuokd.anomaly.protos.MahalanobisWindowRuleProto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision rule of seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md), §2.1: a point {@code t} of a window is anomalous when its score
 * {@code a_t = (e_t − μ)ᵀ Σ⁻¹ (e_t − μ)} (eq. 1, {@link MahalanobisDistance}) is strictly above {@code τ}, and the
 * window is anomalous when the number of such points is <b>at least</b> {@code c} (the seed's "exceeds a certain
 * count" {@code k} is {@code c = k + 1}; Malhotra et al. 2016, §2.2, choose {@code τ} and {@code c} on validation
 * data).
 * <p>
 * This is the deployable form of the rule: an {@link LSTMAutoencoderModel} carries one
 * ({@link LSTMAutoencoderModel#withDecisionRule}), serializes it and exports it to ONNX. The evaluation module's
 * {@code MahalanobisCountRule} wraps the same object (and adds the choice of {@code τ} and {@code c} on labelled
 * windows). Immutable.
 */
public final class MahalanobisWindowRule {

    /** Provenance key of {@code τ}. */
    public static final String TAU = "tau";
    /** Provenance key of {@code c}. */
    public static final String MIN_COUNT = "min-count";
    /** Provenance key of {@code m}. */
    public static final String DIMENSION = "dimension";
    /** Provenance key of the number of validation points. */
    public static final String NUM_VALIDATION_POINTS = "validation-points";
    /** Provenance key of the ridge. */
    public static final String RIDGE = "ridge";
    /** Provenance key of the singular-covariance flag. */
    public static final String COVARIANCE_SINGULAR = "covariance-singular";
    /** Provenance key of the rule in words. */
    public static final String DESCRIPTION = "rule";

    private final MahalanobisDistance distance;
    private final double tau;
    private final int minCount;

    private MahalanobisWindowRule(MahalanobisDistance distance, double tau, int minCount) {
        this.distance = distance;
        this.tau = tau;
        this.minCount = minCount;
    }

    /**
     * A rule from a fitted distance, a point threshold and a window count.
     * @param distance The fitted eq. 1 score.
     * @param tau The point threshold {@code τ}, finite: a point is anomalous when {@code a_t > τ}.
     * @param minCount The window count {@code c ≥ 1}: a window is anomalous when at least {@code c} of its points
     *                 are ({@code c} above the window length flags no window).
     * @return The rule.
     * @throws IllegalArgumentException If the distance is null, {@code τ} is not finite or {@code c < 1}.
     */
    public static MahalanobisWindowRule of(MahalanobisDistance distance, double tau, int minCount) {
        if (distance == null) {
            throw new IllegalArgumentException("MahalanobisWindowRule: distance must not be null");
        }
        if (!Double.isFinite(tau)) {
            throw new IllegalArgumentException("MahalanobisWindowRule: tau must be finite, found " + tau);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("MahalanobisWindowRule: count c must be at least 1, found " + minCount);
        }
        return new MahalanobisWindowRule(distance, tau, minCount);
    }

    /**
     * Fits {@code μ} and {@code Σ} ({@link MahalanobisDistance#fit}) and makes the rule.
     * @param validationErrors Error vectors of normal validation points, {@code [numPoints][m]}.
     * @param tau The point threshold, finite.
     * @param minCount The window count, at least 1.
     * @return The rule.
     * @throws IllegalArgumentException As {@link MahalanobisDistance#fit} and {@link #of}.
     */
    public static MahalanobisWindowRule fit(double[][] validationErrors, double tau, int minCount) {
        if (!Double.isFinite(tau)) {
            throw new IllegalArgumentException("MahalanobisWindowRule: tau must be finite, found " + tau);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("MahalanobisWindowRule: count c must be at least 1, found " + minCount);
        }
        return of(MahalanobisDistance.fit(validationErrors), tau, minCount);
    }

    /**
     * The same {@code μ} and {@code Σ} with another {@code τ} and {@code c}.
     * @param newTau The point threshold, finite.
     * @param newCount The window count, at least 1.
     * @return A new rule sharing this rule's distance.
     */
    public MahalanobisWindowRule withTauAndCount(double newTau, int newCount) {
        return of(distance, newTau, newCount);
    }

    /**
     * Whether one point is anomalous: {@code a_t > τ} (strict; a NaN score is not).
     * @param pointScore The score {@code a_t}.
     * @return True when it exceeds {@code τ}.
     */
    public boolean exceeds(double pointScore) {
        return pointScore > tau;
    }

    /**
     * The number of points in {@code [from, toExclusive)} whose score exceeds {@code τ}.
     * @param pointScores Scores {@code a_t}.
     * @param from First index (inclusive).
     * @param toExclusive End (exclusive).
     * @return The count.
     */
    public int countExceeding(double[] pointScores, int from, int toExclusive) {
        return Counts.countAbove(pointScores, from, toExclusive, tau);
    }

    /**
     * The window decision from its count: anomalous when {@code count ≥ c}.
     * @param count The number of the window's points with {@code a_t > τ}.
     * @return True when the window is anomalous.
     */
    public boolean isAnomalous(int count) {
        return count >= minCount;
    }

    /**
     * The fitted eq. 1 score.
     * @return The distance.
     */
    public MahalanobisDistance distance() {
        return distance;
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
     * @return {@code c}.
     */
    public int minCount() {
        return minCount;
    }

    /**
     * The error-vector dimension {@code m}.
     * @return {@code m}.
     */
    public int dimension() {
        return distance.dimension();
    }

    /**
     * The settings as provenance (for a model's instance provenance): {@code τ}, {@code c}, {@code m}, the number
     * of validation points, the ridge, whether {@code Σ} was singular and the rule in words.
     * @return The provenance.
     */
    public MapProvenance<Provenance> provenance() {
        Map<String, Provenance> map = new LinkedHashMap<>();
        map.put(DESCRIPTION, new StringProvenance(DESCRIPTION, "seed 000 eq. 1: a_t = (e_t - mu)' Sigma^-1 (e_t - mu);"
                + " window anomalous when at least c points have a_t > tau"));
        map.put(TAU, new DoubleProvenance(TAU, tau));
        map.put(MIN_COUNT, new IntProvenance(MIN_COUNT, minCount));
        map.put(DIMENSION, new IntProvenance(DIMENSION, distance.dimension()));
        map.put(NUM_VALIDATION_POINTS, new IntProvenance(NUM_VALIDATION_POINTS, distance.numPoints()));
        map.put(RIDGE, new DoubleProvenance(RIDGE, distance.ridge()));
        map.put(COVARIANCE_SINGULAR, new BooleanProvenance(COVARIANCE_SINGULAR, distance.covarianceWasSingular()));
        return new MapProvenance<>(map);
    }

    /** The protobuf form: {@code μ}, {@code Σ} (row-major, as fitted), {@code λ}, {@code n}, {@code τ}, {@code c}. */
    MahalanobisWindowRuleProto toProto() {
        MahalanobisWindowRuleProto.Builder b = MahalanobisWindowRuleProto.newBuilder()
                .setRidge(distance.ridge())
                .setNumValidationPoints(distance.numPoints())
                .setTau(tau)
                .setMinCount(minCount);
        for (double v : distance.mean()) {
            b.addMean(v);
        }
        for (double[] row : distance.covariance()) {
            for (double v : row) {
                b.addCovariance(v);
            }
        }
        return b.build();
    }

    /**
     * Rebuilds a rule from its protobuf form ({@link MahalanobisDistance#restore}: the same scores, bit for bit).
     * @param proto The message.
     * @return The rule.
     * @throws IllegalStateException If the message is inconsistent.
     */
    static MahalanobisWindowRule fromProto(MahalanobisWindowRuleProto proto) {
        int m = proto.getMeanCount();
        if (m < 1 || proto.getCovarianceCount() != m * m) {
            throw new IllegalStateException("Invalid protobuf for MahalanobisWindowRule: " + m + " means and "
                    + proto.getCovarianceCount() + " covariance entries");
        }
        double[] mean = new double[m];
        double[][] cov = new double[m][m];
        for (int i = 0; i < m; i++) {
            mean[i] = proto.getMean(i);
            for (int j = 0; j < m; j++) {
                cov[i][j] = proto.getCovariance(i * m + j);
            }
        }
        try {
            return of(MahalanobisDistance.restore(mean, cov, proto.getRidge(), proto.getNumValidationPoints()),
                    proto.getTau(), proto.getMinCount());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for MahalanobisWindowRule: " + e.getMessage(), e);
        }
    }

    /**
     * A readable summary.
     * @return The summary.
     */
    @Override
    public String toString() {
        return "MahalanobisWindowRule(tau=" + tau + ", c=" + minCount + ", m=" + distance.dimension() + ", n="
                + distance.numPoints() + ", ridge=" + distance.ridge() + ")";
    }
}
