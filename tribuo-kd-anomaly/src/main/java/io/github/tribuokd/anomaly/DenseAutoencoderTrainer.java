package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Trains a dense autoencoder teacher on normal data (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2: an autoencoder whose
 * reconstruction loss is the anomaly score).
 * <p>
 * Architecture: {@code d → e1 → ... → ek → ... → e1 → d} for {@code encoderSizes = [e1, ..., ek]}, with
 * {@code activation} between layers and a linear output, on standardised inputs. Loss MSE.
 * <p>
 * The training examples are used in dataset order: the first {@code 1 − validationFraction} fit the
 * standardisation and the network; the scores of the remaining tail set the threshold at
 * {@code thresholdQuantile} (the quantile rule of docs/EVALUATION.md). Examples labelled ANOMALOUS are refused or dropped
 * ({@link AnomalousLabelPolicy}).
 */
public final class DenseAutoencoderTrainer extends AbstractEpochTrainer<Event, AutoencoderModel> {

    private static final Logger logger = Logger.getLogger(DenseAutoencoderTrainer.class.getName());

    @Config(description = "Encoder layer widths; the decoder mirrors them.")
    private int[] encoderSizes = {64, 16};

    @Config(description = "Activation between layers (the output layer is linear).")
    private Activation activation = Activation.TANH;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    @Config(description = "Fraction of the training examples (the time-ordered tail) used to set the threshold.")
    private double validationFraction = 0.1;

    @Config(description = "Quantile of the validation scores used as the threshold.")
    private double thresholdQuantile = 0.99;

    @Config(description = "What to do with training examples labelled ANOMALOUS.")
    private AnomalousLabelPolicy anomalousLabels = AnomalousLabelPolicy.REJECT;

    @Config(description = "Floor on each feature's standardisation scale (0: none; a feature constant in training "
            + "then keeps scale 1). On data scaled to [0, 1], 0.01 stops a nearly constant training feature from "
            + "turning a small change at test time into a huge standardised value.")
    private double minScale = 0.0;

    /** For OLCUT. */
    private DenseAutoencoderTrainer() {
        super(20, 256);
    }

    /**
     * Creates a trainer.
     * @param encoderSizes Encoder widths (the decoder mirrors them).
     * @param activation Activation between layers.
     * @param epochs Passes over the data.
     * @param batchSize Minibatch size.
     * @param optimiser The optimiser.
     * @param seed The seed.
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public DenseAutoencoderTrainer(int[] encoderSizes, Activation activation, int epochs, int batchSize,
                                   Optimiser optimiser, long seed, double validationFraction,
                                   double thresholdQuantile) {
        super(epochs, batchSize);
        this.encoderSizes = encoderSizes.clone();
        this.activation = activation;
        this.optimiser = optimiser;
        this.seed = seed;
        this.validationFraction = validationFraction;
        this.thresholdQuantile = thresholdQuantile;
        postConfig();
    }

    /**
     * Sets the policy for ANOMALOUS training labels.
     * @param policy The policy.
     * @return This trainer.
     */
    public DenseAutoencoderTrainer withAnomalousLabels(AnomalousLabelPolicy policy) {
        this.anomalousLabels = policy;
        return this;
    }

    /**
     * Sets the floor on each feature's standardisation scale ({@link FeatureStandardizer#fit(float[], int, int,
     * double)}).
     * @param minScale The floor, finite and non-negative (0: none).
     * @return This trainer.
     */
    public DenseAutoencoderTrainer withMinScale(double minScale) {
        this.minScale = minScale;
        postConfig();
        return this;
    }

    /**
     * The floor on each feature's standardisation scale.
     * @return The floor (0: none).
     */
    public double minScale() {
        return minScale;
    }

    @Override
    public synchronized void postConfig() {
        if (encoderSizes == null || encoderSizes.length == 0 || Arrays.stream(encoderSizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("encoderSizes must be non-empty and positive, found "
                    + Arrays.toString(encoderSizes));
        }
        checkEpochsAndBatchSize();
        checkFraction("validationFraction", validationFraction);
        checkThresholdQuantile(thresholdQuantile);
        FeatureStandardizer.checkMinScale(minScale);
        super.postConfig();
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    @Override
    protected AutoencoderModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        SplittableRandom localRNG = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        TrainingData data = TrainingData.of(examples, featureMap, anomalousLabels, validationFraction,
                "DenseAutoencoderTrainer");
        int d = data.numFeatures;
        float[] fit = data.rows(0, data.fitRows);
        FeatureStandardizer standardizer = FeatureStandardizer.fit(fit, data.fitRows, d, minScale);
        standardizer.applyInPlace(fit, data.fitRows);

        int[] sizes = new int[2 * encoderSizes.length + 1];
        sizes[0] = d;
        for (int i = 0; i < encoderSizes.length; i++) {
            sizes[i + 1] = encoderSizes[i];
            sizes[sizes.length - 2 - i] = encoderSizes[i];
        }
        sizes[sizes.length - 1] = d;
        FeedForwardNetwork network = new FeedForwardNetwork(sizes, activation, Activation.IDENTITY);
        network.initialise(localRNG);
        logger.info("DenseAutoencoderTrainer: training " + Arrays.toString(sizes) + " (" + network.numParameters()
                + " parameters) on " + data.fitRows + " examples, " + epochs + " epochs");
        MinibatchTraining.train(network, fit, fit, data.fitRows, LossFunction.MSE, run.optimiser(), epochs,
                batchSize, localRNG, "dense autoencoder teacher");

        return calibrated(data, modelProvenance(AutoencoderModel.class, examples, run, runProvenance),
                thresholdQuantile, null, (provenance, threshold) -> new AutoencoderModel("dense-autoencoder",
                        provenance, featureMap, examples.getOutputIDInfo(), network, standardizer, threshold));
    }

    @Override
    public String toString() {
        return "DenseAutoencoderTrainer(encoderSizes=" + Arrays.toString(encoderSizes) + ",activation=" + activation
                + ",epochs=" + epochs + ",batchSize=" + batchSize + ",optimiser=" + optimiser + ",seed=" + seed
                + ",validationFraction=" + validationFraction + ",thresholdQuantile=" + thresholdQuantile
                + (minScale > 0 ? ",minScale=" + minScale : "") + ")";
    }
}
