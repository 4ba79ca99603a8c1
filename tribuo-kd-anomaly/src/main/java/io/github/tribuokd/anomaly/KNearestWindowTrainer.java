package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;

import java.util.Map;
import java.util.logging.Logger;

/**
 * Trains a k-nearest-neighbour distance anomaly detector, a non-deep baseline for the autoencoder teachers: the
 * anomaly score of a point (typically a time-series window) is its Euclidean distance to the k-th nearest normal
 * reference row (Ramaswamy, Rastogi and Shim, <i>Efficient Algorithms for Mining Outliers from Large Data Sets</i>,
 * SIGMOD 2000, the {@code D^k} outlier score).
 * <p>
 * Protocol, identical to {@link DenseAutoencoderTrainer}: the training examples are used in dataset order; the first
 * {@code 1 − validationFraction} of them (the fitting part) fit the {@link FeatureStandardizer} and provide the
 * reference rows, and the {@code thresholdQuantile} of the scores of the remaining tail is the threshold. Examples
 * labelled ANOMALOUS are refused or dropped ({@link AnomalousLabelPolicy}). With {@code validationFraction = 0} the
 * threshold is computed on the fitting rows themselves, each of which is then its own nearest neighbour (distance 0),
 * which biases the threshold low: keep a calibration tail.
 * <p>
 * Reference rows: when the fitting part has {@code n ≤ maxReference} rows all of them are kept; otherwise the
 * {@code m = maxReference} rows at indices {@code ⌊i·n/m⌋}, {@code i = 0 … m−1}, are kept (evenly spaced in time,
 * deterministic, first row always included). Training is deterministic (no random source). Scoring costs
 * {@code O(m·d)} per row (see {@link KNearestWindowModel}), and the model stores the {@code m·d} reference values.
 */
public final class KNearestWindowTrainer extends AbstractKDTrainer<Event, KNearestWindowModel> {

    private static final Logger logger = Logger.getLogger(KNearestWindowTrainer.class.getName());

    @Config(description = "The neighbour whose distance is the score (1 = nearest).")
    private int k = 5;

    @Config(description = "Maximum number of reference rows kept from the fitting part (evenly spaced); scoring "
            + "costs O(maxReference·d) per row.")
    private int maxReference = 4000;

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
    private KNearestWindowTrainer() { }

    /**
     * Creates a trainer with no floor on the standardisation scale.
     * @param k The neighbour whose distance is the score, {@code ≥ 1} (e.g. 5).
     * @param maxReference Maximum number of reference rows, {@code ≥ k} (e.g. 4000).
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public KNearestWindowTrainer(int k, int maxReference, double validationFraction, double thresholdQuantile) {
        this(k, maxReference, validationFraction, thresholdQuantile, 0.0);
    }

    /**
     * Creates a trainer.
     * @param k The neighbour whose distance is the score, {@code ≥ 1} (e.g. 5).
     * @param maxReference Maximum number of reference rows, {@code ≥ k} (e.g. 4000).
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     * @param minScale Floor on each feature's standardisation scale, {@code ≥ 0} (see
     *                 {@link FeatureStandardizer#fit(float[], int, int, double)}).
     */
    public KNearestWindowTrainer(int k, int maxReference, double validationFraction, double thresholdQuantile,
                                 double minScale) {
        this.k = k;
        this.maxReference = maxReference;
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
    public KNearestWindowTrainer withAnomalousLabels(AnomalousLabelPolicy policy) {
        this.anomalousLabels = policy;
        return this;
    }

    @Override
    public synchronized void postConfig() {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, found " + k);
        }
        if (maxReference < 1) {
            throw new IllegalArgumentException("maxReference must be positive, found " + maxReference);
        }
        if (k > maxReference) {
            throw new IllegalArgumentException("k = " + k + " exceeds maxReference = " + maxReference
                    + ": there would be fewer reference rows than neighbours");
        }
        checkFraction("validationFraction", validationFraction);
        checkThresholdQuantile(thresholdQuantile);
        FeatureStandardizer.checkMinScale(minScale);
        if (anomalousLabels == null) {
            throw new IllegalArgumentException("anomalousLabels must not be null");
        }
    }

    @Override
    protected KNearestWindowModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        TrainingData data = TrainingData.of(examples, featureMap, anomalousLabels, validationFraction,
                "KNearestWindowTrainer");
        int d = data.numFeatures;
        int n = data.fitRows;
        int[] selected = referenceIndices(n, maxReference);
        int m = selected.length;
        if (k > m) {
            throw new IllegalArgumentException("KNearestWindowTrainer: k = " + k + " exceeds the " + m
                    + " reference rows (the fitting part of the " + data.examples.size() + " training examples has "
                    + n + " rows after a validationFraction of " + validationFraction
                    + "); lower k or supply more data");
        }
        float[] fit = data.rows(0, n);
        FeatureStandardizer standardizer = FeatureStandardizer.fit(fit, n, d, minScale);
        standardizer.applyInPlace(fit, n);
        float[] reference = new float[Math.multiplyExact(m, d)];
        for (int i = 0; i < m; i++) {
            System.arraycopy(fit, selected[i] * d, reference, i * d, d);
        }
        logger.info("KNearestWindowTrainer: " + m + " reference rows of " + d + " features (from " + n
                + " fitting rows), k = " + k);

        return calibrated(data, modelProvenance(KNearestWindowModel.class, examples, run, runProvenance),
                thresholdQuantile, null, (provenance, threshold) -> new KNearestWindowModel("k-nearest-window",
                        provenance, featureMap, examples.getOutputIDInfo(), standardizer, reference, m, k, threshold));
    }

    /**
     * The indices of the kept reference rows among {@code n} fitting rows: all of them when {@code n ≤ max},
     * otherwise {@code ⌊i·n/max⌋} for {@code i = 0 … max−1} (strictly increasing, evenly spaced).
     * @param n The number of fitting rows.
     * @param max The maximum number of reference rows.
     * @return The indices, increasing.
     */
    static int[] referenceIndices(int n, int max) {
        int m = Math.min(n, max);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = (int) ((long) i * n / m);
        }
        return out;
    }

    @Override
    public String toString() {
        return "KNearestWindowTrainer(k=" + k + ",maxReference=" + maxReference + ",validationFraction="
                + validationFraction + ",thresholdQuantile=" + thresholdQuantile + ",minScale=" + minScale
                + ",anomalousLabels=" + anomalousLabels + ")";
    }
}
