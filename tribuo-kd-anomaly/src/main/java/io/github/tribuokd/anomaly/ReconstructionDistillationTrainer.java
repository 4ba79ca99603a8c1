package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.dataset.DatasetView;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Reconstruction distillation of an LSTM autoencoder (Kim and Kim, seed 000 ("Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md), §3): a smaller LSTM autoencoder (fewer
 * hidden units) learns from the original windows and from the teacher's reconstructions of them.
 * <p>
 * <b>The loss.</b> The seed's equation did not survive in its text; it names {@code L_MSE}, the reconstructions
 * {@code X_S} (student) and {@code X_T} (teacher), a weight α (0.3–0.4) and a temperature T (1–2), after Hinton
 * et al. We implement
 * <pre>
 *   L_S = (1 − α) · MSE(X_S, X) + α · MSE(X_S / T, X_T / T)  =  (1 − α) · MSE(X_S, X) + (α / T²) · MSE(X_S, X_T)
 * </pre>
 * the regression form of Hinton et al.'s distillation loss: a hard term on the data and a soft term on the
 * teacher's output, both softened by T. With α = 0 it is plain training of the student (tested: the same weights
 * as {@link LSTMAutoencoderTrainer} with the same settings). The teacher's reconstructions are taken the way the
 * student is trained, with teacher forcing.
 * <p>
 * The student uses the teacher's per-variable standardisation. The windows are used in dataset order: the first
 * {@code 1 − validationFraction} fit, the student's scores on the tail set its threshold. The result is an
 * {@link LSTMAutoencoderModel} whose provenance nests this trainer's (and so the teacher trainer's) and, as
 * instance value {@code teacher-model}, the teacher model's provenance.
 */
public final class ReconstructionDistillationTrainer extends AbstractEpochTrainer<Event, LSTMAutoencoderModel> {

    private static final Logger logger = Logger.getLogger(ReconstructionDistillationTrainer.class.getName());

    /** Instance-provenance key of the teacher model's provenance. */
    public static final String TEACHER_MODEL_PROVENANCE = "teacher-model";

    @Config(description = "The teacher trainer (must produce an LSTMAutoencoderModel); optional with distil().")
    private Trainer<Event> teacher;

    @Config(description = "The student's LSTM state size H (smaller than the teacher's).")
    private int studentHiddenSize = 32;

    @Config(description = "α: weight of the teacher's reconstruction in the loss (seed: 0.3-0.4).")
    private double alpha = 0.35;

    @Config(description = "T: temperature (seed: 1-2).")
    private double temperature = 1.5;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    @Config(description = "Fraction of the windows (the time-ordered tail) used to set the threshold.")
    private double validationFraction = 0.1;

    @Config(description = "Quantile of the student's validation scores used as the threshold.")
    private double thresholdQuantile = 0.99;

    @Config(description = "Training threads (the result does not depend on it).")
    private int numThreads = MinibatchTraining.DEFAULT_THREADS;

    /** For OLCUT. */
    private ReconstructionDistillationTrainer() {
        super(10, 64);
    }

    /**
     * Creates a trainer.
     * @param teacher The teacher trainer (an {@link LSTMAutoencoderTrainer}), or null when only {@link #distil} is used.
     * @param studentHiddenSize The student's H.
     * @param alpha α in [0, 1].
     * @param temperature T &gt; 0.
     * @param epochs Passes over the data.
     * @param batchSize Windows per minibatch.
     * @param optimiser The optimiser.
     * @param seed The seed.
     * @param validationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public ReconstructionDistillationTrainer(Trainer<Event> teacher, int studentHiddenSize, double alpha,
                                             double temperature, int epochs, int batchSize, Optimiser optimiser,
                                             long seed, double validationFraction, double thresholdQuantile) {
        super(epochs, batchSize);
        this.teacher = teacher;
        this.studentHiddenSize = studentHiddenSize;
        this.alpha = alpha;
        this.temperature = temperature;
        this.optimiser = optimiser;
        this.seed = seed;
        this.validationFraction = validationFraction;
        this.thresholdQuantile = thresholdQuantile;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (studentHiddenSize < 1 || epochs < 1 || batchSize < 1 || numThreads < 1) {
            throw new IllegalArgumentException("studentHiddenSize, epochs, batchSize and numThreads must be positive");
        }
        if (!(alpha >= 0 && alpha <= 1) || !(temperature > 0)) {
            throw new IllegalArgumentException("alpha must be in [0, 1] and temperature positive, found " + alpha
                    + ", " + temperature);
        }
        if (!(validationFraction >= 0 && validationFraction < 1) || !(thresholdQuantile >= 0 && thresholdQuantile <= 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1) and thresholdQuantile in [0, 1]");
        }
        super.postConfig();
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    /**
     * Trains the teacher on the fitting part of the examples, then starts the run and distils it: the trainer
     * provenance records the trained teacher trainer.
     * @param examples Normal training windows in time order.
     * @param runProvenance Extra provenance to record.
     * @param invocationCount The invocation count to set first, or {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The student.
     */
    @Override
    public LSTMAutoencoderModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance,
                                      int invocationCount) {
        LSTMAutoencoderModel teacherModel = trainTeacher(examples);
        return fit(teacherModel, examples, runProvenance, startRun(invocationCount));
    }

    /**
     * Trains the teacher, then distils it (the teacher's training inside the run).
     * @param examples Normal training windows in time order.
     * @param runProvenance Extra provenance to record.
     * @param run The run.
     * @return The student.
     */
    @Override
    protected LSTMAutoencoderModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        return fit(trainTeacher(examples), examples, runProvenance, run);
    }

    private LSTMAutoencoderModel trainTeacher(Dataset<Event> examples) {
        if (teacher == null) {
            throw new IllegalStateException("No teacher trainer is configured; use distil(teacherModel, dataset)");
        }
        TrainingData data = TrainingData.of(examples, examples.getFeatureIDMap(), AnomalousLabelPolicy.REJECT,
                validationFraction, "ReconstructionDistillationTrainer");
        Model<Event> teacherModel = teacher.train(new DatasetView<>(examples,
                java.util.Arrays.copyOf(data.originalIndices, data.fitRows), "distillation-fit"));
        if (!(teacherModel instanceof LSTMAutoencoderModel)) {
            throw new IllegalArgumentException("The teacher trainer must produce an LSTMAutoencoderModel, found "
                    + teacherModel.getClass().getName());
        }
        return (LSTMAutoencoderModel) teacherModel;
    }

    /**
     * Distils a trained teacher into a student on the same protocol as {@link #train}.
     * @param teacherModel The teacher.
     * @param examples Normal training windows in time order, with the teacher's features.
     * @return The student.
     */
    public LSTMAutoencoderModel distil(LSTMAutoencoderModel teacherModel, Dataset<Event> examples) {
        return fit(teacherModel, examples, Collections.emptyMap(), startRun(INCREMENT_INVOCATION_COUNT));
    }

    private LSTMAutoencoderModel fit(LSTMAutoencoderModel teacherModel, Dataset<Event> examples,
                                     Map<String, Provenance> runProvenance, Run run) {
        SplittableRandom localRNG = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        WindowLayout layout = WindowLayout.of(featureMap, "ReconstructionDistillationTrainer");
        if (layout.steps != teacherModel.windowLength() || layout.variables != teacherModel.variables()) {
            throw new IllegalArgumentException("The data has windows of " + layout.steps + " x " + layout.variables
                    + ", the teacher " + teacherModel.windowLength() + " x " + teacherModel.variables());
        }
        TrainingData data = TrainingData.of(examples, featureMap, AnomalousLabelPolicy.REJECT, validationFraction,
                "ReconstructionDistillationTrainer");
        int steps = layout.steps, m = layout.variables, w = steps * m;
        FeatureStandardizer standardizer = teacherModel.standardizer();
        float[] fit = data.rows(0, data.fitRows);
        standardizer.applyInPlace(fit, data.fitRows * steps);
        // X_T: the teacher's (teacher-forced) reconstructions of the fitting windows
        float[] teacherRecon = new float[fit.length];
        LSTMAutoencoderNetwork teacherNet = teacherModel.network();
        int chunk = 64;
        LSTMAutoencoderNetwork.Workspace tws = teacherNet.newWorkspace(chunk, steps);
        float[] part = new float[chunk * w];
        for (int first = 0; first < data.fitRows; first += chunk) {
            int size = Math.min(chunk, data.fitRows - first);
            teacherNet.reconstruct(fit, first * w, size, tws, part);
            System.arraycopy(part, 0, teacherRecon, first * w, size * w);
        }
        LSTMAutoencoderNetwork student = new LSTMAutoencoderNetwork(m, studentHiddenSize);
        student.initialise(localRNG);
        logger.info("ReconstructionDistillationTrainer: student of " + student.numParameters() + " parameters (teacher "
                + teacherModel.numParameters() + "), alpha=" + alpha + ", T=" + temperature);
        float a = (float) alpha, t = (float) temperature;
        double[] loss = MinibatchTraining.train(student.parameters(),
                c -> student.newDistillationShard(fit, teacherRecon, steps, c, a, t), data.fitRows, w,
                run.optimiser(), epochs, batchSize, localRNG, "LSTM student", numThreads);

        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(TEACHER_MODEL_PROVENANCE, teacherModel.getProvenance());
        return calibrated(data, modelProvenance(LSTMAutoencoderModel.class, examples, run, instance),
                thresholdQuantile, null, (provenance, threshold) -> new LSTMAutoencoderModel(
                        "lstm-autoencoder-student", provenance, featureMap, examples.getOutputIDInfo(), student,
                        standardizer, steps, threshold, loss));
    }

    @Override
    public String toString() {
        return "ReconstructionDistillationTrainer(teacher=" + teacher + ",studentHiddenSize=" + studentHiddenSize
                + ",alpha=" + alpha + ",temperature=" + temperature + ",epochs=" + epochs + ",batchSize=" + batchSize
                + ",optimiser=" + optimiser + ",seed=" + seed + ")";
    }
}
