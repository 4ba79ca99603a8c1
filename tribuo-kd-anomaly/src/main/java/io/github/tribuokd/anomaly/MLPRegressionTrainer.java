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
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.regression.Regressor;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link MLPRegressionModel}: a small dense network regressing one or more targets.
 * <p>
 * The students of Pol et al. (seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.1) regress the log of the teacher's loss with MAE and Adam
 * (learning rate 1e-3, batch 100): those are the defaults here. Inputs and targets are standardised with
 * statistics of the training data, stored in the model (and in its ONNX graph).
 */
public final class MLPRegressionTrainer extends AbstractEpochTrainer<Regressor, MLPRegressionModel> {

    @Config(description = "Hidden layer widths (empty for a linear model).")
    private int[] hiddenSizes = {16};

    @Config(description = "Activation between layers (the output is linear).")
    private Activation activation = Activation.RELU;

    @Config(description = "Training loss: MAE (seed 001) or MSE.")
    private LossFunction loss = LossFunction.MAE;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    /** For OLCUT. */
    private MLPRegressionTrainer() {
        super(50, 100);
    }

    /**
     * Creates a trainer with Adam (1e-3).
     * @param hiddenSizes Hidden widths.
     * @param activation Hidden activation.
     * @param loss MAE or MSE.
     * @param epochs Passes over the data.
     * @param batchSize Minibatch size.
     * @param seed The seed.
     */
    public MLPRegressionTrainer(int[] hiddenSizes, Activation activation, LossFunction loss, int epochs,
                                int batchSize, long seed) {
        this(hiddenSizes, activation, loss, epochs, batchSize, new AdamOptimiser(1e-3), seed);
    }

    /**
     * Creates a trainer.
     * @param hiddenSizes Hidden widths.
     * @param activation Hidden activation.
     * @param loss MAE or MSE.
     * @param epochs Passes over the data.
     * @param batchSize Minibatch size.
     * @param optimiser The optimiser.
     * @param seed The seed.
     */
    public MLPRegressionTrainer(int[] hiddenSizes, Activation activation, LossFunction loss, int epochs,
                                int batchSize, Optimiser optimiser, long seed) {
        super(epochs, batchSize);
        this.hiddenSizes = hiddenSizes.clone();
        this.activation = activation;
        this.loss = loss;
        this.optimiser = optimiser;
        this.seed = seed;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (hiddenSizes == null || Arrays.stream(hiddenSizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("hiddenSizes must be positive, found " + Arrays.toString(hiddenSizes));
        }
        checkEpochsAndBatchSize();
        super.postConfig();
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    @Override
    protected void checkBeforeRun(Dataset<Regressor> examples) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("MLPRegressionTrainer: the training dataset is empty");
        }
    }

    @Override
    protected MLPRegressionModel fit(Dataset<Regressor> examples, Map<String, Provenance> runProvenance, Run run) {
        SplittableRandom localRNG = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        ImmutableOutputInfo<Regressor> outputInfo = examples.getOutputIDInfo();
        int n = examples.size();
        int d = featureMap.size();
        int k = outputInfo.size();
        String[] names = new String[k];
        for (int id = 0; id < k; id++) {
            names[id] = outputInfo.getOutput(id).getNames()[0];
        }
        float[] x = FeatureMatrix.toMatrix(examples, featureMap);
        float[] y = new float[n * k];
        int row = 0;
        for (Example<Regressor> e : examples) {
            for (int id = 0; id < k; id++) {
                String dim = names[id];
                double v = e.getOutput().getDimension(dim).orElseThrow(() -> new IllegalArgumentException(
                        "Example has no value for regression dimension '" + dim + "'")).getValue();
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("Regression target '" + dim + "' is " + v);
                }
                y[row * k + id] = (float) v;
            }
            row++;
        }
        FeatureStandardizer standardizer = FeatureStandardizer.fit(x, n, d);
        standardizer.applyInPlace(x, n);
        FeatureStandardizer targetScaler = FeatureStandardizer.fit(y, n, k);
        targetScaler.applyInPlace(y, n);

        int[] sizes = new int[hiddenSizes.length + 2];
        sizes[0] = d;
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        sizes[sizes.length - 1] = k;
        FeedForwardNetwork network = new FeedForwardNetwork(sizes, activation, Activation.IDENTITY);
        network.initialise(localRNG);
        MinibatchTraining.train(network, x, y, n, loss, run.optimiser(), epochs, batchSize, localRNG, "MLP student");

        double[] targetMean = new double[k];
        double[] targetScale = new double[k];
        float[] tm = targetScaler.mean();
        float[] ts = targetScaler.scale();
        for (int i = 0; i < k; i++) {
            targetMean[i] = tm[i];
            targetScale[i] = ts[i];
        }
        return new MLPRegressionModel("mlp-regression",
                modelProvenance(MLPRegressionModel.class, examples, run, runProvenance), featureMap, outputInfo,
                network, standardizer, targetMean, targetScale, names);
    }

    @Override
    public String toString() {
        return "MLPRegressionTrainer(hiddenSizes=" + Arrays.toString(hiddenSizes) + ",activation=" + activation
                + ",loss=" + loss + ",epochs=" + epochs + ",batchSize=" + batchSize + ",optimiser=" + optimiser
                + ",seed=" + seed + ")";
    }
}
