package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.protos.DistilledAnomalyModelProto;
import org.tribuo.Example;
import org.tribuo.Excuse;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
public final class DistilledAnomalyModel extends Model<Event> implements ScoredModel, ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** Instance-provenance key of the teacher model's provenance. */
    public static final String TEACHER_MODEL_PROVENANCE = "teacher-model";
    /** Instance-provenance key of the student model's provenance. */
    public static final String STUDENT_MODEL_PROVENANCE = "student-model";

    private static final int SCORING_BATCH = 256;

    private final Model<Regressor> student;
    private final FeatureStandardizer standardizer;
    private final ScoreTransform transform;
    private final double epsilon;
    private final double threshold;
    private final String[] featureNames;
    private final transient ThreadLocal<Scratch> scratch;

    DistilledAnomalyModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                          ImmutableOutputInfo<Event> outputIDInfo, Model<Regressor> student,
                          FeatureStandardizer standardizer, ScoreTransform transform, double epsilon,
                          double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        this.student = student;
        this.standardizer = standardizer;
        this.transform = transform;
        this.epsilon = epsilon;
        this.threshold = threshold;
        this.featureNames = new String[featureIDMap.size()];
        for (int i = 0; i < featureNames.length; i++) {
            featureNames[i] = featureIDMap.get(i).getName();
        }
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(featureIDMap.size()));
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
     * The decision threshold (teacher's scale): scores strictly above it are ANOMALOUS.
     * @return The threshold.
     */
    public double threshold() {
        return threshold;
    }

    /**
     * Whether the input standardisation is part of this detector.
     * @return True when the student sees standardised features.
     */
    public boolean standardisesFeatures() {
        return standardizer != null;
    }

    /**
     * Parameters of the student when it is known how to count them (this library's MLP), else -1.
     * @return The parameter count.
     */
    @Override
    public long numParameters() {
        if (student instanceof MLPRegressionModel) {
            return ((MLPRegressionModel) student).numParameters();
        }
        return -1;
    }

    @Override
    public double score(Example<Event> example) {
        Scratch s = scratch.get();
        FeatureMatrix.fillRow(example, featureIDMap, s.rows, 0, -1);
        scoreStandardizedRows(s, 1, s.out, 0);
        return s.out[0];
    }

    @Override
    public double[] scores(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        double[] out = new double[list.size()];
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        for (int first = 0; first < out.length; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, out.length - first);
            for (int r = 0; r < size; r++) {
                FeatureMatrix.fillRow(list.get(first + r), featureIDMap, s.rows, r * d, first + r);
            }
            scoreStandardizedRows(s, size, out, first);
        }
        return out;
    }

    /**
     * Scores a raw row-major matrix whose columns are in feature-id order (zero-copy path for long series).
     * @param matrix {@code [n, numFeatures]}, not modified.
     * @param n Rows.
     * @param out Receives {@code n} scores in the teacher's scale.
     */
    @Override
    public void scoreMatrix(float[] matrix, int n, double[] out) {
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        for (int first = 0; first < n; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, n - first);
            System.arraycopy(matrix, first * d, s.rows, 0, size * d);
            scoreStandardizedRows(s, size, out, first);
        }
    }

    /** Standardises {@code s.rows[0, n)} in place, runs the student, maps to the teacher's scale. */
    private void scoreStandardizedRows(Scratch s, int n, double[] out, int offset) {
        int d = featureIDMap.size();
        if (standardizer != null) {
            standardizer.applyInPlace(s.rows, n);
        }
        if (student instanceof MLPRegressionModel) {
            ((MLPRegressionModel) student).predictMatrix(s.rows, n, s.student);
        } else {
            List<Example<Regressor>> batch = new ArrayList<>(n);
            for (int r = 0; r < n; r++) {
                double[] values = new double[d];
                for (int j = 0; j < d; j++) {
                    values[j] = s.rows[r * d + j];
                }
                batch.add(new ArrayExample<>(RegressionDummy.OUTPUT, featureNames, values));
            }
            List<Prediction<Regressor>> predictions = student.predict(batch);
            for (int r = 0; r < n; r++) {
                s.student[r] = predictions.get(r).getOutput().getValues()[0];
            }
        }
        for (int r = 0; r < n; r++) {
            out[offset + r] = transform.toScore(s.student[r], epsilon);
        }
    }

    @Override
    public Prediction<Event> predict(Example<Event> example) {
        return new Prediction<>(toEvent(score(example)), featureIDMap.size(), example);
    }

    @Override
    protected List<Prediction<Event>> innerPredict(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        double[] s = scores(list);
        List<Prediction<Event>> predictions = new ArrayList<>(list.size());
        for (int i = 0; i < s.length; i++) {
            predictions.add(new Prediction<>(toEvent(s[i]), featureIDMap.size(), list.get(i)));
        }
        return predictions;
    }

    private Event toEvent(double score) {
        return new Event(score > threshold ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED, score);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        return Optional.empty();
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

    /** A placeholder output for examples handed to the student at prediction time. */
    private static final class RegressionDummy {
        static final Regressor OUTPUT = new Regressor("score", Double.NaN);
    }

    private static final class Scratch {
        final float[] rows;
        final double[] student = new double[SCORING_BATCH];
        final double[] out = new double[1];

        Scratch(int width) {
            rows = new float[SCORING_BATCH * width];
        }
    }
}
