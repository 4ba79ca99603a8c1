package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.ConvNetSpec;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import io.github.tribuokd.nn.SequentialNetwork;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.util.Collections;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Trains a convolutional autoencoder teacher on normal images (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.1: "five convolutional
 * layers with average pooling ... a representation vector size of 20 and two fully connected layers in between",
 * MSE, Adam with learning rate 1e-3).
 * <p>
 * The architecture is a {@link ConvNetSpec} string (default {@link ConvNetSpec#TEACHER}: 19,905 parameters and
 * 8.3 MFLOPs per 28×28 image, against the seed's 19,360 and 18.91M) over images of
 * {@code imageChannels × imageHeight × imageWidth}; the dataset must have exactly that many features, read in id
 * (name) order as C, H, W. Examples are used in dataset order: the first {@code 1 − validationFraction} train
 * the network, the scores of the tail set the threshold at {@code thresholdQuantile} (all examples when the
 * fraction is 0). Examples labelled ANOMALOUS are refused or dropped ({@link AnomalousLabelPolicy}).
 */
public final class ConvAutoencoderTrainer extends AbstractEpochTrainer<Event, ConvAutoencoderModel> {

    private static final Logger logger = Logger.getLogger(ConvAutoencoderTrainer.class.getName());

    @Config(description = "The architecture as a ConvNetSpec string (an autoencoder: output size = input size).")
    private String architecture = ConvNetSpec.TEACHER;

    @Config(description = "Image channels.")
    private int imageChannels = 1;

    @Config(description = "Image height in pixels.")
    private int imageHeight = 28;

    @Config(description = "Image width in pixels.")
    private int imageWidth = 28;

    @Config(description = "Activation after every convolution and dense layer but the last (the output is linear).")
    private Activation activation = Activation.RELU;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    @Config(description = "Fraction of the training examples (the tail, in dataset order) used to set the threshold.")
    private double validationFraction = 0.1;

    @Config(description = "Quantile of the validation scores used as the threshold.")
    private double thresholdQuantile = 0.99;

    @Config(description = "What to do with training examples labelled ANOMALOUS.")
    private AnomalousLabelPolicy anomalousLabels = AnomalousLabelPolicy.REJECT;

    private ConvNetSpec spec;

    /** For OLCUT. */
    private ConvAutoencoderTrainer() {
        super(20, 100);
    }

    /**
     * Creates a trainer for 1×28×28 images with the seed's teacher, Adam 1e-3, batch 100, ReLU.
     * @param epochs Passes over the data.
     * @param seed The seed.
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     */
    public ConvAutoencoderTrainer(int epochs, long seed, double validationFraction) {
        this(ConvNetSpec.TEACHER, 1, 28, 28, Activation.RELU, epochs, 100, new AdamOptimiser(1e-3), seed,
                validationFraction, 0.99);
    }

    /**
     * Creates a trainer.
     * @param architecture A {@link ConvNetSpec} string.
     * @param imageChannels Channels.
     * @param imageHeight Height.
     * @param imageWidth Width.
     * @param activation The hidden activation.
     * @param epochs Passes over the data.
     * @param batchSize Minibatch size.
     * @param optimiser The optimiser.
     * @param seed The seed.
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public ConvAutoencoderTrainer(String architecture, int imageChannels, int imageHeight, int imageWidth,
                                  Activation activation, int epochs, int batchSize, Optimiser optimiser, long seed,
                                  double validationFraction, double thresholdQuantile) {
        super(epochs, batchSize);
        this.architecture = architecture;
        this.imageChannels = imageChannels;
        this.imageHeight = imageHeight;
        this.imageWidth = imageWidth;
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
    public ConvAutoencoderTrainer withAnomalousLabels(AnomalousLabelPolicy policy) {
        this.anomalousLabels = policy;
        return this;
    }

    @Override
    public synchronized void postConfig() {
        spec = ConvNetSpec.parse(architecture, imageChannels, imageHeight, imageWidth, activation,
                Activation.IDENTITY);
        if (spec.outputSize() != spec.inputSize()) {
            throw new IllegalArgumentException("An autoencoder must reconstruct its input: '" + architecture
                    + "' maps " + spec.inputSize() + " pixels to " + spec.outputSize() + " outputs");
        }
        checkEpochsAndBatchSize();
        checkFraction("validationFraction", validationFraction);
        checkThresholdQuantile(thresholdQuantile);
        super.postConfig();
    }

    /**
     * The architecture.
     * @return The parsed specification.
     */
    public ConvNetSpec spec() {
        return spec;
    }

    int epochs() {
        return epochs;
    }

    int batchSize() {
        return batchSize;
    }

    double validationFraction() {
        return validationFraction;
    }

    double thresholdQuantile() {
        return thresholdQuantile;
    }

    AnomalousLabelPolicy anomalousLabels() {
        return anomalousLabels;
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    /** Checks that the dataset's features are this trainer's images. */
    void checkImageFeatures(ImmutableFeatureMap featureMap, String trainerName) {
        if (featureMap.size() != spec.inputSize()) {
            throw new IllegalArgumentException(trainerName + ": the dataset has " + featureMap.size()
                    + " features, but images of " + imageChannels + "x" + imageHeight + "x" + imageWidth + " have "
                    + spec.inputSize() + " pixels");
        }
    }

    @Override
    protected void checkBeforeRun(Dataset<Event> examples) {
        checkImageFeatures(examples.getFeatureIDMap(), "ConvAutoencoderTrainer");
    }

    @Override
    protected ConvAutoencoderModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        TrainingData data = TrainingData.of(examples, featureMap, anomalousLabels, validationFraction,
                "ConvAutoencoderTrainer");
        SequentialNetwork network = spec.newNetwork();
        network.initialise(run.rng());
        logger.info("ConvAutoencoderTrainer: training " + spec + " on " + data.fitRows + " images, " + epochs
                + " epochs");
        double[] loss = CoLearning.run(network, run.optimiser(), data.matrix, data.fitRows, Collections.emptyList(),
                null, 0, 0, 1, 0, epochs, batchSize, run.rng(), MinibatchTraining.DEFAULT_THREADS);
        return thresholded(modelProvenance(ConvAutoencoderModel.class, examples, run, runProvenance), featureMap,
                examples, network, loss, data);
    }

    /** The model with its threshold set on the calibration tail. */
    ConvAutoencoderModel thresholded(ModelProvenance provenance, ImmutableFeatureMap featureMap,
                                     Dataset<Event> examples, SequentialNetwork network, double[] loss,
                                     TrainingData data) {
        return calibrated(data, provenance, thresholdQuantile, null, (p, threshold) -> new ConvAutoencoderModel(
                "conv-autoencoder", p, featureMap, examples.getOutputIDInfo(), spec, network, loss, threshold));
    }

    @Override
    public String toString() {
        return "ConvAutoencoderTrainer(architecture=" + architecture + ",image=" + imageChannels + "x" + imageHeight
                + "x" + imageWidth + ",activation=" + activation + ",epochs=" + epochs + ",batchSize=" + batchSize
                + ",optimiser=" + optimiser + ",seed=" + seed + ",validationFraction=" + validationFraction
                + ",thresholdQuantile=" + thresholdQuantile + ")";
    }
}
