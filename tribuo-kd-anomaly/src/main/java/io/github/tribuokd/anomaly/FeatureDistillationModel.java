package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.protos.FeatureDistillationModelProto;
import io.github.tribuokd.nn.CosineDirectionLoss;
import io.github.tribuokd.nn.FeatureMatchingLoss;
import io.github.tribuokd.nn.FeedForwardNetwork;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A student–teacher discrepancy detector after multiresolution knowledge distillation (Salehi et al.,
 * "Multiresolution Knowledge Distillation for Anomaly Detection", CVPR 2021): a frozen teacher ({@link FeatureTeacher},
 * the paper's source network) and a student (the cloner) trained on normal data to reproduce the teacher's
 * activations at several layers, the critical points {@code CP_i}. Trained by {@link FeatureDistillationTrainer}.
 * <p>
 * <b>Score</b>: the paper's total loss of the example ({@link FeatureMatchingLoss}),
 * <pre>
 *   S(x) = L_total = Σ_i [ (1/N_i) Σ_j (a_s^{CP_i}(j) − a_c^{CP_i}(j))²  +  λ · (1 − cos(a_s^{CP_i}, a_c^{CP_i})) ]
 * </pre>
 * with {@code a_s} the teacher's and {@code a_c} the student's activations on the row (the direction term summed per
 * layer; cosine with the smoothed norms of {@link CosineDirectionLoss}). Higher means more anomalous; 0 is a perfect
 * copy; the value term is in squared units of the teacher's features (within [0, 4] per layer for tanh features),
 * the direction term within [0, 2λ] per layer. ANOMALOUS when the score is strictly above {@link #threshold()}.
 * <p>
 * Both networks read the teacher's standardised rows ({@link FeatureTeacher#inputStandardizer()}). Scoring
 * allocates nothing per example (per-thread buffers for the teacher's features and the student's workspace).
 * Serialization is protobuf (the teacher nested as its own model file); {@link #exportONNXModel} writes teacher,
 * student and score into one graph.
 */
public final class FeatureDistillationModel extends AbstractScoredAnomalyModel implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** The frozen teacher model. */
    private final Model<Event> teacherModel;
    /** The same object as a feature teacher. */
    private final FeatureTeacher teacher;
    /** The matched teacher features, shallowest first. */
    private final List<String> teacherFeatures;
    /** Their indices in the teacher's feature list. */
    private final int[] which;
    /** The student (cloner) network. */
    private final FeedForwardNetwork student;
    /** The student's dense layer matched to each teacher feature. */
    private final int[] studentLayers;
    /** The number of student dense layers that scoring runs. */
    private final int studentDepth;
    /** L_total with the matched widths and λ. */
    private final FeatureMatchingLoss loss;
    private final transient ThreadLocal<Scratch> scratch;

    /** Per-thread scoring buffers. */
    private static final class Scratch {
        final float[][] teacher;
        final float[][] student;
        final FeedForwardNetwork.Workspace ws;

        Scratch(int[] widths, FeedForwardNetwork student) {
            teacher = new float[widths.length][];
            for (int m = 0; m < widths.length; m++) {
                teacher[m] = new float[SCORING_BATCH * widths[m]];
            }
            this.student = new float[widths.length][];
            ws = student.newWorkspace(SCORING_BATCH);
        }
    }

    /**
     * Creates the model (checks that the parts fit together).
     * @param name The model name.
     * @param provenance The provenance.
     * @param featureIDMap The feature domain (the teacher's).
     * @param outputIDInfo The output domain.
     * @param teacherModel The frozen teacher, a {@code Model<Event>} that is a {@link FeatureTeacher}.
     * @param teacherFeatures The matched teacher features, shallowest first.
     * @param student The student network (input: the teacher's standardised rows).
     * @param studentLayers The student's dense layer matched to each teacher feature.
     * @param lambda λ, the weight of the direction term.
     * @param threshold The decision threshold.
     */
    FeatureDistillationModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                             ImmutableOutputInfo<Event> outputIDInfo, Model<Event> teacherModel,
                             List<String> teacherFeatures, FeedForwardNetwork student, int[] studentLayers,
                             double lambda, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        if (!(teacherModel instanceof FeatureTeacher)) {
            throw new IllegalArgumentException("The teacher must be a FeatureTeacher, found "
                    + teacherModel.getClass().getName());
        }
        this.teacherModel = teacherModel;
        this.teacher = (FeatureTeacher) teacherModel;
        this.teacherFeatures = Collections.unmodifiableList(new ArrayList<>(teacherFeatures));
        this.which = indices(teacher, teacherFeatures);
        if (teacher.inputWidth() != featureIDMap.size() || student.inputSize() != featureIDMap.size()) {
            throw new IllegalArgumentException("The teacher reads " + teacher.inputWidth() + " and the student "
                    + student.inputSize() + " inputs, the model has " + featureIDMap.size() + " features");
        }
        if (studentLayers.length != which.length) {
            throw new IllegalArgumentException(which.length + " teacher features but " + studentLayers.length
                    + " student layers");
        }
        int[] teacherWidths = teacher.featureWidths();
        int[] widths = new int[which.length];
        int depth = 0;
        int[] sizes = student.sizes();
        for (int m = 0; m < which.length; m++) {
            int k = studentLayers[m];
            widths[m] = teacherWidths[which[m]];
            if (k < 0 || k >= student.numDenseLayers() || sizes[k + 1] != widths[m]) {
                throw new IllegalArgumentException("Student layer " + k + " (sizes " + Arrays.toString(sizes)
                        + ") cannot match teacher feature '" + teacherFeatures.get(m) + "' of width " + widths[m]);
            }
            depth = Math.max(depth, k + 1);
        }
        this.student = student;
        this.studentLayers = studentLayers.clone();
        this.studentDepth = depth;
        this.loss = new FeatureMatchingLoss(widths, lambda);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(widths, student));
    }

    /**
     * The indices of named features in a teacher's list.
     * @param teacher The teacher.
     * @param names The names, distinct.
     * @return Their indices.
     * @throws IllegalArgumentException If a name is unknown or repeated, naming the teacher's features.
     */
    static int[] indices(FeatureTeacher teacher, List<String> names) {
        List<String> known = teacher.featureNames();
        int[] which = new int[names.size()];
        for (int m = 0; m < which.length; m++) {
            which[m] = known.indexOf(names.get(m));
            if (which[m] < 0 || names.subList(0, m).contains(names.get(m))) {
                throw new IllegalArgumentException("Teacher feature '" + names.get(m) + "' is "
                        + (which[m] < 0 ? "unknown" : "repeated") + "; the teacher has " + known);
            }
        }
        return which;
    }

    /**
     * The frozen teacher.
     * @return The teacher model (a {@link FeatureTeacher}).
     */
    public Model<Event> teacher() {
        return teacherModel;
    }

    /**
     * The matched teacher features, shallowest first.
     * @return An unmodifiable list.
     */
    public List<String> teacherFeatures() {
        return teacherFeatures;
    }

    /**
     * The student's dense layer matched to each teacher feature.
     * @return A copy of the indices.
     */
    public int[] studentLayers() {
        return studentLayers.clone();
    }

    /**
     * The layer widths of the student network, input first.
     * @return The sizes.
     */
    public int[] studentSizes() {
        return student.sizes();
    }

    /**
     * The student network (shared, not copied: package use only, never modified).
     * @return The network.
     */
    FeedForwardNetwork studentNetwork() {
        return student;
    }

    /**
     * λ, the weight of the direction term {@code L_dir}.
     * @return λ.
     */
    public double lambda() {
        return loss.lambda();
    }

    /**
     * The number of student parameters.
     * @return The count.
     */
    public long numStudentParameters() {
        return student.numParameters();
    }

    /**
     * The parameters needed at scoring time: the student's and the whole teacher's (its encoder is what runs).
     * @return The count, or -1 when the teacher's is unknown.
     */
    @Override
    public long numParameters() {
        long t = teacherModel instanceof ScoredModel ? ((ScoredModel) teacherModel).numParameters() : -1;
        return t < 0 ? -1 : t + student.numParameters();
    }

    /**
     * The teacher's features of the raw rows, then the rows standardised in place and the student's features, then
     * {@code L_total} per row.
     */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        Scratch s = scratch.get();
        teacher.features(rows, n, which, s.teacher);
        FeatureStandardizer std = teacher.inputStandardizer();
        if (std != null) {
            std.applyInPlace(rows, n);
        }
        student.forwardTo(rows, n, s.ws, studentDepth);
        for (int m = 0; m < studentLayers.length; m++) {
            s.student[m] = student.layerOutput(studentLayers[m], s.ws);
        }
        loss.score(s.teacher, s.student, n, out, offset);
    }

    /**
     * Exports the detector in {@link OnnxDetectorExport}'s shape: raw input {@code "input" [batch, numFeatures]}
     * (features in id order), outputs {@code "score" [batch, 1]} ({@code L_total} as {@link #score}) and
     * {@code "anomalous" [batch, 1]}; teacher features, student and score are in the graph.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-FeatureDistillationModel");
        ONNXPlaceholder input = OnnxDetectorExport.input(ctx, featureIDMap.size());
        Map<String, String> meta = new HashMap<>();
        meta.put("tribuo-kd.teacher-features", String.join(",", teacherFeatures));
        meta.put("tribuo-kd.lambda", Double.toString(loss.lambda()));
        return OnnxDetectorExport.build(ctx, writeONNXGraph(input), threshold,
                OnnxDetectorExport.featureNames(featureIDMap), domain, modelVersion, this, meta);
    }

    /**
     * Writes {@code L_total [batch, 1]} of raw rows. Per matched layer, with {@code t} the teacher's and {@code c}
     * the student's features, sums as products with a column of ones ({@code MatMul}):
     * <pre>
     *   value = ReduceMean((t − c)², axis 1)
     *   n_v   = Sqrt(Σ v² + ε²)                     for v = t, c
     *   dir   = ½ Σ (t/n_t − c/n_c)² + ½ ε² (1/n_t² + 1/n_c²)      (= 1 − cos_ε, as CosineDirectionLoss)
     *   S     = Σ_layers value + λ · dir
     * </pre>
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        ONNXContext ctx = input.onnxContext();
        List<ONNXRef<?>> t = teacher.writeFeatureGraph(input, which, "teacher");
        FeatureStandardizer std = teacher.inputStandardizer();
        ONNXRef<?> z = std == null ? input : OnnxGraphs.standardize(input, std, "student_input");
        List<ONNXRef<?>> c = OnnxGraphs.layerOutputs(z, student, studentDepth, "student");
        float e2 = (float) (CosineDirectionLoss.EPSILON * CosineDirectionLoss.EPSILON);
        ONNXInitializer eps2 = ctx.array("direction_eps2", new float[]{e2});
        ONNXInitializer half = ctx.array("direction_half", new float[]{0.5f});
        ONNXInitializer halfEps2 = ctx.array("direction_half_eps2", new float[]{0.5f * e2});
        ONNXInitializer one = ctx.array("direction_one", new float[]{1f});
        ONNXInitializer lambda = ctx.array("direction_lambda", new float[]{(float) loss.lambda()});
        Map<String, Object> mean = new HashMap<>();
        mean.put("axes", new int[]{1});
        mean.put("keepdims", 1);
        int[] widths = loss.widths();
        ONNXNode total = null;
        for (int m = 0; m < which.length; m++) {
            ONNXRef<?> tm = t.get(m);
            ONNXRef<?> cm = c.get(studentLayers[m]);
            int w = widths[m];
            ONNXInitializer ones = ctx.floatTensor("layer" + m + "_ones", Arrays.asList(w, 1), fb -> {
                for (int j = 0; j < w; j++) {
                    fb.put(1f);
                }
            });
            ONNXNode diff = tm.apply(ONNXOperators.SUB, cm);
            ONNXNode term = diff.apply(ONNXOperators.MUL, diff).apply(ONNXOperators.REDUCE_MEAN, mean);
            if (loss.lambda() > 0) {
                ONNXNode nt2 = tm.apply(ONNXOperators.MUL, tm).apply(KDOnnxOperators.MAT_MUL, ones)
                        .apply(ONNXOperators.ADD, eps2);
                ONNXNode nc2 = cm.apply(ONNXOperators.MUL, cm).apply(KDOnnxOperators.MAT_MUL, ones)
                        .apply(ONNXOperators.ADD, eps2);
                ONNXNode u = tm.apply(ONNXOperators.DIV, nt2.apply(KDOnnxOperators.SQRT))
                        .apply(ONNXOperators.SUB, cm.apply(ONNXOperators.DIV, nc2.apply(KDOnnxOperators.SQRT)));
                ONNXNode smoothing = one.apply(ONNXOperators.DIV, nt2)
                        .apply(ONNXOperators.ADD, one.apply(ONNXOperators.DIV, nc2))
                        .apply(ONNXOperators.MUL, halfEps2);
                ONNXNode direction = u.apply(ONNXOperators.MUL, u).apply(KDOnnxOperators.MAT_MUL, ones)
                        .apply(ONNXOperators.MUL, half).apply(ONNXOperators.ADD, smoothing);
                term = term.apply(ONNXOperators.ADD, direction.apply(ONNXOperators.MUL, lambda));
            }
            total = total == null ? term : total.apply(ONNXOperators.ADD, term);
        }
        return total;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public FeatureDistillationModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        return (FeatureDistillationModel) super.withNonFiniteScorePolicy(policy);
    }

    @Override
    public FeatureDistillationModel copy() {
        return (FeatureDistillationModel) super.copy();
    }

    @Override
    protected FeatureDistillationModel copy(String newName, ModelProvenance newProvenance) {
        return new FeatureDistillationModel(newName, newProvenance, featureIDMap, outputIDInfo, teacherModel,
                teacherFeatures, student.copy(), studentLayers, loss.lambda(), threshold);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        FeatureDistillationModelProto.Builder data = FeatureDistillationModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setTeacher(teacherModel.serialize().toByteString())
                .addAllTeacherFeatures(teacherFeatures)
                .setStudent(ProtoSupport.network(student))
                .setLambda(loss.lambda())
                .setThreshold(threshold);
        for (int k : studentLayers) {
            data.addStudentLayers(k);
        }
        return ProtoSupport.modelProto(CURRENT_VERSION, FeatureDistillationModel.class, data.build());
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not a {@link FeatureDistillationModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static FeatureDistillationModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = FeatureDistillationModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        FeatureDistillationModelProto proto = ProtoSupport.unpack(message, FeatureDistillationModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        ByteString teacherBytes = proto.getTeacher();
        Model<?> teacher = ProtoSupport.nestedModel(teacherBytes, me, "teacher");
        if (!(teacher instanceof FeatureTeacher)) {
            throw ProtoSupport.invalid(me, "teacher", "is a " + teacher.getClass().getName()
                    + ", not a FeatureTeacher");
        }
        if (!teacher.getFeatureIDMap().equals(carrier.featureDomain())) {
            throw ProtoSupport.invalid(me, "teacher", "has other features than the model");
        }
        try {
            indices((FeatureTeacher) teacher, proto.getTeacherFeaturesList());
        } catch (IllegalArgumentException e) {
            throw ProtoSupport.invalid(me, "teacher_features", e.getMessage());
        }
        int d = carrier.featureDomain().size();
        int studentSizes = proto.getStudent().getSizesCount();
        FeedForwardNetwork student = ProtoSupport.network(proto.getStudent(), d,
                studentSizes == 0 ? -1 : proto.getStudent().getSizes(studentSizes - 1), me);
        double lambda = ProtoSupport.atLeast(proto.getLambda(), 0, me, "lambda");
        double threshold = ProtoSupport.atLeast(proto.getThreshold(), 0, me, "threshold"); // a sum of losses ≥ 0
        int[] layers = proto.getStudentLayersList().stream().mapToInt(Integer::intValue).toArray();
        try {
            return new FeatureDistillationModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                    (ImmutableOutputInfo<Event>) carrier.outputDomain(), (Model<Event>) teacher,
                    proto.getTeacherFeaturesList(), student, layers, lambda, threshold);
        } catch (IllegalArgumentException e) {
            throw ProtoSupport.invalid(me, "student", e.getMessage());
        }
    }
}
