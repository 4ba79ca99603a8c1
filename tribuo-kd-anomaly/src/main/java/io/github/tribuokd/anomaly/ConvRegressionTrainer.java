package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.ConvNetSpec;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import io.github.tribuokd.nn.SequentialNetwork;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.regression.Regressor;

import java.util.Map;
import java.util.logging.Logger;

/**
 * Trains a {@link ConvRegressionModel}: a small convolutional network with one dense layer at the end that
 * regresses one target from an image (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.1: the students S1–S7 regress the teacher's log
 * loss with MAE, Adam at 1e-3, batch 100; those are the defaults, with S4 as the default architecture).
 * <p>
 * The dataset's features, in id (name) order, must be images of {@code imageChannels × imageHeight × imageWidth}
 * pixels; the regression output must have one dimension. The target is standardised with its training mean and
 * standard deviation, which the model folds back in. Works inside {@link ScoreDistillationTrainer} (with
 * {@code standardiseFeatures = false}) and in {@link CoLearningDistillationTrainer}, which uses its architecture,
 * activation, loss, optimiser and seed, while epochs and batches follow the teacher.
 */
public final class ConvRegressionTrainer extends AbstractEpochTrainer<Regressor, ConvRegressionModel> {

    private static final Logger logger = Logger.getLogger(ConvRegressionTrainer.class.getName());

    @Config(description = "The architecture as a ConvNetSpec string with one output (e.g. ConvNetSpec.STUDENTS).")
    private String architecture = ConvNetSpec.STUDENTS.get(3);

    @Config(description = "Image channels.")
    private int imageChannels = 1;

    @Config(description = "Image height in pixels.")
    private int imageHeight = 28;

    @Config(description = "Image width in pixels.")
    private int imageWidth = 28;

    @Config(description = "Activation after every convolution and dense layer but the last (the output is linear).")
    private Activation activation = Activation.RELU;

    @Config(description = "Training loss: MAE (seed 001) or MSE.")
    private LossFunction loss = LossFunction.MAE;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    private ConvNetSpec spec;

    /** For OLCUT. */
    private ConvRegressionTrainer() {
        super(20, 100);
    }

    /**
     * Creates a trainer for 1×28×28 images with MAE, Adam 1e-3, batch 100 and ReLU.
     * @param architecture A {@link ConvNetSpec} string with one output, e.g. {@code ConvNetSpec.STUDENTS.get(0)}.
     * @param epochs Passes over the data.
     * @param seed The seed.
     */
    public ConvRegressionTrainer(String architecture, int epochs, long seed) {
        this(architecture, 1, 28, 28, Activation.RELU, LossFunction.MAE, epochs, 100, new AdamOptimiser(1e-3), seed);
    }

    /**
     * Creates a trainer.
     * @param architecture A {@link ConvNetSpec} string with one output.
     * @param imageChannels Channels.
     * @param imageHeight Height.
     * @param imageWidth Width.
     * @param activation The hidden activation.
     * @param loss MAE or MSE.
     * @param epochs Passes over the data.
     * @param batchSize Minibatch size.
     * @param optimiser The optimiser.
     * @param seed The seed.
     */
    public ConvRegressionTrainer(String architecture, int imageChannels, int imageHeight, int imageWidth,
                                 Activation activation, LossFunction loss, int epochs, int batchSize,
                                 Optimiser optimiser, long seed) {
        super(epochs, batchSize);
        this.architecture = architecture;
        this.imageChannels = imageChannels;
        this.imageHeight = imageHeight;
        this.imageWidth = imageWidth;
        this.activation = activation;
        this.loss = loss;
        this.optimiser = optimiser;
        this.seed = seed;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        spec = ConvNetSpec.parse(architecture, imageChannels, imageHeight, imageWidth, activation,
                Activation.IDENTITY);
        if (spec.outputSize() != 1) {
            throw new IllegalArgumentException("A convolutional regressor has one output; '" + architecture
                    + "' has " + spec.outputSize() + " (end it with d1)");
        }
        checkEpochsAndBatchSize();
        super.postConfig();
    }

    /**
     * The architecture.
     * @return The parsed specification.
     */
    public ConvNetSpec spec() {
        return spec;
    }

    LossFunction loss() {
        return loss;
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    @Override
    protected void checkBeforeRun(Dataset<Regressor> examples) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("ConvRegressionTrainer: the training dataset is empty");
        }
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        if (featureMap.size() != spec.inputSize()) {
            throw new IllegalArgumentException("ConvRegressionTrainer: the dataset has " + featureMap.size()
                    + " features, but images of " + imageChannels + "x" + imageHeight + "x" + imageWidth + " have "
                    + spec.inputSize() + " pixels");
        }
        if (examples.getOutputIDInfo().size() != 1) {
            throw new IllegalArgumentException("ConvRegressionTrainer regresses one dimension, the dataset has "
                    + examples.getOutputIDInfo().size());
        }
    }

    @Override
    protected ConvRegressionModel fit(Dataset<Regressor> examples, Map<String, Provenance> runProvenance, Run run) {
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        ImmutableOutputInfo<Regressor> outputInfo = examples.getOutputIDInfo();
        String dim = outputInfo.getOutput(0).getNames()[0];
        int n = examples.size();
        float[] x = FeatureMatrix.toMatrix(examples, featureMap);
        float[] y = new float[n];
        double sum = 0;
        int row = 0;
        for (Example<Regressor> e : examples) {
            double v = e.getOutput().getDimension(dim).orElseThrow(() -> new IllegalArgumentException(
                    "Example has no value for regression dimension '" + dim + "'")).getValue();
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Regression target '" + dim + "' of example " + (row)
                        + " is " + v);
            }
            y[row++] = (float) v;
            sum += v;
        }
        double mean = sum / n;
        double var = 0;
        for (float v : y) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / n);
        double scale = sd > 1e-12 ? sd : 1.0;
        for (int i = 0; i < n; i++) {
            y[i] = (float) ((y[i] - mean) / scale);
        }
        SequentialNetwork network = spec.newNetwork();
        network.initialise(run.rng());
        logger.info("ConvRegressionTrainer: training " + spec + " on " + n + " images, " + epochs + " epochs");
        MinibatchTraining.train(network, x, y, n, loss, run.optimiser(), epochs, batchSize, run.rng(),
                "conv student " + architecture, MinibatchTraining.DEFAULT_THREADS);
        return new ConvRegressionModel("conv-regression",
                modelProvenance(ConvRegressionModel.class, examples, run, runProvenance), featureMap, outputInfo, spec,
                network, mean, scale, dim);
    }

    @Override
    public String toString() {
        return "ConvRegressionTrainer(architecture=" + architecture + ",image=" + imageChannels + "x" + imageHeight
                + "x" + imageWidth + ",activation=" + activation + ",loss=" + loss + ",epochs=" + epochs
                + ",batchSize=" + batchSize + ",optimiser=" + optimiser + ",seed=" + seed + ")";
    }
}
