package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Trains the LSTM encoder-decoder teacher of seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) (Malhotra et al. 2016) on windows of a multivariate series:
 * examples whose features are {@code t<step>.v<variable>} (as made by {@code SlidingWindows}).
 * <p>
 * The encoder LSTM reads the window; its final state initialises the decoder LSTM, which reconstructs the window
 * in reverse order through a linear layer. <b>Training uses teacher forcing</b> (the decoder reads the true previous
 * value); <b>the model's inference is free-running</b> (it reads its own previous output), as in Malhotra et al.
 * Loss MSE, per-variable standardisation fitted on the fitting windows. The windows are used in dataset order: the
 * first {@code 1 − validationFraction} fit, the scores of the tail set the threshold at {@code thresholdQuantile}.
 * Training is deterministic on any number of threads.
 */
public final class LSTMAutoencoderTrainer extends AbstractEpochTrainer<Event, LSTMAutoencoderModel> {

    private static final Logger logger = Logger.getLogger(LSTMAutoencoderTrainer.class.getName());

    @Config(description = "LSTM state size H of the encoder and the decoder.")
    private int hiddenSize = 64;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    @Config(description = "Fraction of the windows (the time-ordered tail) used to set the threshold.")
    private double validationFraction = 0.1;

    @Config(description = "Quantile of the validation scores used as the threshold.")
    private double thresholdQuantile = 0.99;

    @Config(description = "What to do with training windows labelled ANOMALOUS.")
    private AnomalousLabelPolicy anomalousLabels = AnomalousLabelPolicy.REJECT;

    @Config(description = "Training threads (the result does not depend on it).")
    private int numThreads = MinibatchTraining.DEFAULT_THREADS;

    @Config(description = "Floor on the per-variable standardisation scale (0: none; a variable of standard "
            + "deviation at most 1e-8 is then only centred). On data scaled to [0, 1], 0.01 keeps nearly constant "
            + "training variables from exploding when they move in testing.")
    private double minScale = 0.0;

    /** For OLCUT. */
    private LSTMAutoencoderTrainer() {
        super(10, 64);
    }

    /**
     * Creates a trainer with Adam (1e-3), a 10% validation tail and a 0.99 quantile threshold.
     * @param hiddenSize H.
     * @param epochs Passes over the data.
     * @param batchSize Windows per minibatch.
     * @param seed The seed.
     */
    public LSTMAutoencoderTrainer(int hiddenSize, int epochs, int batchSize, long seed) {
        this(hiddenSize, epochs, batchSize, new AdamOptimiser(1e-3), seed, 0.1, 0.99);
    }

    /**
     * Creates a trainer.
     * @param hiddenSize H.
     * @param epochs Passes over the data.
     * @param batchSize Windows per minibatch.
     * @param optimiser The optimiser.
     * @param seed The seed.
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public LSTMAutoencoderTrainer(int hiddenSize, int epochs, int batchSize, Optimiser optimiser, long seed,
                                  double validationFraction, double thresholdQuantile) {
        this(hiddenSize, epochs, batchSize, optimiser, seed, validationFraction, thresholdQuantile, 0.0);
    }

    /**
     * Creates a trainer with a floor on the standardisation scale.
     * @param hiddenSize H.
     * @param epochs Passes over the data.
     * @param batchSize Windows per minibatch.
     * @param optimiser The optimiser.
     * @param seed The seed.
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     * @param minScale Floor on each variable's standardisation scale, {@code ≥ 0} (see
     *                 {@link FeatureStandardizer#fit(float[], int, int, double)}).
     */
    public LSTMAutoencoderTrainer(int hiddenSize, int epochs, int batchSize, Optimiser optimiser, long seed,
                                  double validationFraction, double thresholdQuantile, double minScale) {
        super(epochs, batchSize);
        this.hiddenSize = hiddenSize;
        this.optimiser = optimiser;
        this.seed = seed;
        this.validationFraction = validationFraction;
        this.thresholdQuantile = thresholdQuantile;
        this.minScale = minScale;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (hiddenSize < 1 || epochs < 1 || batchSize < 1 || numThreads < 1) {
            throw new IllegalArgumentException("hiddenSize, epochs, batchSize and numThreads must be positive, found "
                    + hiddenSize + ", " + epochs + ", " + batchSize + ", " + numThreads);
        }
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
    protected LSTMAutoencoderModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        SplittableRandom localRNG = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        WindowLayout layout = WindowLayout.of(featureMap, "LSTMAutoencoderTrainer");
        TrainingData data = TrainingData.of(examples, featureMap, anomalousLabels, validationFraction,
                "LSTMAutoencoderTrainer");
        int steps = layout.steps, m = layout.variables;
        float[] fit = data.rows(0, data.fitRows);
        // per-variable statistics: the windows viewed as [fitRows·L, m] rows
        FeatureStandardizer standardizer = FeatureStandardizer.fit(fit, data.fitRows * steps, m, minScale);
        standardizer.applyInPlace(fit, data.fitRows * steps);

        LSTMAutoencoderNetwork network = new LSTMAutoencoderNetwork(m, hiddenSize);
        network.initialise(localRNG);
        logger.info("LSTMAutoencoderTrainer: " + network.numParameters() + " parameters (H=" + hiddenSize + ", " + m
                + " variables, windows of " + steps + "), " + data.fitRows + " windows, " + epochs + " epochs");
        double[] loss = MinibatchTraining.train(network.parameters(), c -> network.newShard(fit, steps, c),
                data.fitRows, steps * m, run.optimiser(), epochs, batchSize, localRNG, "LSTM autoencoder", numThreads);

        return calibrated(data, modelProvenance(LSTMAutoencoderModel.class, examples, run, runProvenance),
                thresholdQuantile, null, (provenance, threshold) -> new LSTMAutoencoderModel("lstm-autoencoder",
                        provenance, featureMap, examples.getOutputIDInfo(), network, standardizer, steps, threshold,
                        loss));
    }

    @Override
    public String toString() {
        return "LSTMAutoencoderTrainer(hiddenSize=" + hiddenSize + ",epochs=" + epochs + ",batchSize=" + batchSize
                + ",optimiser=" + optimiser + ",seed=" + seed + ",validationFraction=" + validationFraction
                + ",thresholdQuantile=" + thresholdQuantile + ",numThreads=" + numThreads + ")";
    }
}
