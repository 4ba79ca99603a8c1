package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.FeatureMatchingLoss;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import io.github.tribuokd.nn.kernels.GradientShard;
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
 * Multiresolution feature distillation (Salehi et al., "Multiresolution Knowledge Distillation for Anomaly Detection",
 * CVPR 2021) for windows and tabular rows: a student (the paper's cloner) learns, on normal data only, to reproduce a
 * frozen teacher's (the source's) activations at several layers, the critical points {@code CP_i}; the anomaly score
 * of a row is the student's total loss on it, {@code L_total = L_val + λ·L_dir} ({@link FeatureMatchingLoss}), high
 * where the student never learnt to follow the teacher.
 * <p>
 * <b>Teacher.</b> Any {@code Trainer<Event>} whose model is a {@link FeatureTeacher}, e.g. a
 * {@link DenseAutoencoderTrainer} (features {@code "encoder.0"} … {@code "encoder.<k−1>"}, the encoder's layers after
 * their activation); or {@link #distil} with a trained teacher. The matched layers are {@code layers} (empty: all of
 * the teacher's features), taken shallowest first.
 * <p>
 * <b>Student.</b> A dense network on the teacher's standardised rows whose matched layers have exactly the teacher's
 * widths, with one thinner hidden layer before each: for matched widths {@code w_1 … w_m} and
 * {@code studentHiddenSizes = [h_1 … h_m]} (one entry: the same before every layer), the sizes are
 * {@code d → h_1 → w_1 → h_2 → w_2 … → w_m}, {@code activation} after every layer, and dense layer {@code 2i − 1}
 * (from 1) is matched to {@code CP_i}. So a matched layer is compared with the teacher's directly (no learned map
 * in between that could absorb the discrepancy), and the student is cheaper than the teacher's encoder when the
 * {@code h_i} are small (the paper's cloner is a simpler network of the same layout at its critical points). The
 * activation should be the teacher's (tanh for the default dense autoencoder), so that both can reach the same range.
 * <p>
 * <b>Protocol</b>, as for the other distillation trainers: the examples are used in dataset order; the first
 * {@code 1 − calibrationFraction} train the teacher (with {@link #train}) and the student, the student's scores on the
 * tail set the threshold at {@code thresholdQuantile} ({@link AbstractKDTrainer#calibrated}). The teacher trainer's
 * invocation count is set to this trainer's before it trains, so {@link #setInvocationCount} and a trainer rebuilt
 * from a model's provenance reproduce both. The model's provenance nests this trainer's (with the teacher trainer's)
 * and, as instance value {@value #TEACHER_MODEL_PROVENANCE}, the teacher model's provenance.
 */
public final class FeatureDistillationTrainer extends AbstractEpochTrainer<Event, FeatureDistillationModel>
        implements DistillationTrainer<FeatureDistillationModel> {

    private static final Logger logger = Logger.getLogger(FeatureDistillationTrainer.class.getName());

    /** Instance-provenance key of the teacher model's provenance. */
    public static final String TEACHER_MODEL_PROVENANCE = "teacher-model";

    @Config(description = "The teacher trainer (its model must be a FeatureTeacher); optional with distil().")
    private Trainer<Event> teacher;

    @Config(description = "The teacher features matched by the student (empty: all of them), e.g. encoder.0.")
    private List<String> layers = new ArrayList<>();

    @Config(description = "Width of the student's hidden layer before each matched layer: one entry (for every "
            + "layer) or one per matched layer.")
    private int[] studentHiddenSizes = {4};

    @Config(description = "The student's activation (after every layer); the teacher's, for the features to match.")
    private Activation activation = Activation.TANH;

    @Config(description = "λ: weight of the direction term L_dir (1 − cosine per layer), finite and non-negative.")
    private double lambda = 0.1;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    @Config(description = "Fraction of the windows (the time-ordered tail) used to set the threshold.")
    private double calibrationFraction = 0.1;

    @Config(description = "Quantile of the student's calibration scores used as its threshold.")
    private double thresholdQuantile = 0.99;

    /** For OLCUT. */
    private FeatureDistillationTrainer() {
        super(30, 128);
    }

    /**
     * Creates a trainer.
     * @param teacher The teacher trainer (its model a {@link FeatureTeacher}), or null when only {@link #distil} is
     *                used.
     * @param layers The teacher features to match (empty or null: all).
     * @param studentHiddenSizes The student's hidden widths before the matched layers (one, or one per layer).
     * @param activation The student's activation.
     * @param lambda λ ≥ 0, the weight of the direction term.
     * @param epochs Passes over the data.
     * @param batchSize Rows per minibatch.
     * @param optimiser The optimiser.
     * @param seed The seed.
     * @param calibrationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public FeatureDistillationTrainer(Trainer<Event> teacher, List<String> layers, int[] studentHiddenSizes,
                                      Activation activation, double lambda, int epochs, int batchSize,
                                      Optimiser optimiser, long seed, double calibrationFraction,
                                      double thresholdQuantile) {
        super(epochs, batchSize);
        this.teacher = teacher;
        this.layers = layers == null ? new ArrayList<>() : new ArrayList<>(layers);
        this.studentHiddenSizes = studentHiddenSizes == null ? null : studentHiddenSizes.clone();
        this.activation = activation;
        this.lambda = lambda;
        this.optimiser = optimiser;
        this.seed = seed;
        this.calibrationFraction = calibrationFraction;
        this.thresholdQuantile = thresholdQuantile;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (studentHiddenSizes == null || studentHiddenSizes.length == 0
                || Arrays.stream(studentHiddenSizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("studentHiddenSizes must be non-empty and positive, found "
                    + Arrays.toString(studentHiddenSizes));
        }
        if (activation == null || optimiser == null || layers == null) {
            throw new IllegalArgumentException("activation, optimiser and layers must be set");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and non-negative, found " + lambda);
        }
        checkEpochsAndBatchSize();
        checkFraction("calibrationFraction", calibrationFraction);
        checkThresholdQuantile(thresholdQuantile);
        super.postConfig();
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

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    @Override
    public FeatureDistillationModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance,
                                          int invocationCount) {
        return trainTeacherAndStudent(examples, runProvenance, invocationCount).student();
    }

    /**
     * Trains the teacher within the run, then distils it.
     * @param examples Normal training examples in time order.
     * @param runProvenance Extra provenance to record.
     * @param run The run.
     * @return The student detector.
     */
    @Override
    protected FeatureDistillationModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        return teacherAndStudent(examples, runProvenance, run, calibrationData(examples)).student();
    }

    /**
     * {@inheritDoc}
     * <p>
     * The teacher trainer's invocation count is set to this trainer's before the teacher is trained, so that
     * {@link #setInvocationCount} reproduces both models.
     */
    @Override
    public TeacherStudentPair<FeatureDistillationModel> trainTeacherAndStudent(
            Dataset<Event> examples, Map<String, Provenance> runProvenance, int invocationCount) {
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
                calibrationFraction, "FeatureDistillationTrainer");
    }

    private TeacherStudentPair<FeatureDistillationModel> teacherAndStudent(Dataset<Event> examples,
                                                                          Map<String, Provenance> runProvenance,
                                                                          Run run, TrainingData data) {
        Dataset<Event> fitView = new DatasetView<>(examples, Arrays.copyOf(data.originalIndices, data.fitRows),
                "distillation-fit");
        logger.info("FeatureDistillationTrainer: training the teacher on " + data.fitRows + " examples");
        Model<Event> teacherModel = teacher.train(fitView);
        FeatureDistillationModel student = distil(teacherModel, examples, runProvenance, run, data);
        return new TeacherStudentPair<>(teacherModel, student);
    }

    /**
     * Distils a trained teacher into a student detector on the same protocol as {@link #train}.
     * @param teacherModel The teacher: a {@code Model<Event>} that is a {@link FeatureTeacher}.
     * @param examples Normal training examples in time order, with the teacher's features.
     * @return The detector.
     * @throws IllegalArgumentException If the teacher is not a {@link FeatureTeacher}, has other features, or lacks
     *                                  a configured layer.
     */
    public FeatureDistillationModel distil(Model<Event> teacherModel, Dataset<Event> examples) {
        checkTeacher(teacherModel);
        TrainingData data = calibrationData(examples);
        return distil(teacherModel, examples, Collections.emptyMap(), startRun(INCREMENT_INVOCATION_COUNT), data);
    }

    private static FeatureTeacher checkTeacher(Model<Event> teacherModel) {
        if (!(teacherModel instanceof FeatureTeacher)) {
            throw new IllegalArgumentException("The teacher must be a FeatureTeacher (a model exposing intermediate "
                    + "features, e.g. the AutoencoderModel of a DenseAutoencoderTrainer), found "
                    + teacherModel.getClass().getName());
        }
        return (FeatureTeacher) teacherModel;
    }

    /**
     * The matched teacher features: the configured ones (all when none is configured), shallowest first.
     * @param ft The teacher.
     * @return The names.
     * @throws IllegalArgumentException If a configured name is unknown or repeated.
     */
    private List<String> matchedFeatures(FeatureTeacher ft) {
        List<String> chosen = layers.isEmpty() ? ft.featureNames() : layers;
        int[] which = FeatureDistillationModel.indices(ft, chosen);
        Arrays.sort(which);
        List<String> names = new ArrayList<>(which.length);
        for (int k : which) {
            names.add(ft.featureNames().get(k));
        }
        return names;
    }

    private FeatureDistillationModel distil(Model<Event> teacherModel, Dataset<Event> examples,
                                            Map<String, Provenance> runProvenance, Run run, TrainingData data) {
        FeatureTeacher ft = checkTeacher(teacherModel);
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        if (!featureMap.equals(teacherModel.getFeatureIDMap())) {
            throw new IllegalArgumentException("The examples have " + featureMap.size() + " features, the teacher "
                    + teacherModel.getFeatureIDMap().size() + "; distil on the teacher's features");
        }
        List<String> names = matchedFeatures(ft);
        int[] which = FeatureDistillationModel.indices(ft, names);
        int m = which.length;
        if (studentHiddenSizes.length != 1 && studentHiddenSizes.length != m) {
            throw new IllegalArgumentException("studentHiddenSizes has " + studentHiddenSizes.length + " entries; "
                    + "give one, or one per matched layer (" + m + ": " + names + ")");
        }
        int[] teacherWidths = ft.featureWidths();
        int[] widths = new int[m];
        int d = data.numFeatures;
        int[] sizes = new int[2 * m + 1];
        int[] studentLayers = new int[m];
        sizes[0] = d;
        for (int i = 0; i < m; i++) {
            widths[i] = teacherWidths[which[i]];
            sizes[2 * i + 1] = studentHiddenSizes[studentHiddenSizes.length == 1 ? 0 : i];
            sizes[2 * i + 2] = widths[i];
            studentLayers[i] = 2 * i + 1;
        }

        // the fitting rows: teacher features T_i [n, w_i] from raw rows, then the rows standardised: X [n, d]
        int n = data.fitRows;
        float[] x = data.rows(0, n);
        float[][] targets = new float[m][];
        for (int i = 0; i < m; i++) {
            targets[i] = new float[n * widths[i]];
        }
        ft.features(x, n, which, targets);
        FeatureStandardizer standardizer = ft.inputStandardizer();
        if (standardizer != null) {
            standardizer.applyInPlace(x, n);
        }

        SplittableRandom localRNG = run.rng();
        FeedForwardNetwork student = new FeedForwardNetwork(sizes, activation, activation);
        student.initialise(localRNG);
        FeatureMatchingLoss loss = new FeatureMatchingLoss(widths, lambda);
        logger.info("FeatureDistillationTrainer: student " + Arrays.toString(sizes) + " (" + student.numParameters()
                + " parameters) matching " + names + " of the teacher, lambda=" + lambda + ", " + n + " examples, "
                + epochs + " epochs");
        MinibatchTraining.train(student.parameters(),
                capacity -> new FeatureShard(student, studentLayers, loss, x, targets, capacity), n, 1,
                run.optimiser(), epochs, batchSize, localRNG, "feature-distillation student",
                MinibatchTraining.DEFAULT_THREADS);

        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(TEACHER_MODEL_PROVENANCE, teacherModel.getProvenance());
        return calibrated(data, modelProvenance(FeatureDistillationModel.class, examples, run, instance),
                thresholdQuantile, null, (provenance, threshold) -> new FeatureDistillationModel(
                        "feature-distillation", provenance, featureMap, examples.getOutputIDInfo(), teacherModel,
                        names, student, studentLayers, lambda, threshold));
    }

    /**
     * One shard of a minibatch: the student's forward pass to its deepest matched layer, {@link FeatureMatchingLoss}
     * against the teacher's stored features, and the gradients injected at every matched layer
     * ({@link FeedForwardNetwork#backwardFrom}).
     */
    private static final class FeatureShard implements GradientShard {
        private final FeedForwardNetwork student;
        private final int[] studentLayers;
        private final int depth;
        private final FeatureMatchingLoss loss;
        private final float[] inputs;
        private final float[][] targets;
        private final int[] widths;
        private final FeedForwardNetwork.Workspace ws;
        private final float[] x;
        private final float[][] t;
        private final float[][] s;
        private final float[][] g;
        private final float[] grads;

        FeatureShard(FeedForwardNetwork student, int[] studentLayers, FeatureMatchingLoss loss, float[] inputs,
                     float[][] targets, int capacity) {
            this.student = student;
            this.studentLayers = studentLayers;
            this.depth = Arrays.stream(studentLayers).max().orElseThrow() + 1;
            this.loss = loss;
            this.inputs = inputs;
            this.targets = targets;
            this.widths = loss.widths();
            ws = student.newWorkspace(capacity);
            x = new float[capacity * student.inputSize()];
            t = new float[widths.length][];
            s = new float[widths.length][];
            g = new float[widths.length][];
            for (int i = 0; i < widths.length; i++) {
                t[i] = new float[capacity * widths[i]];
                g[i] = new float[capacity * widths[i]];
            }
            grads = new float[student.numParameters()];
        }

        @Override
        public float[] gradients() {
            return grads;
        }

        @Override
        public double compute(int[] order, int from, int to, int batchSize) {
            Arrays.fill(grads, 0f);
            int rows = to - from;
            if (rows == 0) {
                return 0.0;
            }
            int d = student.inputSize();
            for (int r = 0; r < rows; r++) {
                int idx = order[from + r];
                System.arraycopy(inputs, idx * d, x, r * d, d);
                for (int i = 0; i < widths.length; i++) {
                    System.arraycopy(targets[i], idx * widths[i], t[i], r * widths[i], widths[i]);
                }
            }
            student.forwardTo(x, rows, ws, depth);
            for (int i = 0; i < studentLayers.length; i++) {
                s[i] = student.layerOutput(studentLayers[i], ws);
            }
            double sum = loss.lossAndGradient(t, s, g, rows, batchSize);
            student.backwardFrom(g, studentLayers, rows, ws, grads, false);
            return sum;
        }
    }

    @Override
    public String toString() {
        return "FeatureDistillationTrainer(teacher=" + teacher + ",layers=" + layers + ",studentHiddenSizes="
                + Arrays.toString(studentHiddenSizes) + ",activation=" + activation + ",lambda=" + lambda
                + ",epochs=" + epochs + ",batchSize=" + batchSize + ",optimiser=" + optimiser + ",seed=" + seed
                + ",calibrationFraction=" + calibrationFraction + ",thresholdQuantile=" + thresholdQuantile + ")";
    }
}
