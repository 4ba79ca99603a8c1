package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;
import org.tribuo.math.la.DenseMatrix;

import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Trains a principal-component reconstruction anomaly detector, a non-deep baseline for the autoencoder teachers:
 * the anomaly score of a point is its squared distance to the principal subspace of the normal training data
 * (the "minor component" / residual-subspace score of Shyu, Chen, Sarinnapakorn and Chang, <i>A Novel Anomaly
 * Detection Scheme Based on Principal Component Classifier</i>, ICDM Foundations and New Directions of Data Mining
 * workshop, 2003; equivalently the Q statistic / squared prediction error of PCA process monitoring). A linear
 * autoencoder with squared loss learns the same subspace, so this is the reference point for
 * {@link DenseAutoencoderTrainer}.
 * <p>
 * Protocol, identical to {@link DenseAutoencoderTrainer}: the training examples are used in dataset order; the first
 * {@code 1 − validationFraction} of them fit the {@link FeatureStandardizer} and the principal components, and the
 * {@code thresholdQuantile} of the scores of the remaining tail is the threshold. Examples labelled ANOMALOUS are
 * refused or dropped ({@link AnomalousLabelPolicy}).
 * <p>
 * Fitting: with {@code Z} the {@code n × d} standardised fitting rows (whose column means are 0, so the analysis is
 * centred), the covariance {@code C = ZᵀZ / n} is accumulated in double precision and decomposed with Tribuo's
 * symmetric eigen solver ({@link DenseMatrix#eigenDecomposition()}; a cyclic Jacobi solver takes over in the rare
 * case where its QL iteration does not converge). The model keeps the smallest number {@code k} of leading
 * eigenvectors whose eigenvalues sum to at least {@code varianceFraction} of the trace (at most
 * {@code maxComponents} of them when that is positive). Cost: {@code O(n·d²)} for the covariance plus
 * {@code O(d³)} for the decomposition. The result is deterministic (no random source).
 */
public final class PCAReconstructionTrainer extends AbstractKDTrainer<Event, PCAReconstructionModel> {

    private static final Logger logger = Logger.getLogger(PCAReconstructionTrainer.class.getName());

    @Config(description = "Fraction of the (standardised) variance the kept leading components must explain, in "
            + "(0, 1].")
    private double varianceFraction = 0.95;

    @Config(description = "Upper bound on the number of kept components (0: no bound).")
    private int maxComponents = 0;

    @Config(description = "Fraction of the training examples (the time-ordered tail) used to set the threshold.")
    private double validationFraction = 0.1;

    @Config(description = "Quantile of the validation scores used as the threshold.")
    private double thresholdQuantile = 0.99;

    @Config(description = "What to do with training examples labelled ANOMALOUS.")
    private AnomalousLabelPolicy anomalousLabels = AnomalousLabelPolicy.REJECT;

    @Config(description = "Floor on the per-feature standardisation scale (0: none; a feature of standard "
            + "deviation at most 1e-8 is then only centred). On data scaled to [0, 1], 0.01 keeps nearly constant "
            + "training features from exploding when they move in testing.")
    private double minScale = 0.0;

    /** For OLCUT. */
    private PCAReconstructionTrainer() { }

    /**
     * Creates a trainer with no bound on the number of components and no floor on the standardisation scale.
     * @param varianceFraction Fraction of the variance the kept components explain, in (0, 1] (e.g. 0.95).
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public PCAReconstructionTrainer(double varianceFraction, double validationFraction, double thresholdQuantile) {
        this(varianceFraction, 0, validationFraction, thresholdQuantile, 0.0);
    }

    /**
     * Creates a trainer.
     * @param varianceFraction Fraction of the variance the kept components explain, in (0, 1] (e.g. 0.95).
     * @param maxComponents Upper bound on the kept components, {@code ≥ 1}, or 0 for none.
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     * @param minScale Floor on each feature's standardisation scale, {@code ≥ 0} (see
     *                 {@link FeatureStandardizer#fit(float[], int, int, double)}).
     */
    public PCAReconstructionTrainer(double varianceFraction, int maxComponents, double validationFraction,
                                    double thresholdQuantile, double minScale) {
        this.varianceFraction = varianceFraction;
        this.maxComponents = maxComponents;
        this.validationFraction = validationFraction;
        this.thresholdQuantile = thresholdQuantile;
        this.minScale = minScale;
        postConfig();
    }

    /**
     * Sets the policy for ANOMALOUS training labels.
     * @param policy The policy.
     * @return This trainer.
     */
    public PCAReconstructionTrainer withAnomalousLabels(AnomalousLabelPolicy policy) {
        this.anomalousLabels = policy;
        return this;
    }

    @Override
    public synchronized void postConfig() {
        if (!(varianceFraction > 0 && varianceFraction <= 1)) {
            throw new IllegalArgumentException("varianceFraction must be in (0, 1], found " + varianceFraction);
        }
        if (maxComponents < 0) {
            throw new IllegalArgumentException("maxComponents must be positive, or 0 for no bound, found "
                    + maxComponents);
        }
        checkFraction("validationFraction", validationFraction);
        checkThresholdQuantile(thresholdQuantile);
        FeatureStandardizer.checkMinScale(minScale);
        if (anomalousLabels == null) {
            throw new IllegalArgumentException("anomalousLabels must not be null");
        }
    }

    @Override
    protected PCAReconstructionModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        TrainingData data = TrainingData.of(examples, featureMap, anomalousLabels, validationFraction,
                "PCAReconstructionTrainer");
        int d = data.numFeatures;
        int n = data.fitRows;
        float[] fit = data.rows(0, n);
        FeatureStandardizer standardizer = FeatureStandardizer.fit(fit, n, d, minScale);
        standardizer.applyInPlace(fit, n);

        double[][] covariance = covariance(fit, n, d);
        Eigen eigen = symmetricEigen(covariance);
        double total = 0;
        for (double v : eigen.values) {
            total += Math.max(v, 0);
        }
        int k = 0;
        if (total > 0) {
            double target = varianceFraction * total;
            double cumulative = 0;
            while (k < d && cumulative < target) {
                cumulative += Math.max(eigen.values[k], 0);
                k++;
            }
        } else {
            logger.warning("PCAReconstructionTrainer: every feature is constant on the " + n + " fitting rows; "
                    + "keeping no component (the score is the squared norm of the standardised row over d)");
        }
        if (maxComponents > 0) {
            k = Math.min(k, maxComponents);
        }
        double[] components = new double[k * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(eigen.vectors[c], 0, components, c * d, d);
        }
        double explained = 0;
        for (int c = 0; c < k; c++) {
            explained += Math.max(eigen.values[c], 0);
        }
        logger.info("PCAReconstructionTrainer: kept " + k + " of " + d + " components, explaining "
                + (total > 0 ? String.format(java.util.Locale.ROOT, "%.4f", explained / total) : "all")
                + " of the variance of " + n
                + " fitting rows");

        int kept = k;
        return calibrated(data, modelProvenance(PCAReconstructionModel.class, examples, run, runProvenance),
                thresholdQuantile, null, (provenance, threshold) -> new PCAReconstructionModel("pca-reconstruction",
                        provenance, featureMap, examples.getOutputIDInfo(), standardizer, kept, components,
                        eigen.values, threshold));
    }

    /** {@code ZᵀZ / n} in double, exactly symmetric. */
    static double[][] covariance(float[] z, int n, int d) {
        double[] acc = new double[d * d]; // upper triangle, row-major
        double[] row = new double[d];
        for (int r = 0; r < n; r++) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                row[j] = z[o + j];
            }
            for (int i = 0; i < d; i++) {
                double zi = row[i];
                if (zi == 0) {
                    continue;
                }
                int at = i * d;
                for (int j = i; j < d; j++) {
                    acc[at + j] += zi * row[j];
                }
            }
        }
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = acc[i * d + j] / n;
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        return c;
    }

    /** Eigenvalues in descending order and the matching unit eigenvectors ({@code vectors[i]} is the i-th). */
    static final class Eigen {
        final double[] values;
        final double[][] vectors;

        Eigen(double[] values, double[][] vectors) {
            this.values = values;
            this.vectors = vectors;
        }
    }

    /**
     * Eigen-decomposes a symmetric matrix: Tribuo's Householder + QL solver, or {@link #jacobiEigen} when that
     * does not converge. Eigenvalues are sorted descending (ties by index) and each eigenvector's sign is fixed so
     * that its largest-magnitude entry (the first such) is positive, which makes the result reproducible.
     */
    static Eigen symmetricEigen(double[][] a) {
        int d = a.length;
        Optional<DenseMatrix.EigenDecomposition> tribuo = DenseMatrix.createDenseMatrix(a).eigenDecomposition();
        double[] values;
        double[][] vectors;
        if (tribuo.isPresent()) {
            values = tribuo.get().eigenvalues().toArray();
            DenseMatrix v = tribuo.get().eigenvectors();
            vectors = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    vectors[i][j] = v.get(j, i); // eigenvectors are columns
                }
            }
        } else {
            logger.info("PCAReconstructionTrainer: Tribuo's eigen solver did not converge; using Jacobi rotations");
            Eigen j = jacobiEigen(a);
            values = j.values;
            vectors = j.vectors;
        }
        return sorted(values, vectors);
    }

    private static Eigen sorted(double[] values, double[][] vectors) {
        int d = values.length;
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> {
            int c = Double.compare(values[y], values[x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        double[] sortedValues = new double[d];
        double[][] sortedVectors = new double[d][];
        for (int i = 0; i < d; i++) {
            sortedValues[i] = values[order[i]];
            double[] v = vectors[order[i]].clone();
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[arg])) {
                    arg = j;
                }
            }
            if (v[arg] < 0) {
                for (int j = 0; j < d; j++) {
                    v[j] = -v[j];
                }
            }
            sortedVectors[i] = v;
        }
        return new Eigen(sortedValues, sortedVectors);
    }

    /**
     * Cyclic Jacobi eigen solver for a symmetric matrix (Golub and Van Loan, §8.5): always converges, to full
     * double accuracy, in a handful of sweeps. Unsorted output; {@code vectors[i]} belongs to {@code values[i]}.
     * @param input The symmetric matrix (not modified).
     * @return The decomposition.
     */
    static Eigen jacobiEigen(double[][] input) {
        int d = input.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = input[i].clone();
        }
        double[][] v = new double[d][d]; // v[i] is the i-th eigenvector (rows of Vᵀ)
        for (int i = 0; i < d; i++) {
            v[i][i] = 1;
        }
        double previousOff = Double.POSITIVE_INFINITY;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < d; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            // Converged to rounding level, or rounding stops further progress.
            if (off == 0 || off <= 1e-28 * diag || off >= previousOff) {
                break;
            }
            previousOff = off;
            for (int p = 0; p < d - 1; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = a[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    // A ← Jᵀ A J with J the rotation in the (p, q) plane.
                    for (int r = 0; r < d; r++) {
                        double arp = a[r][p];
                        double arq = a[r][q];
                        a[r][p] = c * arp - s * arq;
                        a[r][q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < d; r++) {
                        double apr = a[p][r];
                        double aqr = a[q][r];
                        a[p][r] = c * apr - s * aqr;
                        a[q][r] = s * apr + c * aqr;
                    }
                    a[p][q] = 0;
                    a[q][p] = 0;
                    double[] vp = v[p];
                    double[] vq = v[q];
                    for (int r = 0; r < d; r++) {
                        double x = vp[r];
                        double y = vq[r];
                        vp[r] = c * x - s * y;
                        vq[r] = s * x + c * y;
                    }
                }
            }
        }
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = a[i][i];
        }
        return new Eigen(values, v);
    }

    @Override
    public String toString() {
        return "PCAReconstructionTrainer(varianceFraction=" + varianceFraction + ",maxComponents=" + maxComponents
                + ",validationFraction=" + validationFraction + ",thresholdQuantile=" + thresholdQuantile
                + ",minScale=" + minScale + ",anomalousLabels=" + anomalousLabels + ")";
    }
}
