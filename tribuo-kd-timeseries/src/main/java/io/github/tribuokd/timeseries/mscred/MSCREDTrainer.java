package io.github.tribuokd.timeseries.mscred;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.anomaly.AbstractEpochTrainer;
import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SignatureMatrices;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Trains an MSCRED detector (Zhang et al., AAAI 2019), the teacher of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) ("Base"), or with two levels the
 * student baseline "Base_small": convolutional encoder, attention ConvLSTM on every level (eqs. 2–3), deconvolutional
 * decoder, trained to reconstruct the last signature-matrix stack of each input (MSE; eq. 4's residual).
 * <p>
 * The dataset's examples are the points of one normal series in time order (one feature per variable). The input
 * length L sets the signature matrices ({@link SignatureMatrices#forInputLength}: L = 100 is MSCRED's scales
 * 10/30/60, gap 10, 5 steps). The time-ordered tail ({@code validationFraction}) calibrates τ (a quantile of the
 * residual entries) and the count threshold (a quantile of the tail's counts); the rest trains, every
 * {@code trainStride}-th input.
 * <p>
 * By default every variable is first standardised with the training series' mean and standard deviation (a
 * constant variable is only centred), and the model applies the same standardisation to what it scores. Neither
 * MSCRED nor seed 002 states its preprocessing; raw values let the variables of largest magnitude dominate the inner
 * products of eq. 1 (on MSL, per channel, standardising raised the teacher's mean ROC-AUC from 0.50 to 0.67; see
 * docs/RESULTS.md). {@link #withRawInputs()} turns it off.
 * <p>
 * Degenerate data is handled as by every trainer of tribuo-kd-anomaly (docs/RELIABILITY.md, "Runs and degenerate
 * training"): fewer than 20 fitting inputs or a series whose every variable is constant is refused; constant
 * variables are kept with a warning; a count threshold above the counts of every fitting input is capped at the
 * largest, with a warning. The warnings are logged and recorded in the model's provenance
 * ({@link io.github.tribuokd.anomaly.TrainingWarnings}).
 */
public final class MSCREDTrainer extends AbstractEpochTrainer<Event, MSCREDModel> {

    private static final Logger logger = Logger.getLogger(MSCREDTrainer.class.getName());

    @Config(description = "Input length L in points (seed 002: MSL 800, SMAP 100); sets scales and gap.")
    private int inputLength = 100;

    @Config(description = "Channels per level (MSCRED: 32,64,128,256; two levels for a student).")
    private int[] channels = MSCREDArchitecture.channels(4);

    @Config(description = "Encoder kernel per level (MSCRED: 3,3,2,2).")
    private int[] kernels = MSCREDArchitecture.kernels(4);

    @Config(description = "Encoder stride per level (MSCRED: 1,2,2,2).")
    private int[] strides = MSCREDArchitecture.strides(4);

    @Config(description = "Rescale factor of the temporal attention (eq. 3's beta, MSCRED's chi).")
    private double attentionRescale = 5.0;

    @Config(description = "The optimiser (seed 002: Adam, learning rate 1e-3 for the teacher).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    @Config(description = "Use every k-th training input (1 = all).")
    private int trainStride = 1;

    @Config(description = "Fraction of the series (the time-ordered tail) that calibrates tau and the count threshold.")
    private double validationFraction = 0.1;

    @Config(description = "Quantile of the tail's residual entries |Y| used as tau.")
    private double tauQuantile = 0.99;

    @Config(description = "Quantile of the tail's counts above tau used as the count threshold.")
    private double countQuantile = 0.99;

    @Config(description = "Standardise every variable (training mean and standard deviation) before the signature "
            + "matrices; false reads raw values.")
    private boolean standardiseInputs = true;

    @Config(description = "First point of every independent series when the training series is several "
            + "concatenated (MSL's or SMAP's channels): each one's time-ordered tail calibrates. {0} (or empty): one "
            + "series.")
    private int[] segmentStarts = {0};

    /** For OLCUT. */
    private MSCREDTrainer() {
        super(3, 8);
    }

    /**
     * Creates a trainer.
     * @param inputLength Input length L in points.
     * @param channels Channels per level.
     * @param kernels Encoder kernels per level.
     * @param strides Encoder strides per level.
     * @param epochs Passes over the data.
     * @param batchSize Inputs per minibatch.
     * @param learningRate Adam's learning rate.
     * @param seed The seed.
     * @param trainStride Use every k-th training input.
     */
    public MSCREDTrainer(int inputLength, int[] channels, int[] kernels, int[] strides, int epochs, int batchSize,
                         double learningRate, long seed, int trainStride) {
        super(epochs, batchSize);
        this.inputLength = inputLength;
        this.channels = channels.clone();
        this.kernels = kernels.clone();
        this.strides = strides.clone();
        this.optimiser = new AdamOptimiser(learningRate);
        this.seed = seed;
        this.trainStride = trainStride;
        postConfig();
    }

    /**
     * Sets the calibration of the count rule.
     * @param validationFraction The calibration tail, in [0, 1).
     * @param tauQuantile Quantile of residual entries for τ.
     * @param countQuantile Quantile of counts for the threshold.
     * @return This trainer.
     */
    public MSCREDTrainer withCalibration(double validationFraction, double tauQuantile, double countQuantile) {
        this.validationFraction = validationFraction;
        this.tauQuantile = tauQuantile;
        this.countQuantile = countQuantile;
        postConfig();
        return this;
    }

    /**
     * Reads raw values: no standardisation before the signature matrices.
     * @return This trainer.
     */
    public MSCREDTrainer withRawInputs() {
        this.standardiseInputs = false;
        return this;
    }

    /**
     * Declares the training series a concatenation of independent series (e.g. {@link
     * io.github.tribuokd.timeseries.SmdEntity#trainSegmentStarts()} of MSL's channels): the last
     * {@code validationFraction} of every part calibrates τ and the count threshold, the rest of every part trains.
     * Without it the series' own tail calibrates, which for a concatenation means its last few channels only.
     * @param starts The first point of every part: 0 first, strictly increasing (checked against the series when
     *               training).
     * @return This trainer.
     */
    public MSCREDTrainer withSegments(int[] starts) {
        this.segmentStarts = MSCREDData.checkedSegmentStarts(starts);
        return this;
    }

    @Override
    public synchronized void postConfig() {
        SignatureMatrices.forInputLength(inputLength);
        MSCREDData.checkLevels(channels, kernels, strides);
        if (epochs < 1 || batchSize < 1 || trainStride < 1) {
            throw new IllegalArgumentException("epochs, batchSize and trainStride must be positive, found " + epochs
                    + ", " + batchSize + ", " + trainStride);
        }
        MSCREDData.checkCalibration(validationFraction, tauQuantile, countQuantile);
        super.postConfig();
    }

    /**
     * The signature-matrix configuration of this trainer's input length.
     * @return The configuration.
     */
    public SignatureMatrices signature() {
        return SignatureMatrices.forInputLength(inputLength);
    }

    int epochs() {
        return epochs;
    }

    double validationFraction() {
        return validationFraction;
    }

    /** A new, uninitialised network for n variables. */
    MSCREDNetwork newNetwork(int n) {
        return new MSCREDNetwork(signature().numScales(), n, signature().steps(), channels, kernels, strides,
                attentionRescale);
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    @Override
    protected MSCREDModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        SplittableRandom localRNG = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        MultivariateSeries rawSeries = MSCREDData.series(examples, featureMap, "MSCREDTrainer");
        FeatureStandardizer standardizer = standardiseInputs ? MSCREDData.fitStandardizer(rawSeries) : null;
        MultivariateSeries series = MSCREDData.standardised(rawSeries, standardizer);
        SignatureMatrices signature = signature();
        MSCREDData data = MSCREDData.of(series, signature, validationFraction, trainStride, -1, segmentStarts(),
                MinibatchTraining.DEFAULT_THREADS, "MSCREDTrainer");
        String constant = data.constantVariables(featureMap, signature, "MSCREDTrainer");
        MSCREDNetwork network = newNetwork(featureMap.size());
        network.initialise(localRNG);
        float[] stacks = data.sequence.valuesView();
        int stackSize = data.sequence.stackSize();
        logger.info(String.format("MSCREDTrainer: %s, %d parameters, %.1f MFLOPs per input; %d training inputs "
                        + "(L = %d: scales %s, gap %d), %d epochs", network, network.numParameters(),
                2e-6 * network.multiplyAccumulates(), data.fitInputs.length, inputLength,
                Arrays.toString(signature.scales()), signature.gap(), epochs));
        double[] loss = MinibatchTraining.train(network.parameters(),
                capacity -> new MSCREDData.ReconstructionShard(network, stacks, stackSize, data.fitInputs, capacity),
                data.fitInputs.length, stackSize, run.optimiser(), epochs, batchSize, localRNG,
                "MSCRED (L=" + inputLength + ")", MinibatchTraining.DEFAULT_THREADS);
        ModelProvenance provenance = modelProvenance(MSCREDModel.class, examples, run, runProvenance);
        MSCREDModel unthresholded = new MSCREDModel("mscred", provenance, featureMap, examples.getOutputIDInfo(),
                signature, network, null, null, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, loss, null);
        MSCREDData.Calibration cal = data.calibrate(unthresholded, stacks, stackSize, tauQuantile, countQuantile,
                "MSCREDTrainer");
        return new MSCREDModel("mscred", MSCREDData.record(provenance, constant, cal), featureMap,
                examples.getOutputIDInfo(), signature, network, null, null, cal.tau, cal.countThreshold, loss,
                standardizer);
    }

    private int[] segmentStarts() {
        return MSCREDData.segmentStartsOrWhole(segmentStarts);
    }

    @Override
    public String toString() {
        return "MSCREDTrainer(inputLength=" + inputLength + ",channels=" + Arrays.toString(channels) + ",kernels="
                + Arrays.toString(kernels) + ",strides=" + Arrays.toString(strides) + ",attentionRescale="
                + attentionRescale + ",epochs=" + epochs + ",batchSize=" + batchSize + ",optimiser=" + optimiser
                + ",seed=" + seed + ",trainStride=" + trainStride + ",validationFraction=" + validationFraction
                + ",tauQuantile=" + tauQuantile + ",countQuantile=" + countQuantile + ",standardiseInputs="
                + standardiseInputs + ")";
    }
}
