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
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.dataset.DatasetView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Reconstruction distillation of a dense autoencoder: a smaller dense autoencoder learns from the windows and from
 * the teacher's reconstructions of them (Kim and Kim, seed 000 ("Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md), §3, applied to the dense teacher of Pol et al.,
 * seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2). The student's anomaly score is its own reconstruction error, so it needs no extrapolation of a
 * learned score: far from the normal data the error grows by construction, as the teacher's does.
 * <p>
 * <b>The loss</b> (seed 000's, in the regression form of Hinton et al.; {@code X} standardised windows,
 * {@code X_T} the teacher's reconstructions, {@code X_S} the student's):
 * <pre>
 *   L_S = (1 − α) · MSE(X_S, X) + (α / T²) · MSE(X_S, X_T)
 * </pre>
 * With {@code a = 1 − α} and {@code b = α / T²}, {@code L_S = (a + b) · MSE(X_S, Y) + const} for the blended target
 * {@code Y = (a·X + b·X_T) / (a + b)}: the student is trained on {@code Y} with plain MSE, which has the same
 * minimiser and gradients scaled by {@code a + b} (tested). α = 1 asks the student to copy the teacher's
 * reconstructions, so that its error {@code ‖X − X_S‖²} approaches the teacher's score; α = 0 is plain training.
 * <p>
 * The student uses the teacher's standardisation. The examples are used in dataset order: the first
 * {@code 1 − calibrationFraction} train the teacher and the student, the student's scores on the tail set its
 * threshold. The student is an {@link AutoencoderModel} whose provenance nests this trainer's (and so the teacher
 * trainer's) and, as instance value {@code teacher-model}, the teacher model's provenance.
 */
public final class DenseReconstructionDistillationTrainer extends AbstractEpochTrainer<Event, AutoencoderModel>
        implements DistillationTrainer<AutoencoderModel> {

    private static final Logger logger = Logger.getLogger(DenseReconstructionDistillationTrainer.class.getName());

    /** Instance-provenance key of the teacher model's provenance. */
    public static final String TEACHER_MODEL_PROVENANCE = "teacher-model";

    @Config(description = "The teacher trainer (must produce an AutoencoderModel); optional with distil().")
    private Trainer<Event> teacher;

    @Config(description = "The student's encoder widths, outermost first (the decoder mirrors them).")
    private int[] studentEncoderSizes = {8};

    @Config(description = "The student's hidden activation.")
    private Activation activation = Activation.TANH;

    @Config(description = "α: weight of the teacher's reconstruction in the loss, in [0, 1] (1: copy the teacher).")
    private double alpha = 1.0;

    @Config(description = "T: temperature, positive (the soft term is weighted α / T²).")
    private double temperature = 1.0;

    @Config(description = "Names of the features the student sees (the sensors available at deployment); empty: all. "
            + "The teacher sees and reconstructs every feature; the student learns its reconstructions of these.")
    private List<String> studentFeatures = new ArrayList<>();

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    @Config(description = "Fraction of the windows (the time-ordered tail) used to set the thresholds.")
    private double calibrationFraction = 0.1;

    @Config(description = "Quantile of the student's calibration scores used as its threshold.")
    private double thresholdQuantile = 0.99;

    /** For OLCUT. */
    private DenseReconstructionDistillationTrainer() {
        super(15, 128);
    }

    /**
     * Creates a trainer.
     * @param teacher The teacher trainer (producing an {@link AutoencoderModel}), or null when only {@link #distil}
     *                is used.
     * @param studentEncoderSizes The student's encoder widths.
     * @param activation The student's hidden activation.
     * @param alpha α in [0, 1].
     * @param temperature T &gt; 0.
     * @param epochs Passes over the data.
     * @param batchSize Windows per minibatch.
     * @param optimiser The optimiser.
     * @param seed The seed.
     * @param calibrationFraction Tail fraction used for the thresholds, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public DenseReconstructionDistillationTrainer(Trainer<Event> teacher, int[] studentEncoderSizes,
                                                  Activation activation, double alpha, double temperature,
                                                  int epochs, int batchSize, Optimiser optimiser, long seed,
                                                  double calibrationFraction, double thresholdQuantile) {
        super(epochs, batchSize);
        this.teacher = teacher;
        this.studentEncoderSizes = studentEncoderSizes == null ? null : studentEncoderSizes.clone();
        this.activation = activation;
        this.alpha = alpha;
        this.temperature = temperature;
        this.optimiser = optimiser;
        this.seed = seed;
        this.calibrationFraction = calibrationFraction;
        this.thresholdQuantile = thresholdQuantile;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (studentEncoderSizes == null || studentEncoderSizes.length == 0
                || Arrays.stream(studentEncoderSizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("studentEncoderSizes must be non-empty and positive, found "
                    + Arrays.toString(studentEncoderSizes));
        }
        if (activation == null || optimiser == null) {
            throw new IllegalArgumentException("activation and optimiser must be set");
        }
        checkEpochsAndBatchSize();
        if (!(alpha >= 0 && alpha <= 1) || !(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("alpha must be in [0, 1] and temperature positive and finite, found "
                    + alpha + ", " + temperature);
        }
        checkFraction("calibrationFraction", calibrationFraction);
        checkThresholdQuantile(thresholdQuantile);
        if (studentFeatures == null) {
            studentFeatures = new ArrayList<>();
        }
        StudentFeatures.checkDistinct(studentFeatures);
        super.postConfig();
    }

    /**
     * Lets the student see only the named features, the sensors available at deployment (privileged information,
     * Lopez-Paz et al., ICLR 2016): the teacher reconstructs every feature; the student, an autoencoder of the
     * subset, learns from the subset's windows and the teacher's reconstructions of them, and scores by its own
     * reconstruction error of the subset. Its feature domain is the subset.
     * @param names The student's feature names (each a feature of the training data); empty: all features.
     * @return This trainer.
     */
    public DenseReconstructionDistillationTrainer withStudentFeatures(List<String> names) {
        this.studentFeatures = new ArrayList<>(names);
        postConfig();
        return this;
    }

    @Override
    public double calibrationFraction() {
        return calibrationFraction;
    }

    /**
     * The student shares the teacher's standardisation; this is the teacher trainer's floor when it is a
     * {@link DenseAutoencoderTrainer}, otherwise 0.
     * @return The floor.
     */
    @Override
    public double minScale() {
        return teacher instanceof DenseAutoencoderTrainer ? ((DenseAutoencoderTrainer) teacher).minScale() : 0.0;
    }

    /**
     * The weights {@code (1 − α, α / T²)} of the hard and soft terms of the loss.
     * @return {@code {a, b}}.
     */
    double[] lossWeights() {
        return new double[]{1 - alpha, alpha / (temperature * temperature)};
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    @Override
    public AutoencoderModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance,
                                  int invocationCount) {
        return trainTeacherAndStudent(examples, runProvenance, invocationCount).student();
    }

    /**
     * Trains the teacher within the run, then distils it.
     * @param examples Normal training examples in time order.
     * @param runProvenance Extra provenance to record.
     * @param run The run.
     * @return The student.
     */
    @Override
    protected AutoencoderModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        return teacherAndStudent(examples, runProvenance, run, calibrationData(examples)).student();
    }

    /**
     * {@inheritDoc}
     * <p>
     * The teacher trainer's invocation count is set to this trainer's before the teacher is trained, so that
     * {@link #setInvocationCount} reproduces both models.
     */
    @Override
    public TeacherStudentPair<AutoencoderModel> trainTeacherAndStudent(Dataset<Event> examples,
                                                                       Map<String, Provenance> runProvenance,
                                                                       int invocationCount) {
        if (teacher == null) {
            throw new IllegalStateException("No teacher trainer is configured; use distil(teacherModel, dataset) to "
                    + "distil an already trained teacher");
        }
        TrainingData data = calibrationData(examples);
        Run run;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            teacher.setInvocationCount(getInvocationCount());
            run = startRun(INCREMENT_INVOCATION_COUNT);
        }
        return teacherAndStudent(examples, runProvenance, run, data);
    }

    private TrainingData calibrationData(Dataset<Event> examples) {
        return TrainingData.of(examples, examples.getFeatureIDMap(), AnomalousLabelPolicy.REJECT,
                calibrationFraction, "DenseReconstructionDistillationTrainer");
    }

    private TeacherStudentPair<AutoencoderModel> teacherAndStudent(Dataset<Event> examples,
                                                                   Map<String, Provenance> runProvenance, Run run,
                                                                   TrainingData data) {
        Dataset<Event> fitView = new DatasetView<>(examples, Arrays.copyOf(data.originalIndices, data.fitRows),
                "distillation-fit");
        logger.info("DenseReconstructionDistillationTrainer: training the teacher on " + data.fitRows + " examples");
        Model<Event> teacherModel = teacher.train(fitView);
        if (!(teacherModel instanceof AutoencoderModel)) {
            throw new IllegalArgumentException("The teacher trainer must produce an AutoencoderModel (a dense "
                    + "autoencoder), found " + teacherModel.getClass().getName());
        }
        AutoencoderModel student = distil((AutoencoderModel) teacherModel, examples, runProvenance, run, data);
        return new TeacherStudentPair<>(teacherModel, student);
    }

    /**
     * Distils a trained dense autoencoder into the student on the same protocol as {@link #train}.
     * @param teacherModel The teacher.
     * @param examples Normal training examples in time order, with the teacher's features.
     * @return The student.
     */
    public AutoencoderModel distil(AutoencoderModel teacherModel, Dataset<Event> examples) {
        TrainingData data = calibrationData(examples);
        return distil(teacherModel, examples, Collections.emptyMap(), startRun(INCREMENT_INVOCATION_COUNT), data);
    }

    private AutoencoderModel distil(AutoencoderModel teacherModel, Dataset<Event> examples,
                                    Map<String, Provenance> runProvenance, Run run, TrainingData data) {
        SplittableRandom localRNG = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        if (!featureMap.equals(teacherModel.getFeatureIDMap())) {
            throw new IllegalArgumentException("The examples have " + featureMap.size() + " features, the teacher "
                    + teacherModel.getFeatureIDMap().size() + "; distil on the teacher's features");
        }
        int n = data.fitRows;
        FeatureStandardizer standardizer = teacherModel.standardizer();
        float[] fit = data.rows(0, n);
        standardizer.applyInPlace(fit, n);                                  // X  [n, D], standardised
        float[] targets = blendedTargets(teacherModel.network(), fit, n, data.numFeatures); // Y  [n, D]
        if (!studentFeatures.isEmpty()) {
            // The teacher has reconstructed every feature; the student sees and learns the subset's columns.
            int[] columns = StudentFeatures.columns(studentFeatures, featureMap,
                    "DenseReconstructionDistillationTrainer");
            fit = TrainingData.selectColumns(fit, n, data.numFeatures, columns);         // X  [n, d]
            targets = TrainingData.selectColumns(targets, n, data.numFeatures, columns); // Y  [n, d]
            featureMap = StudentFeatures.subsetMap(featureMap, columns);
            standardizer = standardizer.select(columns);
            data = data.onColumns(columns, featureMap);
        }
        int d = featureMap.size();

        int[] sizes = new int[2 * studentEncoderSizes.length + 1];
        sizes[0] = d;
        for (int i = 0; i < studentEncoderSizes.length; i++) {
            sizes[i + 1] = studentEncoderSizes[i];
            sizes[sizes.length - 2 - i] = studentEncoderSizes[i];
        }
        sizes[sizes.length - 1] = d;
        FeedForwardNetwork student = new FeedForwardNetwork(sizes, activation, Activation.IDENTITY);
        student.initialise(localRNG);
        logger.info("DenseReconstructionDistillationTrainer: student " + Arrays.toString(sizes) + " ("
                + student.numParameters() + " parameters, teacher " + teacherModel.numParameters() + "), alpha="
                + alpha + ", T=" + temperature + ", " + n + " examples, " + epochs + " epochs");
        MinibatchTraining.train(student, fit, targets, n, LossFunction.MSE, run.optimiser(), epochs, batchSize,
                localRNG, "dense autoencoder student");

        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(TEACHER_MODEL_PROVENANCE, teacherModel.getProvenance());
        ImmutableFeatureMap domain = featureMap;
        FeatureStandardizer studentStandardizer = standardizer;
        return calibrated(data, modelProvenance(AutoencoderModel.class, examples, run, instance),
                thresholdQuantile, null, (provenance, threshold) -> new AutoencoderModel("dense-autoencoder-student",
                        provenance, domain, examples.getOutputIDInfo(), student, studentStandardizer, threshold));
    }

    /**
     * The student's regression targets {@code Y = (a·X + b·X_T) / (a + b)}.
     * @param teacherNet The teacher's network.
     * @param x Standardised windows {@code [n, d]}.
     * @param n The number of windows.
     * @param d The width.
     * @return {@code Y [n, d]}.
     */
    private float[] blendedTargets(FeedForwardNetwork teacherNet, float[] x, int n, int d) {
        double[] w = lossWeights();
        float[] y = new float[x.length];
        int chunk = 256;
        FeedForwardNetwork.Workspace ws = teacherNet.newWorkspace(chunk);
        for (int first = 0; first < n; first += chunk) {
            int size = Math.min(chunk, n - first);
            float[] recon = teacherNet.infer(x, first * d, size, ws);  // X_T rows [size, d]
            blend(x, first * d, recon, size * d, w[0], w[1], y);
        }
        return y;
    }

    /**
     * Writes {@code y[offset + i] = (a·x[offset + i] + b·xt[i]) / (a + b)} for {@code i < length}: the target for
     * which {@code (a + b)·MSE(s, y)} differs from {@code a·MSE(s, x) + b·MSE(s, xt)} by a constant in {@code s}.
     * @param x The data.
     * @param offset The first element of {@code x} and {@code y}.
     * @param xt The teacher's reconstruction, from element 0.
     * @param length The number of elements.
     * @param a The hard weight 1 − α.
     * @param b The soft weight α / T².
     * @param y The output.
     */
    static void blend(float[] x, int offset, float[] xt, int length, double a, double b, float[] y) {
        float wx = (float) (a / (a + b));
        float wt = (float) (b / (a + b));
        for (int i = 0, o = offset; i < length; i++, o++) {
            y[o] = wx * x[o] + wt * xt[i];
        }
    }

    @Override
    public String toString() {
        return "DenseReconstructionDistillationTrainer(teacher=" + teacher + ",studentEncoderSizes="
                + Arrays.toString(studentEncoderSizes) + ",activation=" + activation + ",alpha=" + alpha
                + ",temperature=" + temperature + ",epochs=" + epochs + ",batchSize=" + batchSize + ",optimiser="
                + optimiser + ",seed=" + seed + ",calibrationFraction=" + calibrationFraction
                + (studentFeatures.isEmpty() ? "" : ",studentFeatures=" + studentFeatures.size()) + ")";
    }
}
