package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.SequentialNetwork;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.MutableOutputInfo;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Co-learning of a convolutional autoencoder teacher and convolutional score-regression students (Pol et al.,
 * seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.2): "we minimize a joint of teacher reconstruction loss and student distillation loss", optionally
 * with outlier exposure (§2.3, images of an unrelated dataset added to the students' training set only) or with
 * denoising as outlier exposure (§2.4, noisy copies {@code x + 0.1·N(0,1)} of the normal images, students only).
 * The algorithm is {@link CoLearning}; the students regress {@code ln(S + ε)}, the teacher's current log score.
 * <p>
 * Every configured student is trained once per configured exposure, all alongside one teacher run (the teacher's
 * trajectory does not depend on the students, so this equals separate runs with the same seed).
 * {@link #trainAll} returns the teacher and every student as a {@link DistilledAnomalyModel}; {@link #train}
 * needs exactly one student and one exposure. Offline distillation (the seed's baseline) is
 * {@link ScoreDistillationTrainer#distil} with a {@link ConvRegressionTrainer} student.
 * <p>
 * Examples are used in dataset order: the first {@code 1 − teacher.validationFraction} train, the tail sets the
 * thresholds. Provenance: the trainer's own (nesting the teacher's and students' trainer configurations and the
 * outlier source), and for every student model the teacher model's provenance as instance value
 * {@code teacher-model}.
 */
public final class CoLearningDistillationTrainer extends AbstractKDTrainer<Event, DistilledAnomalyModel> {

    private static final Logger logger = Logger.getLogger(CoLearningDistillationTrainer.class.getName());

    /** The regression dimension of the students' targets. */
    public static final String TARGET_DIMENSION = ScoreDistillationTrainer.TARGET_DIMENSION;

    @Config(mandatory = true, description = "The teacher: architecture, image shape, epochs, batch size, optimiser, "
            + "seed, validation fraction and threshold quantile.")
    private ConvAutoencoderTrainer teacher;

    @Config(mandatory = true, description = "The students (architecture, activation, loss, optimiser and seed are "
            + "used; epochs and batches follow the teacher).")
    private List<ConvRegressionTrainer> students;

    @Config(description = "The exposures each student is trained with (NONE, OUTLIERS, NOISE).")
    private EnumSet<StudentExposure> exposures = EnumSet.of(StudentExposure.NONE);

    @Config(description = "Outlier images for OUTLIERS exposure (e.g. Fashion-MNIST for an MNIST teacher); their "
            + "labels are ignored.")
    private ConfigurableDataSource<Event> outlierSource;

    @Config(description = "Exposure images per normal image in a student's minibatch.")
    private double exposureRatio = 1.0;

    @Config(description = "Standard deviation of the Gaussian noise of NOISE exposure (seed: 0.1).")
    private double noiseStd = 0.1;

    @Config(description = "epsilon of the log score target ln(S + epsilon).")
    private double epsilon = 1e-6;

    @Config(description = "Quantile of each student's calibration scores used as its threshold.")
    private double thresholdQuantile = 0.99;

    /** For OLCUT. */
    private CoLearningDistillationTrainer() { }

    /**
     * Creates a trainer with the seed's noise (0.1), one exposure image per normal image and ε = 1e-6.
     * @param teacher The teacher trainer.
     * @param students The student trainers.
     * @param exposures The exposures each student is trained with.
     * @param outlierSource Outlier images for {@link StudentExposure#OUTLIERS}, or null.
     */
    public CoLearningDistillationTrainer(ConvAutoencoderTrainer teacher, List<ConvRegressionTrainer> students,
                                         EnumSet<StudentExposure> exposures,
                                         ConfigurableDataSource<Event> outlierSource) {
        this.teacher = teacher;
        this.students = new ArrayList<>(students);
        this.exposures = EnumSet.copyOf(exposures);
        this.outlierSource = outlierSource;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (teacher == null || students == null || students.isEmpty()) {
            throw new IllegalArgumentException("Co-learning needs a teacher and at least one student");
        }
        if (exposures == null || exposures.isEmpty()) {
            throw new IllegalArgumentException("Co-learning needs at least one exposure (NONE for plain co-learning)");
        }
        for (ConvRegressionTrainer s : students) {
            if (s.spec().inputSize() != teacher.spec().inputSize()) {
                throw new IllegalArgumentException("Student '" + s.spec().spec() + "' reads " + s.spec().inputSize()
                        + " pixels, the teacher " + teacher.spec().inputSize());
            }
        }
        if (exposures.contains(StudentExposure.OUTLIERS) && outlierSource == null) {
            throw new IllegalArgumentException("OUTLIERS exposure needs an outlierSource");
        }
        if (!(exposureRatio > 0) || !(noiseStd >= 0) || !(epsilon > 0)) {
            throw new IllegalArgumentException("exposureRatio and epsilon must be positive and noiseStd >= 0, found "
                    + exposureRatio + ", " + epsilon + ", " + noiseStd);
        }
        checkThresholdQuantile(thresholdQuantile);
    }

    /** A student trained by co-learning: its architecture index, exposure and the deployable detector. */
    public static final class StudentResult {
        private final int studentIndex;
        private final StudentExposure exposure;
        private final DistilledAnomalyModel model;
        private final double[] trainingLoss;

        StudentResult(int studentIndex, StudentExposure exposure, DistilledAnomalyModel model, double[] trainingLoss) {
            this.studentIndex = studentIndex;
            this.exposure = exposure;
            this.model = model;
            this.trainingLoss = trainingLoss;
        }

        /**
         * Which configured student this is.
         * @return Its index in the trainer's student list.
         */
        public int studentIndex() {
            return studentIndex;
        }

        /**
         * The exposure it was trained with.
         * @return The exposure.
         */
        public StudentExposure exposure() {
            return exposure;
        }

        /**
         * The deployable detector (the student and the log transform; no part of the teacher).
         * @return The model.
         */
        public DistilledAnomalyModel model() {
            return model;
        }

        /**
         * The student's mean MAE on standardised targets of every epoch.
         * @return A copy.
         */
        public double[] trainingLoss() {
            return trainingLoss.clone();
        }
    }

    /** The teacher and every student of one co-learning run. */
    public static final class Result {
        private final ConvAutoencoderModel teacher;
        private final List<StudentResult> students;

        Result(ConvAutoencoderModel teacher, List<StudentResult> students) {
            this.teacher = teacher;
            this.students = Collections.unmodifiableList(students);
        }

        /**
         * The co-trained teacher.
         * @return The teacher model.
         */
        public ConvAutoencoderModel teacher() {
            return teacher;
        }

        /**
         * Every student × exposure, students in configured order, exposures in enum order within each student.
         * @return An unmodifiable list.
         */
        public List<StudentResult> students() {
            return students;
        }
    }

    @Override
    protected void checkBeforeRun(Dataset<Event> examples) {
        if (students.size() != 1 || exposures.size() != 1) {
            throw new IllegalStateException("train() returns one detector, but " + students.size() + " students x "
                    + exposures.size() + " exposures are configured; use trainAll()");
        }
        teacher.checkImageFeatures(examples.getFeatureIDMap(), "CoLearningDistillationTrainer");
    }

    @Override
    protected DistilledAnomalyModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        return coTrain(examples, runProvenance, run).students().get(0).model();
    }

    /**
     * Co-trains the teacher and every student × exposure.
     * @param examples Normal images (features: pixels in name order).
     * @return The teacher and the students.
     */
    public Result trainAll(Dataset<Event> examples) {
        return trainAll(examples, Collections.emptyMap(), INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Co-trains the teacher and every student × exposure.
     * @param examples Normal images (features: pixels in name order).
     * @param runProvenance Extra provenance to record.
     * @param invocationCount The invocation count to set first, or {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The teacher and the students.
     */
    public Result trainAll(Dataset<Event> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        teacher.checkImageFeatures(examples.getFeatureIDMap(), "CoLearningDistillationTrainer");
        return coTrain(examples, runProvenance, startRun(invocationCount));
    }

    /**
     * One co-training run: the teacher's and every student's run are their trainers' runs of this run's
     * invocation index, so they depend on that index only.
     */
    private Result coTrain(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        Run teacherRun = teacher.startRun(run.invocation());
        List<Run> studentRuns = new ArrayList<>();
        for (ConvRegressionTrainer s : students) {
            studentRuns.add(s.startRun(run.invocation()));
        }
        TrainingData data = TrainingData.of(examples, featureMap, teacher.anomalousLabels(),
                teacher.validationFraction(), "CoLearningDistillationTrainer");
        int d = data.numFeatures;
        float[] outliers = null;
        int numOutliers = 0;
        if (exposures.contains(StudentExposure.OUTLIERS)) {
            List<Example<Event>> list = new ArrayList<>();
            for (Example<Event> e : outlierSource) {
                list.add(e);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("The outlier source " + outlierSource.getProvenance()
                        + " is empty");
            }
            try {
                outliers = FeatureMatrix.toMatrix(list, featureMap);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The outlier images must have the teacher's pixel features: "
                        + e.getMessage(), e);
            }
            numOutliers = list.size();
        }

        SequentialNetwork teacherNet = teacher.spec().newNetwork();
        teacherNet.initialise(teacherRun.rng());
        List<CoLearning.Student> engineStudents = new ArrayList<>();
        for (int i = 0; i < students.size(); i++) {
            ConvRegressionTrainer st = students.get(i);
            Run studentRun = studentRuns.get(i);
            for (StudentExposure exposure : exposures) {
                SequentialNetwork net = st.spec().newNetwork();
                net.initialise(studentRun.rng().split());
                engineStudents.add(new CoLearning.Student(net, studentRun.optimiser(), st.loss(), exposure,
                        "S[" + i + "]/" + exposure));
            }
        }
        logger.info("CoLearningDistillationTrainer: teacher " + teacher.spec() + " with " + engineStudents.size()
                + " students on " + data.fitRows + " images, " + teacher.epochs() + " epochs");
        double[] teacherLoss = CoLearning.run(teacherNet, teacherRun.optimiser(), data.matrix, data.fitRows,
                engineStudents, outliers, numOutliers, noiseStd, exposureRatio, epsilon, teacher.epochs(),
                teacher.batchSize(), teacherRun.rng(), MinibatchTraining.DEFAULT_THREADS);

        ModelProvenance teacherProvenance = modelProvenance(ConvAutoencoderModel.class, examples, teacherRun,
                runProvenance);
        ConvAutoencoderModel teacherModel = teacher.thresholded(teacherProvenance, featureMap, examples, teacherNet,
                teacherLoss, data);

        RegressionFactory factory = new RegressionFactory();
        MutableOutputInfo<Regressor> info = factory.generateInfo();
        info.observe(new Regressor(TARGET_DIMENSION, 0.0));
        ImmutableOutputInfo<Regressor> regressionInfo = info.generateImmutableOutputInfo();
        List<StudentResult> results = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < students.size(); i++) {
            ConvRegressionTrainer st = students.get(i);
            for (StudentExposure exposure : exposures) {
                CoLearning.Student es = engineStudents.get(k++);
                SimpleDataSourceProvenance targets = new SimpleDataSourceProvenance("co-learning log teacher scores ("
                        + exposure + " exposure) of " + examples.getSourceDescription(), factory);
                ModelProvenance studentProvenance = new ModelProvenance(ConvRegressionModel.class.getName(),
                        OffsetDateTime.now(), new MutableDataset<>(targets, factory).getProvenance(),
                        studentRuns.get(i).provenance(), Collections.emptyMap());
                ConvRegressionModel studentModel = new ConvRegressionModel("conv-regression", studentProvenance,
                        featureMap, regressionInfo, st.spec(), es.network(), es.targetMean(), es.targetScale(),
                        TARGET_DIMENSION);
                Map<String, Provenance> instance = new HashMap<>(runProvenance);
                instance.put(DistilledAnomalyModel.TEACHER_MODEL_PROVENANCE, teacherModel.getProvenance());
                instance.put(DistilledAnomalyModel.STUDENT_MODEL_PROVENANCE, studentModel.getProvenance());
                String name = "colearned-" + exposure.name().toLowerCase(java.util.Locale.ROOT) + "-" + st.spec().spec();
                DistilledAnomalyModel detector = calibrated(data,
                        modelProvenance(DistilledAnomalyModel.class, examples, run, instance), thresholdQuantile, name,
                        (provenance, threshold) -> new DistilledAnomalyModel(name, provenance, featureMap,
                                examples.getOutputIDInfo(), studentModel, null, ScoreTransform.LOG, epsilon,
                                threshold));
                results.add(new StudentResult(i, exposure, detector, es.lossHistory()));
            }
        }
        return new Result(teacherModel, results);
    }

    @Override
    public String toString() {
        return "CoLearningDistillationTrainer(teacher=" + teacher + ",students=" + students + ",exposures="
                + exposures + ",exposureRatio=" + exposureRatio + ",noiseStd=" + noiseStd + ",epsilon=" + epsilon
                + ",thresholdQuantile=" + thresholdQuantile + ")";
    }
}
