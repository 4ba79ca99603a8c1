package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import io.github.tribuokd.anomaly.exposure.ExposureGenerator;
import io.github.tribuokd.anomaly.exposure.ExposureMix;
import io.github.tribuokd.anomaly.exposure.NormalInputs;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.dataset.DatasetView;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Score-regression knowledge distillation (Pol et al., "Knowledge Distillation for Anomaly Detection", seed 001,
 * §2): a teacher anomaly detector is trained unsupervised; a student — any Tribuo regression trainer — is then
 * trained to regress the teacher's score, {@code g(x_i) ≈ S_i}, by default its log {@code ln(S_i + ε)} (§2.1).
 * <p>
 * Protocol on the training dataset (normal data, in time order): the first {@code 1 − calibrationFraction} of
 * the examples train the teacher and the student; the student's scores on the remaining tail set the threshold
 * at {@code thresholdQuantile}, capped at the student's largest score on its fitting rows (with a warning in the
 * model's provenance, {@link TrainingWarnings}): a student that extrapolates its log target on an unusual tail
 * (a threshold of 1.4e10 against the teacher's 8.2 on the first 2,000 rows of SMD machine-1-2) keeps a threshold
 * in the range it was fitted on. Features are standardised for the student (statistics of the fitting part) unless
 * {@code standardiseFeatures} is false; the standardisation is part of the result and of its ONNX graph.
 * <p>
 * <b>Exposure</b> (seed 001, §2.3–2.4, generalised): with {@link #exposures} configured, the student's training set
 * also holds inputs away from the normal data, made by the generators from the fitting rows and labelled with the
 * teacher's score, so the student learns the teacher's score where anomalies lie instead of extrapolating to it.
 * They make up {@link #exposureFraction} of the student's training rows; they never reach the teacher's training
 * data, the student's feature standardisation or the threshold calibration. The generators draw from
 * {@code SplittableRandom(exposureSeed)} split once per earlier training invocation, so a model's provenance
 * reproduces its exposed inputs.
 * <p>
 * {@link #distil(Model, Dataset)} distils an already trained teacher model instead. The result is a
 * {@link DistilledAnomalyModel} holding only the student.
 */
public final class ScoreDistillationTrainer extends AbstractKDTrainer<Event, DistilledAnomalyModel>
        implements DistillationTrainer<DistilledAnomalyModel> {

    private static final Logger logger = Logger.getLogger(ScoreDistillationTrainer.class.getName());

    /** Key of the instance provenance that records how many exposed inputs the student trained on. */
    public static final String EXPOSED_EXAMPLES_PROVENANCE = "exposed-examples";

    /** Name of the student's regression dimension. */
    public static final String TARGET_DIMENSION = "teacher-score";

    @Config(description = "The teacher: an unsupervised anomaly trainer whose scores are higher for anomalies. "
            + "Optional when only distil(Model, Dataset) is used.")
    private Trainer<Event> teacher;

    @Config(mandatory = true, description = "The student: any regression trainer.")
    private Trainer<Regressor> student;

    @Config(description = "The student's target: LOG = ln(score + epsilon) (seed 001) or RAW = score.")
    private ScoreTransform scoreTransform = ScoreTransform.LOG;

    @Config(description = "epsilon of the LOG transform.")
    private double epsilon = 1e-6;

    @Config(description = "Standardise features for the student (statistics of the fitting part).")
    private boolean standardiseFeatures = true;

    @Config(description = "Floor on each feature's standardisation scale for the student (0: none). Set it as the "
            + "teacher's, so that both see the same standardised inputs.")
    private double minScale = 0.0;

    @Config(description = "Energy baseline: the student learns ln(S + eps) - ln(E + eps), the log-ratio of the "
            + "teacher's score S to the input energy E (mean squared standardised feature), and the detector scores "
            + "(E + eps) exp(g(x)) - eps. Far from the normal data, where the student never learned, the score then "
            + "still grows with the distance. Needs the LOG transform.")
    private boolean energyBaseline = false;

    @Config(description = "Clip each of the student's input features to the range it took on the student's "
            + "training rows (normal and exposed), so the student is never asked where it did not learn; with the "
            + "energy baseline a score far from the data is then the energy's.")
    private boolean clipStudentInputs = false;

    @Config(description = "Fraction of the training examples (the time-ordered tail) used to set the threshold.")
    private double calibrationFraction = 0.1;

    @Config(description = "Quantile of the student's calibration scores used as the threshold.")
    private double thresholdQuantile = 0.99;

    @Config(description = "What to do with training examples labelled ANOMALOUS.")
    private AnomalousLabelPolicy anomalousLabels = AnomalousLabelPolicy.REJECT;

    @Config(description = "Exposure generators: inputs away from the normal data, scored by the teacher and added "
            + "to the student's training set only. Empty: no exposure (the seed's plain distillation).")
    private List<ExposureGenerator> exposures = new ArrayList<>();

    @Config(description = "Share of exposed inputs among the student's training rows, in [0, 1); used only when "
            + "exposures are configured.")
    private double exposureFraction = 0.5;

    @Config(description = "Seed of the exposure generators.")
    private long exposureSeed = 12345L;

    @Config(description = "Names of the features the student sees (the sensors available at deployment); empty: "
            + "all of them. The teacher always sees every feature of the training data, which makes the others "
            + "privileged information (Lopez-Paz et al., ICLR 2016). For windows, WindowLayout.featureNamesOf "
            + "names every step of chosen variables.")
    private List<String> studentFeatures = new ArrayList<>();

    /** For OLCUT. */
    private ScoreDistillationTrainer() { }

    /**
     * Distillation with the seed's defaults: log target, standardised features, 10% calibration tail, threshold
     * at its 0.99 quantile.
     * @param teacher The teacher trainer.
     * @param student The student trainer.
     */
    public ScoreDistillationTrainer(Trainer<Event> teacher, Trainer<Regressor> student) {
        this(teacher, student, ScoreTransform.LOG, 1e-6, true, 0.1, 0.99);
    }

    /**
     * Distillation with every setting given.
     * @param teacher The teacher trainer (may be null when only {@link #distil} is used).
     * @param student The student trainer.
     * @param scoreTransform The target transform.
     * @param epsilon ε of the log transform (> 0).
     * @param standardiseFeatures Whether the student sees standardised features.
     * @param calibrationFraction Tail fraction used for the threshold, in [0, 1).
     * @param thresholdQuantile Threshold quantile in [0, 1].
     */
    public ScoreDistillationTrainer(Trainer<Event> teacher, Trainer<Regressor> student, ScoreTransform scoreTransform,
                                    double epsilon, boolean standardiseFeatures, double calibrationFraction,
                                    double thresholdQuantile) {
        this.teacher = teacher;
        this.student = student;
        this.scoreTransform = scoreTransform;
        this.epsilon = epsilon;
        this.standardiseFeatures = standardiseFeatures;
        this.calibrationFraction = calibrationFraction;
        this.thresholdQuantile = thresholdQuantile;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (student == null) {
            throw new IllegalArgumentException("A student regression trainer is required");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive, found " + epsilon);
        }
        checkFraction("calibrationFraction", calibrationFraction);
        checkThresholdQuantile(thresholdQuantile);
        FeatureStandardizer.checkMinScale(minScale);
        if (energyBaseline && scoreTransform != ScoreTransform.LOG) {
            throw new IllegalArgumentException("energyBaseline needs scoreTransform LOG, found " + scoreTransform);
        }
        if (!(exposureFraction >= 0 && exposureFraction < 1)) {
            throw new IllegalArgumentException("exposureFraction must be in [0, 1), found " + exposureFraction);
        }
        if (exposures == null) {
            exposures = new ArrayList<>();
        }
        if (studentFeatures == null) {
            studentFeatures = new ArrayList<>();
        }
        StudentFeatures.checkDistinct(studentFeatures);
        for (int i = 0; i < exposures.size(); i++) {
            if (exposures.get(i) == null) {
                throw new IllegalArgumentException("Exposure generator " + i + " is null");
            }
        }
    }

    /**
     * Adds exposure (seed 001, §2.3–2.4) to this trainer: the generators' inputs, scored by the teacher, make up
     * {@code fraction} of the student's training rows.
     * @param generators The generators (at least one).
     * @param fraction The share of exposed rows among the student's training rows, in (0, 1).
     * @param seed The generators' seed.
     * @return This trainer.
     */
    public ScoreDistillationTrainer withExposure(List<? extends ExposureGenerator> generators, double fraction,
                                                 long seed) {
        if (generators == null || generators.isEmpty()) {
            throw new IllegalArgumentException("withExposure needs at least one generator");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("The exposure fraction must be in (0, 1), found " + fraction);
        }
        this.exposures = new ArrayList<>(generators);
        this.exposureFraction = fraction;
        this.exposureSeed = seed;
        postConfig();
        return this;
    }

    /**
     * Lets the student see only the named features, the sensors available at deployment; the teacher still sees
     * every feature of the training data (privileged information, Lopez-Paz et al., "Unifying distillation and
     * privileged information", ICLR 2016). The distilled model's feature domain is these features alone: it scores
     * examples that carry them, and refuses an example with any other feature, by name, like every model here.
     * @param names The student's feature names (each a feature of the training data); empty: all features.
     * @return This trainer.
     */
    public ScoreDistillationTrainer withStudentFeatures(List<String> names) {
        this.studentFeatures = new ArrayList<>(names);
        postConfig();
        return this;
    }

    /**
     * The names of the features the student sees.
     * @return A copy of the list; empty means every feature of the training data.
     */
    public List<String> studentFeatures() {
        return new ArrayList<>(studentFeatures);
    }

    /**
     * Sets the floor on each feature's standardisation scale for the student.
     * @param minScale The floor, finite and non-negative (0: none).
     * @return This trainer.
     */
    public ScoreDistillationTrainer withMinScale(double minScale) {
        this.minScale = minScale;
        postConfig();
        return this;
    }

    /**
     * Switches the energy baseline on or off (see the {@code energyBaseline} configuration).
     * @param on Whether the student learns the log-ratio of the teacher's score to the input energy.
     * @return This trainer.
     */
    public ScoreDistillationTrainer withEnergyBaseline(boolean on) {
        this.energyBaseline = on;
        postConfig();
        return this;
    }

    /**
     * Switches the clipping of the student's inputs to their training range on or off.
     * @param on Whether to clip.
     * @return This trainer.
     */
    public ScoreDistillationTrainer withClippedStudentInputs(boolean on) {
        this.clipStudentInputs = on;
        return this;
    }

    /**
     * The floor on each feature's standardisation scale for the student.
     * @return The floor (0: none).
     */
    @Override
    public double minScale() {
        return minScale;
    }

    /**
     * The fraction of the training examples (the time-ordered tail) that sets the threshold.
     * @return The calibration fraction.
     */
    @Override
    public double calibrationFraction() {
        return calibrationFraction;
    }

    /**
     * The exposure generators (empty without exposure).
     * @return A copy of the list.
     */
    public List<ExposureGenerator> exposures() {
        return new ArrayList<>(exposures);
    }

    /**
     * The number of exposed rows added to {@code fitRows} normal rows: {@code round(fitRows · f / (1 − f))}, so they
     * are the share {@code f = exposureFraction} of the student's training rows (0 without generators).
     * @param fitRows The number of normal rows the student trains on.
     * @return The number of exposed rows.
     */
    public int exposedRows(int fitRows) {
        if (exposures.isEmpty() || exposureFraction == 0) {
            return 0;
        }
        return Math.toIntExact(Math.round(fitRows * exposureFraction / (1 - exposureFraction)));
    }

    /**
     * Sets the policy for ANOMALOUS training labels.
     * @param policy The policy.
     * @return This trainer.
     */
    public ScoreDistillationTrainer withAnomalousLabels(AnomalousLabelPolicy policy) {
        this.anomalousLabels = policy;
        return this;
    }

    /**
     * Refuses to train without a teacher trainer (an already trained teacher is distilled by {@code distil}).
     * @param examples Normal training data in time order.
     */
    @Override
    protected void checkBeforeRun(Dataset<Event> examples) {
        if (teacher == null) {
            throw new IllegalStateException("No teacher trainer is configured; use distil(teacherModel, dataset) to "
                    + "distil an already trained teacher");
        }
    }

    @Override
    protected DistilledAnomalyModel fit(Dataset<Event> examples, Map<String, Provenance> runProvenance, Run run) {
        return teacherAndStudent(examples, runProvenance, run).student();
    }

    /**
     * As {@link #train(Dataset, Map, int)}, and also returns the teacher model (for reports that compare the two).
     * @param examples Normal training data in time order.
     * @param runProvenance Extra provenance to record.
     * @param invocationCount The invocation count to set first, or {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The teacher and the distilled detector.
     */
    @Override
    public TeacherStudentPair<DistilledAnomalyModel> trainTeacherAndStudent(Dataset<Event> examples,
                                                                            Map<String, Provenance> runProvenance,
                                                                            int invocationCount) {
        checkBeforeRun(examples);
        return teacherAndStudent(examples, runProvenance, startRun(invocationCount));
    }

    private TeacherStudentPair<DistilledAnomalyModel> teacherAndStudent(Dataset<Event> examples,
                                                                        Map<String, Provenance> runProvenance,
                                                                        Run run) {
        TrainingData data = calibrationData(examples);
        int[] fitIndices = java.util.Arrays.copyOf(data.originalIndices, data.fitRows);
        Dataset<Event> fitView = new DatasetView<>(examples, fitIndices, "distillation-fit");
        logger.info("ScoreDistillationTrainer: training the teacher on " + data.fitRows + " examples");
        Model<Event> teacherModel = teacher.train(fitView);
        return new TeacherStudentPair<>(teacherModel, distil(teacherModel, examples, data, run, runProvenance));
    }

    /**
     * Distils an already trained teacher model into the student, on the same protocol as {@link #train}.
     * @param teacherModel A trained teacher (higher score = more anomalous).
     * @param examples Normal training data in time order, with the teacher's features.
     * @return The distilled detector.
     */
    public DistilledAnomalyModel distil(Model<Event> teacherModel, Dataset<Event> examples) {
        Run run = startRun(INCREMENT_INVOCATION_COUNT);
        return distil(teacherModel, examples, calibrationData(examples), run, Collections.emptyMap());
    }

    private TrainingData calibrationData(Dataset<Event> examples) {
        return TrainingData.of(examples, examples.getFeatureIDMap(), anomalousLabels, calibrationFraction,
                "ScoreDistillationTrainer");
    }

    private DistilledAnomalyModel distil(Model<Event> teacherModel, Dataset<Event> examples, TrainingData data,
                                         Run run, Map<String, Provenance> runProvenance) {
        ImmutableFeatureMap teacherFeatures = examples.getFeatureIDMap();
        double[] teacherScores = teacherScores(teacherModel, data.examples);

        float[] fit = data.rows(0, data.fitRows);
        int exposedCount = exposedRows(data.fitRows);
        float[] exposed = null;
        double[] exposedScores = null;
        if (exposedCount > 0) {
            SplittableRandom rng = SeededInvocations.after(exposureSeed, run.invocation());
            exposed = ExposureMix.generate(exposures, NormalInputs.of(fit, data.fitRows, teacherFeatures),
                    exposedCount, rng);
            exposedScores = teacherScoresOfRows(teacherModel, exposed, exposedCount, teacherFeatures);
        }
        // The teacher has scored every row on all features; from here on the student's features alone.
        ImmutableFeatureMap featureMap = teacherFeatures;
        if (!studentFeatures.isEmpty()) {
            int[] columns = StudentFeatures.columns(studentFeatures, teacherFeatures, "ScoreDistillationTrainer");
            featureMap = StudentFeatures.subsetMap(teacherFeatures, columns);
            fit = TrainingData.selectColumns(fit, data.fitRows, teacherFeatures.size(), columns);
            if (exposed != null) {
                exposed = TrainingData.selectColumns(exposed, exposedCount, teacherFeatures.size(), columns);
            }
            data = data.onColumns(columns, featureMap);
        }
        int d = featureMap.size();
        FeatureStandardizer standardizer = standardiseFeatures
                ? FeatureStandardizer.fit(fit, data.fitRows, d, minScale) : null;
        float[] clipLow = null, clipHigh = null;
        if (clipStudentInputs) {
            clipLow = new float[d];
            clipHigh = new float[d];
            java.util.Arrays.fill(clipLow, Float.POSITIVE_INFINITY);
            java.util.Arrays.fill(clipHigh, Float.NEGATIVE_INFINITY);
            widen(clipLow, clipHigh, fit, data.fitRows, d);
            if (exposed != null) {
                widen(clipLow, clipHigh, exposed, exposedCount, d);
            }
        }
        double[] fitEnergy = energyBaseline ? logEnergies(standardizer, fit, data.fitRows, d) : null;
        double[] exposedEnergy = energyBaseline && exposed != null
                ? logEnergies(standardizer, exposed, exposedCount, d) : null;
        if (standardizer != null) {
            standardizer.applyInPlace(fit, data.fitRows);
        }
        String[] names = new String[d];
        for (int i = 0; i < d; i++) {
            names[i] = featureMap.get(i).getName();
        }
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> regression = new MutableDataset<>(new SimpleDataSourceProvenance(
                "teacher scores (" + scoreTransform + ") of " + examples.getSourceDescription(), factory), factory);
        double[] values = new double[d];
        for (int r = 0; r < data.fitRows; r++) {
            for (int j = 0; j < d; j++) {
                values[j] = fit[r * d + j];
            }
            double target = scoreTransform.toTarget(teacherScores[r], epsilon) - (fitEnergy == null ? 0 : fitEnergy[r]);
            regression.add(new ArrayExample<>(new Regressor(TARGET_DIMENSION, target), names, values));
        }
        int exposedKept = 0;
        if (exposed != null) {
            // Standardised with the normal rows' statistics, like every input the student will see.
            if (standardizer != null) {
                standardizer.applyInPlace(exposed, exposedCount);
            }
            for (int r = 0; r < exposedCount; r++) {
                double score = exposedScores[r];
                if (!Double.isFinite(score) || (scoreTransform == ScoreTransform.LOG && score + epsilon <= 0)) {
                    continue;
                }
                boolean finite = true;
                for (int j = 0; j < d; j++) {
                    values[j] = exposed[r * d + j];
                    finite &= Float.isFinite(exposed[r * d + j]);
                }
                if (!finite) {
                    continue;
                }
                regression.add(new ArrayExample<>(new Regressor(TARGET_DIMENSION,
                        scoreTransform.toTarget(score, epsilon) - (exposedEnergy == null ? 0 : exposedEnergy[r])),
                        names, values));
                exposedKept++;
            }
            if (exposedKept < exposedCount) {
                logger.warning("ScoreDistillationTrainer: " + (exposedCount - exposedKept) + " of " + exposedCount
                        + " exposed inputs were dropped (non-finite input or teacher score)");
            }
        }
        logger.info("ScoreDistillationTrainer: training the student on " + data.fitRows + " teacher scores ("
                + scoreTransform + ")" + (exposed == null ? "" : " and " + exposedKept + " exposed inputs from "
                + exposures.size() + " generator(s)"));
        Model<Regressor> studentModel = student.train(regression);

        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(EXPOSED_EXAMPLES_PROVENANCE, new IntProvenance(EXPOSED_EXAMPLES_PROVENANCE, exposedKept));
        instance.put(DistilledAnomalyModel.TEACHER_MODEL_PROVENANCE, teacherModel.getProvenance());
        instance.put(DistilledAnomalyModel.STUDENT_MODEL_PROVENANCE, studentModel.getProvenance());
        float[] low = clipLow;
        float[] high = clipHigh;
        ImmutableFeatureMap domain = featureMap;
        return calibrated(data, modelProvenance(DistilledAnomalyModel.class, examples, run, instance),
                thresholdQuantile, null, (provenance, threshold) -> new DistilledAnomalyModel("distilled-"
                        + teacherModel.getName(), provenance, domain, examples.getOutputIDInfo(), studentModel,
                        standardizer, scoreTransform, epsilon, threshold, energyBaseline, low, high));
    }

    /** Widens per-feature bounds to cover the finite values of raw rows. */
    private static void widen(float[] low, float[] high, float[] rows, int n, int d) {
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                float v = rows[r * d + j];
                if (Float.isFinite(v)) {
                    low[j] = Math.min(low[j], v);
                    high[j] = Math.max(high[j], v);
                }
            }
        }
    }

    /** {@code ln(E + ε)} of each raw row, E the input energy of {@link DistilledAnomalyModel#inputEnergy}. */
    private double[] logEnergies(FeatureStandardizer standardizer, float[] raw, int n, int d) {
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            out[r] = Math.log(DistilledAnomalyModel.inputEnergy(standardizer, raw, r * d, d) + epsilon);
        }
        return out;
    }

    /**
     * The teacher's scores of raw rows: through {@link ScoredModel#scoreMatrix} when the teacher is one of this
     * library's, else through examples and {@code predict}.
     */
    private static double[] teacherScoresOfRows(Model<Event> teacherModel, float[] rows, int n,
                                                ImmutableFeatureMap featureMap) {
        double[] scores = new double[n];
        if (teacherModel instanceof ScoredModel) {
            ((ScoredModel) teacherModel).scoreMatrix(rows, n, scores);
            return scores;
        }
        int d = featureMap.size();
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = featureMap.get(j).getName();
        }
        List<Example<Event>> batch = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            double[] values = new double[d];
            for (int j = 0; j < d; j++) {
                values[j] = rows[r * d + j];
            }
            batch.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, values));
        }
        List<Prediction<Event>> predictions = teacherModel.predict(batch);
        for (int r = 0; r < n; r++) {
            scores[r] = predictions.get(r).getOutput().getScore();
        }
        return scores;
    }

    private double[] teacherScores(Model<Event> teacherModel, List<Example<Event>> examples) {
        double[] scores;
        if (teacherModel instanceof ScoredModel) {
            scores = ((ScoredModel) teacherModel).scores(examples);
        } else {
            List<Prediction<Event>> predictions = teacherModel.predict(examples);
            scores = new double[predictions.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = predictions.get(i).getOutput().getScore();
            }
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalStateException("The teacher's score of training example " + i + " is " + scores[i]);
            }
            if (scoreTransform == ScoreTransform.LOG && scores[i] + epsilon <= 0) {
                throw new IllegalStateException("The LOG transform needs teacher scores > -epsilon, but example " + i
                        + " scores " + scores[i] + ". Use ScoreTransform.RAW for teachers with signed scores");
            }
        }
        return scores;
    }

    @Override
    public String toString() {
        return "ScoreDistillationTrainer(teacher=" + teacher + ",student=" + student + ",scoreTransform="
                + scoreTransform + ",epsilon=" + epsilon + ",standardiseFeatures=" + standardiseFeatures
                + (minScale > 0 ? ",minScale=" + minScale : "") + (energyBaseline ? ",energyBaseline=true" : "")
                + (clipStudentInputs ? ",clipStudentInputs=true" : "")
                + (studentFeatures.isEmpty() ? "" : ",studentFeatures=" + studentFeatures.size())
                + ",calibrationFraction=" + calibrationFraction + ",thresholdQuantile=" + thresholdQuantile
                + (exposures.isEmpty() ? "" : ",exposures=" + exposures + ",exposureFraction=" + exposureFraction
                + ",exposureSeed=" + exposureSeed) + ")";
    }
}
