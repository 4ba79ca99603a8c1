package io.github.tribuokd.timeseries.mscred;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.anomaly.AbstractEpochTrainer;
import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.nn.EpochLoop;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.RecurrentState;
import io.github.tribuokd.nn.kernels.Lanes;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SignatureMatrices;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Trains the small MSCRED student of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) (§3): a two-level encoder/decoder with two attention ConvLSTM layers
 * on a shorter input, optionally helped by a Long-Term Accumulator (§3.2, eqs. 5–7) and by attention distillation
 * from the teacher's second ConvLSTM map (§3.3). Loss, eq. 8:
 * <pre>
 *   L = Σ_t (1 − λ)·MSE(S_t, Ŝ_t) + λ·NormMSE(F̂_s(t,2), F̂_t(t,2)),   S_t = M_t + β_t
 * </pre>
 * One trainer gives every row of the seed's Tables 1 and 3: {@code λ = 0} and no accumulator is "Base_small",
 * {@code λ > 0} without accumulator "A.D.", {@code λ = 0} with an accumulator "LTA only", both "Ours".
 * <p>
 * <b>Training order.</b> The accumulator's state is carried from point to point (eqs. 5–6), so the student is
 * trained on its inputs in time order, {@code batchSize} consecutive inputs per step: the accumulator reads the
 * points up to the step's last input (its state carried from the previous step), produces β at every matrix time
 * it passed, and the student trains on {@code S = M + β}. Gradients reach the accumulator through the student's
 * input (backpropagation through time over the step's points, truncated at the step's start; β of matrix times
 * read in earlier steps are constants). The reconstruction target {@code S_t} is a constant (no gradient through
 * the target, so the accumulator cannot make the task trivial by shrinking β). The LTA and the student train
 * together with Adam (seed: learning rate 2e-4 for the student). At the end the accumulator reads the whole training
 * series once more from a zero state; the state it reaches is where scoring of a later series starts.
 * <p>
 * <b>Inputs.</b> The student reads the points as its teacher does: standardised with the teacher's
 * {@link MSCREDModel#inputStandardizer()} (or raw when the teacher reads raw values), so that the attention maps
 * compared by eq. 8 come from the same inputs; without a teacher it fits its own unless {@code standardiseInputs} is
 * false. The accumulator reads the same standardised points.
 * <p>
 * <b>Distillation target.</b> The teacher's attention output of level 2 at the same time t, from the teacher's own
 * (longer) input. The two maps must have the same shape: equal second-level channels and strides.
 * <p>
 * Degenerate data is handled as by {@link MSCREDTrainer} (docs/RELIABILITY.md, "Runs and degenerate training"): too
 * few fitting inputs or an all-constant series refused, constant variables and a capped count threshold warned about,
 * the warnings logged and recorded in the student's provenance.
 */
public final class LTADistillationTrainer extends AbstractEpochTrainer<Event, MSCREDModel> {

    private static final Logger logger = Logger.getLogger(LTADistillationTrainer.class.getName());

    /** The largest teacher-map cache this trainer builds, in floats (1.5 GB). */
    private static final long MAX_MAP_FLOATS = 375_000_000L;

    @Config(description = "The teacher trainer (null when distilling a trained teacher with distil()).")
    private MSCREDTrainer teacher;

    @Config(description = "The student's input length L in points.")
    private int inputLength = 50;

    @Config(description = "Student channels per level (two levels).")
    private int[] channels = {32, 64};

    @Config(description = "Student encoder kernels.")
    private int[] kernels = {3, 3};

    @Config(description = "Student encoder strides.")
    private int[] strides = {1, 2};

    @Config(description = "Rescale factor of the temporal attention.")
    private double attentionRescale = 5.0;

    @Config(description = "lambda of eq. 8 (0 = no attention distillation; seed: 0.3-0.7).")
    private double lambda = 0.5;

    @Config(description = "The Long-Term Accumulator's cell: RNN, LSTM, GRU, or NONE.")
    private String accumulator = "GRU";

    @Config(description = "The accumulator's hidden width.")
    private int accumulatorHidden = 32;

    @Config(description = "The Long-Term Summary's length m (seed: 10).")
    private int summaryLength = 10;

    @Config(description = "Adam's learning rate (seed: 2e-4 for the student).")
    private double learningRate = 2e-4;

    @Config(description = "Use every k-th training input (1 = all).")
    private int trainStride = 1;

    @Config(description = "The calibration tail of the training series.")
    private double validationFraction = 0.1;

    @Config(description = "Quantile of the tail's residual entries used as tau.")
    private double tauQuantile = 0.99;

    @Config(description = "Quantile of the tail's counts used as the count threshold.")
    private double countQuantile = 0.99;

    @Config(description = "Without a teacher model: standardise every variable before the signature matrices. With "
            + "one, the student always reads the teacher's standardisation.")
    private boolean standardiseInputs = true;

    @Config(description = "First point of every independent series when the training series is several "
            + "concatenated (MSL's or SMAP's channels): each one's time-ordered tail calibrates. {0} (or empty): one "
            + "series.")
    private int[] segmentStarts = {0};

    /** For OLCUT. */
    private LTADistillationTrainer() {
        super(3, 8);
    }

    /**
     * Creates a trainer.
     * @param teacher The teacher trainer, or null to use {@link #distil} only.
     * @param inputLength The student's input length.
     * @param channels Student channels (two levels).
     * @param lambda λ of eq. 8.
     * @param accumulator RNN, LSTM, GRU or NONE.
     * @param epochs Passes over the series.
     * @param batchSize Consecutive inputs per step.
     * @param learningRate Adam's learning rate.
     * @param seed The seed.
     * @param trainStride Use every k-th training input.
     */
    public LTADistillationTrainer(MSCREDTrainer teacher, int inputLength, int[] channels, double lambda,
                                  String accumulator, int epochs, int batchSize, double learningRate, long seed,
                                  int trainStride) {
        super(epochs, batchSize);
        this.teacher = teacher;
        this.inputLength = inputLength;
        this.channels = channels.clone();
        this.kernels = MSCREDArchitecture.kernels(channels.length);
        this.strides = MSCREDArchitecture.strides(channels.length);
        this.lambda = lambda;
        this.accumulator = accumulator;
        this.learningRate = learningRate;
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
    public LTADistillationTrainer withCalibration(double validationFraction, double tauQuantile,
                                                  double countQuantile) {
        this.validationFraction = validationFraction;
        this.tauQuantile = tauQuantile;
        this.countQuantile = countQuantile;
        postConfig();
        return this;
    }

    /**
     * Sets the accumulator's size.
     * @param hidden The hidden width.
     * @param length The summary length m.
     * @return This trainer.
     */
    public LTADistillationTrainer withAccumulatorSize(int hidden, int length) {
        this.accumulatorHidden = hidden;
        this.summaryLength = length;
        postConfig();
        return this;
    }

    /**
     * Without a teacher model, reads raw values (with one, the teacher's standardisation decides).
     * @return This trainer.
     */
    public LTADistillationTrainer withRawInputs() {
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
    public LTADistillationTrainer withSegments(int[] starts) {
        this.segmentStarts = MSCREDData.checkedSegmentStarts(starts);
        return this;
    }

    @Override
    public synchronized void postConfig() {
        SignatureMatrices.forInputLength(inputLength);
        MSCREDData.checkLevels(channels, kernels, strides);
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], found " + lambda);
        }
        if (lambda > 0 && channels.length < MSCREDNetwork.DISTILLED_LEVEL) {
            throw new IllegalArgumentException("Attention distillation needs at least " + MSCREDNetwork.DISTILLED_LEVEL
                    + " levels, found " + channels.length);
        }
        cell();
        if (epochs < 1 || batchSize < 1 || trainStride < 1 || accumulatorHidden < 1 || summaryLength < 1
                || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs, batchSize, trainStride, accumulatorHidden, summaryLength and "
                    + "learningRate must be positive");
        }
        MSCREDData.checkCalibration(validationFraction, tauQuantile, countQuantile);
        super.postConfig();
    }

    private LongTermAccumulator.Cell cell() {
        return accumulator == null || accumulator.equalsIgnoreCase("none") ? null
                : LongTermAccumulator.Cell.parse(accumulator);
    }

    /**
     * The student's signature-matrix configuration.
     * @return The configuration.
     */
    public SignatureMatrices signature() {
        return SignatureMatrices.forInputLength(inputLength);
    }

    /**
     * Trains the teacher, then starts the run and distils it: the trainer provenance records the trained teacher
     * trainer.
     * @param examples The normal training series.
     * @param runProvenance Extra provenance to record.
     * @param invocationCount The invocation count to set first, or {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The student.
     */
    @Override
    public MSCREDModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        MSCREDModel teacherModel = trainTeacher(examples);
        return distil(teacherModel, examples, runProvenance, startRun(invocationCount));
    }

    /**
     * Trains the teacher within the run, then distils it.
     * @param examples The normal training series.
     * @param runProvenance Extra provenance to record.
     * @param run The run.
     * @return The student.
     */
    @Override
    protected MSCREDModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        return distil(trainTeacher(examples), examples, runProvenance, run);
    }

    private MSCREDModel trainTeacher(Dataset<Event> examples) {
        if (teacher == null) {
            throw new IllegalStateException("No teacher trainer is configured; use distil(teacherModel, dataset)");
        }
        return teacher.train(examples);
    }

    /**
     * Trains the student against a trained teacher.
     * @param teacherModel The teacher (only read when λ > 0).
     * @param examples The normal training series (the teacher's).
     * @return The student.
     */
    public MSCREDModel distil(MSCREDModel teacherModel, Dataset<Event> examples) {
        return distil(teacherModel, examples, Collections.emptyMap(), startRun(INCREMENT_INVOCATION_COUNT));
    }

    private MSCREDModel distil(MSCREDModel teacherModel, Dataset<Event> examples,
                               Map<String, Provenance> runProvenance, Run run) {
        SplittableRandom localRNG = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        int n = featureMap.size();
        MultivariateSeries rawSeries = MSCREDData.series(examples, featureMap, "LTADistillationTrainer");
        FeatureStandardizer standardizer = teacherModel != null ? teacherModel.standardizerOrNull()
                : standardiseInputs ? MSCREDData.fitStandardizer(rawSeries) : null;
        if (standardizer != null && standardizer.width() != n) {
            throw new IllegalArgumentException("The teacher reads " + standardizer.width() + " variables, the "
                    + "training series has " + n);
        }
        MultivariateSeries series = MSCREDData.standardised(rawSeries, standardizer);
        SignatureMatrices sig = signature();
        boolean distilAttention = lambda > 0;
        if (distilAttention && teacherModel == null) {
            throw new IllegalArgumentException("lambda > 0 needs a teacher model");
        }
        int firstTime = teacherModel == null ? -1 : teacherModel.signature().firstValidTime();
        MSCREDData data = MSCREDData.of(series, sig, validationFraction, trainStride, firstTime, segmentStarts(),
                MinibatchTraining.DEFAULT_THREADS, "LTADistillationTrainer");
        String constant = data.constantVariables(featureMap, sig, "LTADistillationTrainer");
        MSCREDNetwork student = new MSCREDNetwork(sig.numScales(), n, sig.steps(), channels, kernels, strides,
                attentionRescale);
        student.initialise(localRNG);
        LongTermAccumulator.Cell cell = cell();
        LongTermAccumulator lta = cell == null ? null
                : new LongTermAccumulator(cell, n, accumulatorHidden, summaryLength);
        if (lta != null) {
            lta.initialise(localRNG);
        }
        float[] teacherMaps = null;
        int mapSize = 0;
        if (distilAttention) {
            MSCREDNetwork t = teacherModel.networkCopy();
            mapSize = t.attentionSize(MSCREDNetwork.DISTILLED_LEVEL);
            if (mapSize != student.attentionSize(MSCREDNetwork.DISTILLED_LEVEL)) {
                throw new IllegalArgumentException("The teacher's level-2 map has " + mapSize + " values, the "
                        + "student's " + student.attentionSize(MSCREDNetwork.DISTILLED_LEVEL) + "; give the student "
                        + "the teacher's first two channel counts and strides");
            }
            if ((long) data.fitInputs.length * mapSize > MAX_MAP_FLOATS) {
                throw new IllegalArgumentException(data.fitInputs.length + " training inputs x " + mapSize
                        + " map values exceed the teacher-map cache; raise trainStride");
            }
            teacherMaps = teacherMaps(teacherModel, t, series, data, mapSize);
        }
        logger.info(String.format("LTADistillationTrainer: student %s (%d parameters%s), L = %d, lambda %.2f, "
                        + "%d training inputs, %d epochs", student, student.numParameters(),
                lta == null ? ", no accumulator" : " + " + lta, inputLength, lambda, data.fitInputs.length, epochs));
        double[] loss = trainLoop(student, lta, data, sig, teacherMaps, mapSize);

        // The accumulator's state after the whole training series, and β for calibration from a zero state.
        RecurrentState end = null;
        float[] stacks = data.sequence.valuesView();
        if (lta != null) {
            stacks = MSCREDModel.augmentedStacks(data.sequence, series.valuesView(), lta, null);
            end = MSCREDModel.readPoints(lta, null, series.valuesView(), series.numVariables(),
                    series.numSteps(), null, null);
        }
        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        if (teacherModel != null) {
            instance.put("teacher-model", teacherModel.getProvenance());
        }
        ModelProvenance provenance = modelProvenance(MSCREDModel.class, examples, run, instance);
        String name = "mscred-student" + (lta == null ? "" : "-lta-" + cell.name().toLowerCase(java.util.Locale.ROOT));
        MSCREDModel unthresholded = new MSCREDModel(name, provenance, featureMap, examples.getOutputIDInfo(), sig,
                student, lta, end, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, loss, null);
        MSCREDData.Calibration cal = data.calibrate(unthresholded, stacks, data.sequence.stackSize(), tauQuantile,
                countQuantile, "LTADistillationTrainer");
        return new MSCREDModel(name, MSCREDData.record(provenance, constant, cal), featureMap,
                examples.getOutputIDInfo(), sig, student, lta, end, cal.tau, cal.countThreshold, loss, standardizer);
    }

    /** The teacher's level-2 attention map at the time of every training input of the student. */
    private static float[] teacherMaps(MSCREDModel teacherModel, MSCREDNetwork t, MultivariateSeries series,
                                       MSCREDData data, int mapSize) {
        SignatureMatrices ts = teacherModel.signature();
        int n = series.numVariables();
        int stackSize = ts.stackSize(n);
        int steps = ts.steps();
        int batch = 8;
        MSCREDNetwork.Workspace ws = t.newWorkspace(batch);
        float[] in = new float[batch * steps * stackSize];
        float[] maps = new float[data.fitInputs.length * mapSize];
        float[] values = series.valuesView();
        for (int first = 0; first < data.fitInputs.length; first += batch) {
            int b = Math.min(batch, data.fitInputs.length - first);
            for (int r = 0; r < b; r++) {
                int time = data.sequence.inputTime(data.fitInputs[first + r]);
                for (int j = 0; j < steps; j++) {
                    int stackTime = time - (steps - 1 - j) * ts.gap();
                    ts.compute(values, series.numSteps(), n, stackTime, in, (r * steps + j) * stackSize);
                }
            }
            t.forward(in, 0, b, ws);
            System.arraycopy(t.attentionOutput(ws, MSCREDNetwork.DISTILLED_LEVEL), 0, maps, first * mapSize,
                    b * mapSize);
        }
        return maps;
    }

    /** Eq. 8, in time order, with the accumulator trained through the student's input ({@link LTAStudentSteps}). */
    private double[] trainLoop(MSCREDNetwork student, LongTermAccumulator lta, MSCREDData data, SignatureMatrices sig,
                               float[] teacherMaps, int mapSize) {
        EpochLoop loop = new EpochLoop("LTA student (L=" + inputLength + ")", data.fitInputs.length, epochs,
                batchSize, null).logEvery(1);
        try (Lanes lanes = Lanes.open(2, "tribuo-kd-lta-student")) {
            return loop.run(new LTAStudentSteps(student, lta, data, sig, teacherMaps, mapSize, lambda, learningRate,
                    batchSize, lanes), 1);
        }
    }

    private int[] segmentStarts() {
        return MSCREDData.segmentStartsOrWhole(segmentStarts);
    }

    @Override
    public String toString() {
        return "LTADistillationTrainer(teacher=" + teacher + ",inputLength=" + inputLength + ",channels="
                + Arrays.toString(channels) + ",kernels=" + Arrays.toString(kernels) + ",strides="
                + Arrays.toString(strides) + ",lambda=" + lambda + ",accumulator=" + accumulator
                + ",accumulatorHidden=" + accumulatorHidden + ",summaryLength=" + summaryLength + ",epochs=" + epochs
                + ",batchSize=" + batchSize + ",learningRate=" + learningRate + ",seed=" + seed + ",trainStride="
                + trainStride + ",validationFraction=" + validationFraction + ",standardiseInputs=" + standardiseInputs
                + ",segmentStarts=" + Arrays.toString(segmentStarts)
                + ")";
    }
}
