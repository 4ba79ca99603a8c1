package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
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
import java.util.List;

/**
 * A deployable anomaly detector distilled from a teacher (Pol et al., seed 001, §2: the student {@code g} is
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

    private final Model<Regressor> student;
    private final FeatureStandardizer standardizer;
    private final ScoreTransform transform;
    private final double epsilon;
    private final String[] featureNames;
    /** For an MLP student: the whole detector before the score transform, as one network on raw features. */
    private final transient FoldedMLP foldedStudent;
    private final transient ThreadLocal<double[]> studentOutputs;

    DistilledAnomalyModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                          ImmutableOutputInfo<Event> outputIDInfo, Model<Regressor> student,
                          FeatureStandardizer standardizer, ScoreTransform transform, double epsilon,
                          double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        this.student = student;
        this.standardizer = standardizer;
        this.transform = transform;
        this.epsilon = epsilon;
        this.featureNames = new String[featureIDMap.size()];
        for (int i = 0; i < featureNames.length; i++) {
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
        for (int r = 0; r < n; r++) {
            out[offset + r] = transform.toScore(y[r], epsilon);
        }
    }

    @Override
    protected DistilledAnomalyModel copy(String newName, ModelProvenance newProvenance) {
        return new DistilledAnomalyModel(newName, newProvenance, featureIDMap, outputIDInfo, student.copy(),
                standardizer, transform, epsilon, threshold);
    }

    /**
     * Whether {@link #exportONNXModel} can succeed: the student must be {@link ONNXExportable}.
     * @return True when the student exports to ONNX.
     */
    public boolean isONNXExportable() {
        return student instanceof ONNXExportable;
    }

    /**
     * Exports the detector: input {@code "input" [batch, numFeatures]} (features in id order, i.e. sorted by name),
     * output {@code "output" [batch, 1]}, the score in the teacher's scale. Provenance is in the metadata.
     * @throws IllegalStateException If the student is not ONNX-exportable.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-DistilledAnomalyModel");
        ONNXPlaceholder input = ctx.floatInput("input", featureIDMap.size());
        ONNXPlaceholder output = ctx.floatOutput("output", 1);
        writeONNXGraph(input).assignTo(output);
        return ONNXExportable.buildModel(ctx, domain, modelVersion, this);
    }

    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        if (!isONNXExportable()) {
            throw new IllegalStateException("The student " + student.getClass().getName()
                    + " is not ONNXExportable; distil into an ONNX-exportable student (e.g. MLPRegressionTrainer, "
                    + "LinearSGDTrainer, FMRegressionTrainer) to export");
        }
        ONNXRef<?> z = standardizer == null ? input : OnnxGraphs.standardize(input, standardizer, "distilled_input");
        ONNXNode y = ((ONNXExportable) student).writeONNXGraph(z);
        if (transform == ScoreTransform.LOG) {
            ONNXInitializer eps = input.onnxContext().array("score_epsilon", new float[]{(float) epsilon});
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
                .setThreshold(threshold);
        if (standardizer != null) {
            b.setStandardizer(standardizer.toProto());
        }
        return ModelProto.newBuilder()
                .setVersion(CURRENT_VERSION)
                .setClassName(DistilledAnomalyModel.class.getName())
                .setSerializedData(Any.pack(b.build()))
                .build();
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
        DistilledAnomalyModelProto proto = message.unpack(DistilledAnomalyModelProto.class);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        ByteString studentBytes = proto.getStudent();
        if (studentBytes.isEmpty()) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": the student model is missing");
        }
        Model<?> studentModel = Model.deserialize(ModelProto.parseFrom(studentBytes));
        if (!studentModel.validate(Regressor.class)) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": the student is not a Model<Regressor> ("
                    + studentModel.getClass().getName() + ")");
        }
        int d = carrier.featureDomain().size();
        FeatureStandardizer std = proto.hasStandardizer()
                ? FeatureStandardizer.fromProto(proto.getStandardizer(), d) : null;
        ScoreTransform transform;
        try {
            transform = ScoreTransform.valueOf(proto.getScoreTransform());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": unknown score transform '"
                    + proto.getScoreTransform() + "'", e);
        }
        return new DistilledAnomalyModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), (Model<Regressor>) studentModel, std, transform,
                proto.getEpsilon(), proto.getThreshold());
    }
}
