package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.protos.DistilledAnomalyModelProto;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.regression.Regressor;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployable anomaly detector distilled from a teacher (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2: the student {@code g} is
 * trained so that {@code g(x_i) ≈ S_i}, the teacher's score).
 * <p>
 * It holds only the student {@code Model<Regressor>}, the optional input standardisation the student was trained
 * with, the {@link ScoreTransform} and the threshold: no part of the teacher. <b>Score</b>: the student's output
 * mapped back to the teacher's scale, {@code S(x) = exp(g(z)) − ε} for {@link ScoreTransform#LOG} or
 * {@code g(z)} for {@link ScoreTransform#RAW}, with {@code z} the standardised features. ANOMALOUS when the score
 * is strictly above {@link #threshold()}.
 * <p>
 * The provenance nests the distillation trainer's (itself nesting the teacher's and the student's trainer
 * provenance) and, as instance values {@code teacher-model} and {@code student-model}, the full provenance of the
 * teacher and student models. When the student is {@link ONNXExportable} (this library's MLP, Tribuo's LinearSGD
 * and FM models, ...) the whole detector exports to ONNX with standardisation and score transform in the graph.
 */
public final class DistilledAnomalyModel extends AbstractScoredAnomalyModel implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** Instance-provenance key of the teacher model's provenance. */
    public static final String TEACHER_MODEL_PROVENANCE = "teacher-model";
    /** Instance-provenance key of the student model's provenance. */
    public static final String STUDENT_MODEL_PROVENANCE = "student-model";

    /** The output of the examples handed to a general student at prediction time (ignored by predict). */
    private static final Regressor PLACEHOLDER_OUTPUT = new Regressor("score", Double.NaN);

    /** The regression model that predicts the teacher's (transformed) score. */
    private final Model<Regressor> student;
    /** The standardisation applied before the student, fitted on the training windows. */
    private final FeatureStandardizer standardizer;
    /** How the teacher's score was transformed into the student's target, and back. */
    private final ScoreTransform transform;
    /** The offset of the log-score transform, {@code ln(score + epsilon)}. */
    private final double epsilon;
    /** The feature names in the student's input order. */
    private final String[] featureNames;
    /** Whether the student predicts the log-ratio of the teacher's score to the input energy. */
    private final boolean energyBaseline;
    /** Raw per-feature bounds the student's inputs are clipped to (null: no clipping). */
    private final float[] clipLow;
    /** The raw upper bounds matching {@link #clipLow} (null: no clipping). */
    private final float[] clipHigh;
    private final transient ThreadLocal<double[]> energies;
    /** For an MLP student: the whole detector before the score transform, as one network on raw features. */
    private final transient FoldedMLP foldedStudent;
    private final transient ThreadLocal<double[]> studentOutputs;

    DistilledAnomalyModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                          ImmutableOutputInfo<Event> outputIDInfo, Model<Regressor> student,
                          FeatureStandardizer standardizer, ScoreTransform transform, double epsilon,
                          double threshold) {
        this(name, provenance, featureIDMap, outputIDInfo, student, standardizer, transform, epsilon, threshold,
                false, null, null);
    }

    DistilledAnomalyModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                          ImmutableOutputInfo<Event> outputIDInfo, Model<Regressor> student,
                          FeatureStandardizer standardizer, ScoreTransform transform, double epsilon,
                          double threshold, boolean energyBaseline, float[] clipLow, float[] clipHigh) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        if (student == null) {
            throw new IllegalArgumentException("The student model is missing");
        }
        if (transform == null) {
            throw new IllegalArgumentException("The score transform is missing");
        }
        if ((clipLow == null) != (clipHigh == null)) {
            throw new IllegalArgumentException("Clipping needs both bounds");
        }
        if (clipLow != null) {
            if (clipLow.length != featureIDMap.size() || clipHigh.length != featureIDMap.size()) {
                throw new IllegalArgumentException("Clipping bounds have " + clipLow.length + " and " + clipHigh.length
                        + " values for " + featureIDMap.size() + " features");
            }
            for (int j = 0; j < clipLow.length; j++) {
                if (!(clipLow[j] <= clipHigh[j])) {
                    throw new IllegalArgumentException("Clipping bounds of feature " + j + " are not ordered: ["
                            + clipLow[j] + ", " + clipHigh[j] + "]");
                }
            }
        }
        this.clipLow = clipLow == null ? null : clipLow.clone();
        this.clipHigh = clipHigh == null ? null : clipHigh.clone();
        if (energyBaseline && transform != ScoreTransform.LOG) {
            throw new IllegalArgumentException("The energy baseline needs the LOG score transform, found " + transform);
        }
        this.energyBaseline = energyBaseline;
        this.energies = ThreadLocal.withInitial(() -> new double[SCORING_BATCH]);
        this.student = student;
        this.standardizer = standardizer;
        this.transform = transform;
        this.epsilon = epsilon;
        this.featureNames = new String[featureIDMap.size()];
        for (int i = 0; i < featureNames.length; i++) {
            if (featureIDMap.get(i) == null) {
                throw new IllegalArgumentException("The feature domain has no feature with id " + i + " of "
                        + featureNames.length + " (feature ids must be 0 to " + (featureNames.length - 1) + ")");
            }
            featureNames[i] = featureIDMap.get(i).getName();
        }
        this.studentOutputs = ThreadLocal.withInitial(() -> new double[SCORING_BATCH]);
        this.foldedStudent = student instanceof MLPRegressionModel
                ? ((MLPRegressionModel) student).folded(standardizer) : null;
    }

    /**
     * The student regression model (a defensive copy).
     * @return The student.
     */
    public Model<Regressor> student() {
        return student.copy();
    }

    /**
     * The transform between the teacher's score and the student's target.
     * @return The transform.
     */
    public ScoreTransform scoreTransform() {
        return transform;
    }

    /**
     * ε of the {@link ScoreTransform#LOG} transform.
     * @return ε.
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Whether the student predicts the log-ratio of the teacher's score to the input energy
     * ({@link #inputEnergy(FeatureStandardizer, float[], int, int)}), so that the score is {@code (E(x) + ε)·exp(g(x)) − ε}.
     * @return True with the energy baseline.
     */
    public boolean energyBaseline() {
        return energyBaseline;
    }

    /**
     * The input energy {@code E(x)}: the mean over features of the squared standardised values (of the raw values
     * when the detector does not standardise), the score of the simplest detector (squared distance from the
     * training mean). With {@link #energyBaseline()} the student only learns how the teacher's score differs from
     * it, and far from the training data, where the student never learned, the score still grows with the distance.
     * @param standardizer The detector's standardisation, or null.
     * @param raw Raw rows.
     * @param offset Where the row starts.
     * @param d The number of features.
     * @return The energy.
     */
    static double inputEnergy(FeatureStandardizer standardizer, float[] raw, int offset, int d) {
        if (standardizer != null) {
            return standardizer.meanSquare(raw, offset);
        }
        double sum = 0;
        for (int c = 0; c < d; c++) {
            sum += (double) raw[offset + c] * raw[offset + c];
        }
        return sum / d;
    }

    /** Clips each raw feature of rows [0, n) to the student's training range, in place. */
    private void clip(float[] rows, int n, int d) {
        for (int r = 0; r < n; r++) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                float v = rows[o + j];
                rows[o + j] = v < clipLow[j] ? clipLow[j] : (v > clipHigh[j] ? clipHigh[j] : v);
            }
        }
    }

    /**
     * Whether the student's inputs are clipped to the range of its training inputs (then the student is only
     * asked where it learned, and, with the energy baseline, a score far from the data is the energy's).
     * @return True with clipping.
     */
    public boolean clipsStudentInputs() {
        return clipLow != null;
    }

    /**
     * Whether the input standardisation is part of this detector.
     * @return True when the student sees standardised features.
     */
    public boolean standardisesFeatures() {
        return standardizer != null;
    }

    /**
     * Parameters of the student when it is known how to count them (this library's MLP and convolutional
     * students), else -1.
     * @return The parameter count.
     */
    @Override
    public long numParameters() {
        if (student instanceof MLPRegressionModel) {
            return ((MLPRegressionModel) student).numParameters();
        } else if (student instanceof ConvRegressionModel) {
            return ((ConvRegressionModel) student).numParameters();
        }
        return -1;
    }

    /** Standardises the rows in place, runs the student, maps its outputs to the teacher's scale. */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        int d = featureIDMap.size();
        double[] y = studentOutputs.get();
        double[] e = energies.get();
        if (energyBaseline) {
            for (int r = 0; r < n; r++) {
                e[r] = Math.log(inputEnergy(standardizer, rows, r * d, d) + epsilon);
            }
        }
        if (clipLow != null) {
            clip(rows, n, d);
        }
        if (foldedStudent != null) {
            foldedStudent.predictMatrix(rows, n, y, 1);
        } else if (student instanceof ConvRegressionModel && standardizer == null) {
            ((ConvRegressionModel) student).predictMatrix(rows, n, y);
        } else {
            if (standardizer != null) {
                standardizer.applyInPlace(rows, n);
            }
            // A general Tribuo student needs examples (this path allocates; our MLP above does not).
            List<Example<Regressor>> batch = new ArrayList<>(n);
            for (int r = 0; r < n; r++) {
                double[] values = new double[d];
                for (int j = 0; j < d; j++) {
                    values[j] = rows[r * d + j];
                }
                batch.add(new ArrayExample<>(PLACEHOLDER_OUTPUT, featureNames, values));
            }
            List<Prediction<Regressor>> predictions = student.predict(batch);
            for (int r = 0; r < n; r++) {
                y[r] = predictions.get(r).getOutput().getValues()[0];
            }
        }
        if (energyBaseline) {
            for (int r = 0; r < n; r++) {
                out[offset + r] = transform.toScore(y[r] + e[r], epsilon);
            }
        } else {
            for (int r = 0; r < n; r++) {
                out[offset + r] = transform.toScore(y[r], epsilon);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public DistilledAnomalyModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        return (DistilledAnomalyModel) super.withNonFiniteScorePolicy(policy);
    }

    @Override
    public DistilledAnomalyModel copy() {
        return (DistilledAnomalyModel) super.copy();
    }

    @Override
    protected DistilledAnomalyModel copy(String newName, ModelProvenance newProvenance) {
        return new DistilledAnomalyModel(newName, newProvenance, featureIDMap, outputIDInfo, student.copy(),
                standardizer, transform, epsilon, threshold, energyBaseline, clipLow, clipHigh);
    }

    /**
     * Whether {@link #exportONNXModel} can succeed: the student must be {@link ONNXExportable}.
     * @return True when the student exports to ONNX.
     */
    public boolean isONNXExportable() {
        return student instanceof ONNXExportable;
    }

    /**
     * Exports the whole detector in {@link OnnxDetectorExport}'s shape: raw input {@code "input" [batch,
     * numFeatures]} (features in id order, i.e. sorted by name), outputs {@code "score" [batch, 1]} (the score in the
     * teacher's scale) and {@code "anomalous" [batch, 1]} (score {@code >} {@link #threshold()}); provenance, feature
     * order and threshold in the metadata.
     * @throws IllegalStateException If the student is not ONNX-exportable.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-DistilledAnomalyModel");
        ONNXPlaceholder input = OnnxDetectorExport.input(ctx, featureIDMap.size());
        return OnnxDetectorExport.build(ctx, writeONNXGraph(input), threshold,
                OnnxDetectorExport.featureNames(featureIDMap), domain, modelVersion, this, Map.of());
    }

    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        if (!isONNXExportable()) {
            throw new IllegalStateException("The student " + student.getClass().getSimpleName() + " (trained by "
                    + student.getProvenance().getTrainerProvenance().getClassName()
                    + ") is not ONNXExportable, so this distilled model cannot be exported; distil into an ONNX-exportable student (e.g. MLPRegressionTrainer, "
                    + "LinearSGDTrainer, FMRegressionTrainer) to export");
        }
        ONNXRef<?> z = standardizer == null ? input : OnnxGraphs.standardize(input, standardizer, "distilled_input");
        ONNXRef<?> studentInput = z;
        if (clipLow != null) {
            ONNXRef<?> clipped = input
                    .apply(KDOnnxOperators.MAX, input.onnxContext().array("student_clip_low", clipLow))
                    .apply(KDOnnxOperators.MIN, input.onnxContext().array("student_clip_high", clipHigh));
            studentInput = standardizer == null ? clipped
                    : OnnxGraphs.standardize(clipped, standardizer, "distilled_clipped_input");
        }
        ONNXNode y = ((ONNXExportable) student).writeONNXGraph(studentInput);
        if (transform == ScoreTransform.LOG) {
            ONNXInitializer eps = input.onnxContext().array("score_epsilon", new float[]{(float) epsilon});
            if (energyBaseline) {
                // ln(E + eps), E = ReduceMean(z * z) over the features, [batch, 1].
                Map<String, Object> attributes = new HashMap<>();
                attributes.put("axes", new int[]{1});
                attributes.put("keepdims", 1);
                ONNXNode logEnergy = z.apply(ONNXOperators.MUL, z).apply(ONNXOperators.REDUCE_MEAN, attributes)
                        .apply(ONNXOperators.ADD, eps).apply(KDOnnxOperators.LOG);
                y = y.apply(ONNXOperators.ADD, logEnergy);
            }
            return y.apply(KDOnnxOperators.EXP).apply(ONNXOperators.SUB, eps);
        }
        return y;
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        DistilledAnomalyModelProto.Builder b = DistilledAnomalyModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setStudent(student.serialize().toByteString())
                .setScoreTransform(transform.name())
                .setEpsilon(epsilon)
                .setThreshold(threshold)
                .setEnergyBaseline(energyBaseline);
        if (clipLow != null) {
            for (int j = 0; j < clipLow.length; j++) {
                b.addClipLow(clipLow[j]);
                b.addClipHigh(clipHigh[j]);
            }
        }
        if (standardizer != null) {
            b.setStandardizer(standardizer.toProto());
        }
        return ProtoSupport.modelProto(CURRENT_VERSION, DistilledAnomalyModel.class, b.build());
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message or the nested student cannot be parsed.
     */
    @SuppressWarnings("unchecked")
    public static DistilledAnomalyModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = DistilledAnomalyModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        DistilledAnomalyModelProto proto = ProtoSupport.unpack(message, DistilledAnomalyModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        Model<?> studentModel = ProtoSupport.nestedModel(proto.getStudent(), me, "student");
        if (!studentModel.validate(Regressor.class)) {
            throw ProtoSupport.invalid(me, "student", "is not a Model<Regressor> ("
                    + studentModel.getClass().getName() + ")");
        }
        ImmutableFeatureMap features = carrier.featureDomain();
        int d = features.size();
        // a student of another library (Tribuo's LinearSGD, CART, ...) was not checked by readMetadata
        ImmutableFeatureMap studentFeatures = ProtoSupport.checkFeatureDomain(studentModel.getFeatureIDMap(), me,
                "student");
        if (studentFeatures.size() != d) {
            throw ProtoSupport.invalid(me, "student", "reads " + studentFeatures.size() + " features, but the detector"
                    + " has " + d + " (a student of another detector?)");
        }
        for (int j = 0; j < d; j++) {
            if (!features.get(j).getName().equals(studentFeatures.get(j).getName())) {
                throw ProtoSupport.invalid(me, "student", "reads feature '" + studentFeatures.get(j).getName()
                        + "' where the detector has '" + features.get(j).getName() + "' (feature id " + j + ")");
            }
        }
        FeatureStandardizer std = proto.hasStandardizer()
                ? ProtoSupport.standardizer(proto.getStandardizer(), d, me, "standardizer") : null;
        if (proto.getScoreTransform().isEmpty()) {
            throw ProtoSupport.invalid(me, "score_transform", "is missing (expected one of "
                    + java.util.Arrays.toString(ScoreTransform.values()) + ")");
        }
        ScoreTransform transform;
        try {
            transform = ScoreTransform.valueOf(proto.getScoreTransform());
        } catch (IllegalArgumentException e) {
            throw ProtoSupport.invalid(me, "score_transform", "is '" + proto.getScoreTransform() + "', expected one of "
                    + java.util.Arrays.toString(ScoreTransform.values()));
        }
        double epsilon = proto.getEpsilon();
        double threshold;
        if (transform == ScoreTransform.LOG) {
            ProtoSupport.positive(epsilon, me, "epsilon");
            // S = exp(y) − ε > −ε
            threshold = ProtoSupport.atLeast(proto.getThreshold(), -epsilon, me, "threshold");
        } else {
            ProtoSupport.finite(epsilon, me, "epsilon");
            threshold = ProtoSupport.finite(proto.getThreshold(), me, "threshold");
        }
        boolean clipped = proto.getClipLowCount() > 0 || proto.getClipHighCount() > 0;
        float[] clipLow = clipped ? ProtoSupport.finiteFloats(proto.getClipLowList(), d, me, "clip_low") : null;
        float[] clipHigh = clipped ? ProtoSupport.finiteFloats(proto.getClipHighList(), d, me, "clip_high") : null;
        try {
            return new DistilledAnomalyModel(carrier.name(), carrier.provenance(), features,
                    (ImmutableOutputInfo<Event>) carrier.outputDomain(), (Model<Regressor>) studentModel, std,
                    transform, epsilon, threshold, proto.getEnergyBaseline(), clipLow, clipHigh);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + e.getMessage(), e);
        }
    }
}
