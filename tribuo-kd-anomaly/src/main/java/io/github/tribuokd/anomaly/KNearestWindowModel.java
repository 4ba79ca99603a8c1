package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.protos.KNearestWindowModelProto;
import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;
import io.github.tribuokd.nn.kernels.PackedMatrix;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
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

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A k-nearest-neighbour distance anomaly detector (the {@code D^k} score of Ramaswamy, Rastogi and Shim,
 * SIGMOD 2000), trained by {@link KNearestWindowTrainer}: a non-deep baseline for the autoencoder teachers.
 * <p>
 * <b>Score</b>: the Euclidean distance, in standardised feature space, from {@code z = (x − mean) / scale} to its
 * k-th nearest reference row, {@code S(x) = ‖z − r_(k)‖} (ties counted with multiplicity: if a row is stored twice
 * it is the first and the second neighbour). Higher means more anomalous. An example is
 * {@link Event.EventType#ANOMALOUS} when its score is strictly greater than {@link #threshold()}.
 * <p>
 * <b>Cost</b>: {@code O(m·d)} per scored row for {@code m} reference rows of {@code d} features (the model also
 * stores the {@code m·d} reference values). Rows are scored in blocks: all squared distances of a block come from
 * one matrix product, {@code ‖a‖² + ‖b‖² − 2a·b} with {@code a·b} from the engine's float32 gemm
 * ({@link MatrixKernels}); the k-th smallest is then found by selection (no sort). Because that expansion cancels
 * badly for near neighbours (a duplicate at distance 0 would come out as a small positive number), every reference
 * row whose distance could, within the float32 rounding bound of the product ({@code γ_d‖a‖‖b‖}), be among the k
 * nearest is re-measured exactly in double precision, and the score is the k-th smallest of those: the result equals
 * a brute-force double-precision computation, ties and zero distances included, at the cost of O(k·d) more work per
 * row in the usual case. Scoring allocates nothing per example (per-thread buffers). Examples must carry exactly the
 * model's features (see {@link FeatureMatrix}). Serialization is protobuf; the detector exports to ONNX
 * ({@link #exportONNXModel}, distances in double precision inside the graph).
 */
public final class KNearestWindowModel extends AbstractScoredAnomalyModel implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** Query rows per matrix product. */
    private static final int BLOCK = 64;

    /** The per-feature standardisation fitted on the training windows. */
    private final FeatureStandardizer standardizer;
    /** {@code [m, d]} row-major, standardised. */
    private final float[] reference;
    /** The number of stored reference windows. */
    private final int numReference;
    /** Which nearest reference window gives the score (the k-th). */
    private final int k;
    /** Squared norms and norms of the reference rows, in double. */
    private final double[] referenceNorm2;
    /** The Euclidean norm of each (standardised) reference window, for the distance expansion and its error bound. */
    private final double[] referenceNorm;
    /** {@code 2γ_d}, slightly enlarged: the bound on the float32 error of {@code 2a·b} is this times ‖a‖‖b‖. */
    private final double productErrorFactor;
    /** Bound on the double rounding of the expansion, times {@code ‖a‖² + ‖b‖²}. */
    private final double roundingFactor;
    private final transient MatrixKernels kernels;
    private final transient PackedMatrix packedReference;
    private final transient ThreadLocal<Workspace> workspace;

    /** Per-thread scratch. */
    private static final class Workspace {
        final float[] dots;
        final double[] lower;
        final double[] upper;
        final double[] candidates;

        Workspace(int m) {
            this.dots = new float[BLOCK * m];
            this.lower = new double[m];
            this.upper = new double[m];
            this.candidates = new double[m];
        }
    }

    KNearestWindowModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                        ImmutableOutputInfo<Event> outputIDInfo, FeatureStandardizer standardizer, float[] reference,
                        int numReference, int k, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        int d = featureIDMap.size();
        if (standardizer.width() != d || numReference < 1 || reference.length != (long) numReference * d) {
            throw new IllegalArgumentException("Inconsistent k-NN model: " + d + " features, standardiser width "
                    + standardizer.width() + ", " + numReference + " reference rows of " + reference.length
                    + " values");
        }
        if (k < 1 || k > numReference) {
            throw new IllegalArgumentException("k must be in [1, " + numReference + "] (the number of reference rows), "
                    + "found " + k);
        }
        this.standardizer = standardizer;
        this.reference = reference;
        this.numReference = numReference;
        this.k = k;
        this.referenceNorm2 = new double[numReference];
        this.referenceNorm = new double[numReference];
        for (int i = 0; i < numReference; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = reference[i * d + j];
                s += v * v;
            }
            referenceNorm2[i] = s;
            referenceNorm[i] = Math.sqrt(s);
        }
        // |fl(a·b) − a·b| ≤ γ_d Σ|a_j b_j| ≤ γ_d ‖a‖‖b‖ with γ_d = d·u/(1 − d·u), u = 2^-24 (any summation order).
        double du = d * 0x1p-24;
        this.productErrorFactor = du < 0.5 ? 2 * 1.01 * du / (1 - du) : Double.POSITIVE_INFINITY;
        this.roundingFactor = (d + 16) * 0x1p-52;
        this.kernels = Kernels.get();
        this.packedReference = kernels.pack(true, d, numReference, reference, 0, d, null);
        this.workspace = ThreadLocal.withInitial(() -> new Workspace(numReference));
    }

    /**
     * Parameters needed at scoring time: the {@code m·d} reference values and the {@code 2d} standardiser entries.
     * @return {@code m·d + 2d}.
     */
    @Override
    public long numParameters() {
        long d = featureIDMap.size();
        return numReference * d + 2 * d;
    }

    /**
     * The neighbour whose distance is the score.
     * @return k.
     */
    public int k() {
        return k;
    }

    /**
     * The number m of stored reference rows.
     * @return m.
     */
    public int numReferenceRows() {
        return numReference;
    }

    /**
     * The standardised reference rows.
     * @return A copy, {@code [m, d]} row-major.
     */
    public float[] referenceRows() {
        return reference.clone();
    }

    /**
     * The fitted input standardisation.
     * @return The standardiser.
     */
    public FeatureStandardizer standardizer() {
        return standardizer;
    }

    /** Standardises the rows in place, then writes the distance to the k-th nearest reference row per row. */
    /**
     * Exports the whole detector in {@link OnnxDetectorExport}'s shape: raw input {@code "input" [batch,
     * numFeatures]} (features in id order), outputs {@code "score" [batch, 1]} and {@code "anomalous" [batch, 1]}
     * (score {@code >} {@link #threshold()}). The graph holds the m reference rows in double precision (8·m·d bytes)
     * and computes the squared distances as {@code ‖a‖² + ‖b‖² − 2a·b} in double, where the cancellation that the
     * Java path corrects for is below float32 resolution except for near-duplicates of a reference row.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-KNearestWindowModel");
        ONNXPlaceholder input = OnnxDetectorExport.input(ctx, featureIDMap.size());
        return OnnxDetectorExport.build(ctx, writeONNXGraph(input), threshold,
                OnnxDetectorExport.featureNames(featureIDMap), domain, modelVersion, this,
                Map.of("tribuo-kd.knn.k", Integer.toString(k), "tribuo-kd.knn.references",
                        Integer.toString(numReference)));
    }

    // z  = (x − mean) / scale                          [batch, d]  float, then double
    // G  = z Rᵀ                                        [batch, m]  double (MatMul with Rᵀ [d, m])
    // D² = max(‖z‖² + ‖r‖² − 2G, 0)                    [batch, m]
    // S  = sqrt(k-th smallest of D² along axis 1)      [batch, 1]  (TopK, Gather index k − 1), cast to float
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        ONNXContext ctx = input.onnxContext();
        int d = featureIDMap.size();
        int m = numReference;
        ONNXRef<?> z = OnnxGraphs.standardize(input, standardizer, "knn_input").cast(double.class);
        double[] transposed = new double[m * d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                transposed[j * m + i] = reference[i * d + j];
            }
        }
        ONNXNode rt = ctx.array("knn_reference_t", transposed, false)
                .apply(KDOnnxOperators.RESHAPE, ctx.array("knn_reference_shape", new long[]{d, m}));
        ONNXInitializer norms = ctx.array("knn_reference_norm2", referenceNorm2, false);
        ONNXInitializer minusTwo = ctx.array("knn_minus_two", new double[]{-2.0}, false);
        ONNXInitializer zero = ctx.array("knn_zero", new double[]{0.0}, false);
        // ReduceSum (opset 13) takes its axes as a second input.
        ONNXNode queryNorms = z.apply(ONNXOperators.MUL, z).apply(ONNXOperators.REDUCE_SUM,
                ctx.array("knn_sum_axes", new long[]{1}), Map.of("keepdims", 1));
        ONNXNode squared = z.apply(KDOnnxOperators.MAT_MUL, rt).apply(ONNXOperators.MUL, minusTwo)
                .apply(ONNXOperators.ADD, queryNorms).apply(ONNXOperators.ADD, norms)
                .apply(KDOnnxOperators.MAX, zero);
        Map<String, Object> topAttributes = new HashMap<>();
        topAttributes.put("axis", 1);
        topAttributes.put("largest", 0);
        topAttributes.put("sorted", 1);
        List<ONNXNode> top = squared.apply(KDOnnxOperators.TOPK,
                Arrays.<ONNXRef<?>>asList(ctx.array("knn_k", new long[]{k})),
                Arrays.asList("knn_top_values", "knn_top_indices"), topAttributes);
        ONNXNode kth = top.get(0).apply(ONNXOperators.GATHER, ctx.array("knn_kth", new long[]{k - 1}),
                Map.of("axis", 1));
        return kth.apply(KDOnnxOperators.SQRT).cast(float.class);
    }

    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        int d = featureIDMap.size();
        int m = numReference;
        standardizer.applyInPlace(rows, n);
        Workspace ws = workspace.get();
        for (int first = 0; first < n; first += BLOCK) {
            int size = Math.min(BLOCK, n - first);
            // dots[r, i] = a_r · b_i for the block's rows a_r and every reference row b_i.
            kernels.gemm(false, size, 1f, rows, first * d, d, packedReference, 0f, ws.dots, 0, m);
            for (int r = 0; r < size; r++) {
                out[offset + first + r] = kthDistance(rows, (first + r) * d, d, ws, r * m);
            }
        }
    }

    private double kthDistance(float[] rows, int at, int d, Workspace ws, int dotsAt) {
        int m = numReference;
        double na = 0;
        for (int j = 0; j < d; j++) {
            double v = rows[at + j];
            na += v * v;
        }
        double norm = Math.sqrt(na);
        float[] dots = ws.dots;
        double[] lower = ws.lower;
        double[] upper = ws.upper;
        for (int i = 0; i < m; i++) {
            double approx = na + referenceNorm2[i] - 2.0 * dots[dotsAt + i];
            double tol = productErrorFactor * norm * referenceNorm[i] + roundingFactor * (na + referenceNorm2[i]);
            double up = approx + tol;
            upper[i] = Double.isNaN(up) ? Double.POSITIVE_INFINITY : up;
            lower[i] = approx - tol;
        }
        // At least k reference rows are truly within `bound`; a row whose lower bound exceeds it cannot be among the
        // k nearest, so the k-th smallest exact distance among the others is the k-th smallest overall.
        double bound = select(upper, m, k - 1);
        double[] candidates = ws.candidates;
        int c = 0;
        for (int i = 0; i < m; i++) {
            if (!(lower[i] > bound)) {
                int o = i * d;
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double e = (double) rows[at + j] - reference[o + j];
                    s += e * e;
                }
                candidates[c++] = s;
            }
        }
        return Math.sqrt(select(candidates, c, k - 1));
    }

    /**
     * The {@code index}-th smallest (0-based) of {@code a[0, len)}, by Hoare-partition selection (Wirth's
     * algorithm with a median-of-three pivot): expected O(len), reorders {@code a}, handles repeated values.
     */
    static double select(double[] a, int len, int index) {
        int lo = 0;
        int hi = len - 1;
        while (lo < hi) {
            double x = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            do {
                while (a[i] < x) {
                    i++;
                }
                while (x < a[j]) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            } while (i <= j);
            if (j < index) {
                lo = i;
            }
            if (index < i) {
                hi = j;
            }
        }
        return a[index];
    }

    private static double median(double x, double y, double z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public KNearestWindowModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        return (KNearestWindowModel) super.withNonFiniteScorePolicy(policy);
    }

    @Override
    public KNearestWindowModel copy() {
        return (KNearestWindowModel) super.copy();
    }

    @Override
    protected KNearestWindowModel copy(String newName, ModelProvenance newProvenance) {
        return new KNearestWindowModel(newName, newProvenance, featureIDMap, outputIDInfo, standardizer, reference,
                numReference, k, threshold);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        KNearestWindowModelProto.Builder data = KNearestWindowModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setStandardizer(standardizer.toProto())
                .setK(k)
                .setReferenceRows(numReference)
                .setThreshold(threshold);
        for (float v : reference) {
            data.addReference(v);
        }
        return ProtoSupport.modelProto(CURRENT_VERSION, KNearestWindowModel.class, data.build());
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not a {@link KNearestWindowModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static KNearestWindowModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = KNearestWindowModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        KNearestWindowModelProto proto = ProtoSupport.unpack(message, KNearestWindowModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        int d = carrier.featureDomain().size();
        FeatureStandardizer std = ProtoSupport.standardizer(proto.getStandardizer(), d, me, "standardizer");
        int m = proto.getReferenceRows();
        int k = proto.getK();
        if (m < 1 || k < 1 || k > m) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": k = " + k + " with " + m
                    + " reference rows");
        }
        if (proto.getReferenceCount() != (long) m * d) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + m + " reference rows of " + d
                    + " features need " + ((long) m * d) + " values, found " + proto.getReferenceCount());
        }
        float[] reference = ProtoSupport.finiteFloats(proto.getReferenceList(), m * d, me, "reference");
        double threshold = ProtoSupport.atLeast(proto.getThreshold(), 0, me, "threshold"); // a distance
        return new KNearestWindowModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), std, reference, m, k, threshold);
    }

    @Override
    public String toString() {
        return "KNearestWindowModel(name=" + name + ",features=" + featureIDMap.size() + ",referenceRows="
                + numReference + ",k=" + k + ",threshold=" + threshold + ")";
    }
}
