package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.protos.PCAReconstructionModelProto;
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

import java.util.Map;

/**
 * A principal-component reconstruction anomaly detector (Shyu et al. 2003; the squared prediction error of PCA
 * process monitoring), trained by {@link PCAReconstructionTrainer}: a linear, non-deep baseline for the
 * autoencoder teachers.
 * <p>
 * <b>Score</b>: the mean squared reconstruction error in standardised feature space, in the same scale as
 * {@link AutoencoderModel}'s score,
 * {@code S(x) = ‖z − V_k V_kᵀ z‖² / d} with {@code z = (x − mean) / scale} and {@code V_k} the {@code d × k}
 * orthonormal leading principal components of the standardised training data. Higher means more anomalous. An
 * example is {@link Event.EventType#ANOMALOUS} when its score is strictly greater than {@link #threshold()}.
 * <p>
 * Scoring costs {@code O(k·d)} per example and is computed in double precision from the float32 standardised row:
 * the residual of a normal example is a small difference of large numbers, and a float32 product would lose several
 * of its digits. Scoring allocates nothing per example (per-thread buffers). Examples must carry exactly the model's
 * features (see {@link FeatureMatrix}). Serialization is protobuf only.
 */
public final class PCAReconstructionModel extends AbstractScoredAnomalyModel implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** The per-feature standardisation fitted on the training windows. */
    private final FeatureStandardizer standardizer;
    /** The number of principal components kept. */
    private final int numComponents;
    /** {@code [k, d]} row-major: component c is {@code components[c·d, (c+1)·d)}. */
    private final double[] components;
    /** All d covariance eigenvalues, descending. */
    private final double[] eigenvalues;
    /** Per thread: {@code [d]} residual then {@code [k]} projection. */
    private final transient ThreadLocal<double[]> workspace;

    PCAReconstructionModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                           ImmutableOutputInfo<Event> outputIDInfo, FeatureStandardizer standardizer,
                           int numComponents, double[] components, double[] eigenvalues, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        int d = featureIDMap.size();
        if (standardizer.width() != d || numComponents < 0 || numComponents > d
                || components.length != numComponents * d || eigenvalues.length != d) {
            throw new IllegalArgumentException("Inconsistent PCA model: " + d + " features, standardiser width "
                    + standardizer.width() + ", " + numComponents + " components of " + components.length
                    + " values, " + eigenvalues.length + " eigenvalues");
        }
        this.standardizer = standardizer;
        this.numComponents = numComponents;
        this.components = components;
        this.eigenvalues = eigenvalues;
        this.workspace = ThreadLocal.withInitial(() -> new double[d + numComponents]);
    }

    /**
     * Parameters needed at scoring time: the {@code d·k} component entries and the {@code 2d} standardiser entries.
     * @return {@code d·k + 2d}.
     */
    @Override
    public long numParameters() {
        long d = featureIDMap.size();
        return d * numComponents + 2 * d;
    }

    /**
     * The number k of kept principal components.
     * @return k.
     */
    public int numComponents() {
        return numComponents;
    }

    /**
     * The kept principal components, leading first, each a unit vector of length d in standardised feature space.
     * @return A copy, {@code [k][d]}.
     */
    public double[][] components() {
        int d = featureIDMap.size();
        double[][] out = new double[numComponents][];
        for (int c = 0; c < numComponents; c++) {
            out[c] = java.util.Arrays.copyOfRange(components, c * d, (c + 1) * d);
        }
        return out;
    }

    /**
     * All d eigenvalues of the covariance of the standardised fitting rows (the variance along each principal
     * direction), in descending order.
     * @return A copy.
     */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /**
     * The fraction of the standardised training variance explained by the kept components (1 when there is none).
     * @return The fraction in [0, 1].
     */
    public double explainedVarianceRatio() {
        double total = 0;
        double kept = 0;
        for (int i = 0; i < eigenvalues.length; i++) {
            double v = Math.max(eigenvalues[i], 0);
            total += v;
            if (i < numComponents) {
                kept += v;
            }
        }
        return total > 0 ? kept / total : 1.0;
    }

    /**
     * The fitted input standardisation.
     * @return The standardiser.
     */
    public FeatureStandardizer standardizer() {
        return standardizer;
    }

    /** Standardises the rows in place, then writes {@code ‖z − V Vᵀ z‖² / d} per row (double arithmetic). */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        int d = featureIDMap.size();
        int k = numComponents;
        standardizer.applyInPlace(rows, n);
        double[] ws = workspace.get();
        for (int r = 0; r < n; r++) {
            int o = r * d;
            // e = z − V p with p = Vᵀ z (four accumulators per dot product: independent chains run in parallel)
            for (int j = 0; j < d; j++) {
                ws[j] = rows[o + j];
            }
            int d4 = d & ~3;
            for (int c = 0; c < k; c++) {
                int at = c * d;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int j = 0;
                for (; j < d4; j += 4) {
                    s0 += components[at + j] * ws[j];
                    s1 += components[at + j + 1] * ws[j + 1];
                    s2 += components[at + j + 2] * ws[j + 2];
                    s3 += components[at + j + 3] * ws[j + 3];
                }
                for (; j < d; j++) {
                    s0 += components[at + j] * ws[j];
                }
                ws[d + c] = (s0 + s1) + (s2 + s3);
            }
            for (int c = 0; c < k; c++) {
                double p = ws[d + c];
                int at = c * d;
                for (int j = 0; j < d; j++) {
                    ws[j] -= p * components[at + j];
                }
            }
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += ws[j] * ws[j];
            }
            out[offset + r] = sum / d;
        }
    }

    /**
     * Exports the whole detector in {@link OnnxDetectorExport}'s shape: raw input {@code "input" [batch,
     * numFeatures]} (features in id order), outputs {@code "score" [batch, 1]} and {@code "anomalous" [batch, 1]}
     * (score {@code >} {@link #threshold()}); provenance, feature order and threshold in the metadata.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-PCAReconstructionModel");
        ONNXPlaceholder input = OnnxDetectorExport.input(ctx, featureIDMap.size());
        return OnnxDetectorExport.build(ctx, writeONNXGraph(input), threshold,
                OnnxDetectorExport.featureNames(featureIDMap), domain, modelVersion, this, Map.of());
    }

    // z = (x − mean) / scale            [batch, d]
    // p = z Vᵀ                          [batch, k]   (Gemm with B = Vᵀ [d, k])
    // e = z − p V                       [batch, d]   (Gemm with B = V [k, d])
    // S = ReduceMean(e², axis 1)        [batch, 1]
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        ONNXContext ctx = input.onnxContext();
        int d = featureIDMap.size();
        int k = numComponents;
        ONNXRef<?> z = OnnxGraphs.standardize(input, standardizer, "pca_input");
        ONNXRef<?> e = z;
        if (k > 0) {
            ONNXInitializer vt = ctx.floatTensor("pca_components_t", java.util.Arrays.asList(d, k), fb -> {
                for (int j = 0; j < d; j++) {
                    for (int c = 0; c < k; c++) {
                        fb.put((float) components[c * d + j]);
                    }
                }
            });
            ONNXInitializer v = ctx.floatTensor("pca_components", java.util.Arrays.asList(k, d), fb -> {
                for (double value : components) {
                    fb.put((float) value);
                }
            });
            ONNXInitializer zeroD = ctx.array("pca_zero_d", new float[d]);
            ONNXInitializer zeroK = ctx.array("pca_zero_k", new float[k]);
            ONNXNode p = z.apply(ONNXOperators.GEMM, java.util.Arrays.asList(vt, zeroK));
            ONNXNode recon = p.apply(ONNXOperators.GEMM, java.util.Arrays.asList(v, zeroD));
            e = z.apply(ONNXOperators.SUB, recon);
        }
        Map<String, Object> attributes = new java.util.HashMap<>();
        attributes.put("axes", new int[]{1});
        attributes.put("keepdims", 1);
        return e.apply(ONNXOperators.MUL, e).apply(ONNXOperators.REDUCE_MEAN, attributes);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public PCAReconstructionModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        return (PCAReconstructionModel) super.withNonFiniteScorePolicy(policy);
    }

    @Override
    public PCAReconstructionModel copy() {
        return (PCAReconstructionModel) super.copy();
    }

    @Override
    protected PCAReconstructionModel copy(String newName, ModelProvenance newProvenance) {
        return new PCAReconstructionModel(newName, newProvenance, featureIDMap, outputIDInfo, standardizer,
                numComponents, components, eigenvalues, threshold);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        PCAReconstructionModelProto.Builder data = PCAReconstructionModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setStandardizer(standardizer.toProto())
                .setNumComponents(numComponents)
                .setThreshold(threshold);
        for (double v : components) {
            data.addComponents(v);
        }
        for (double v : eigenvalues) {
            data.addEigenvalues(v);
        }
        return ProtoSupport.modelProto(CURRENT_VERSION, PCAReconstructionModel.class, data.build());
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not a {@link PCAReconstructionModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static PCAReconstructionModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = PCAReconstructionModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        PCAReconstructionModelProto proto = ProtoSupport.unpack(message, PCAReconstructionModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        int d = carrier.featureDomain().size();
        FeatureStandardizer std = ProtoSupport.standardizer(proto.getStandardizer(), d, me, "standardizer");
        int k = proto.getNumComponents();
        if (k < 0 || k > d) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + k + " components for " + d
                    + " features");
        }
        if (proto.getComponentsCount() != k * d || proto.getEigenvaluesCount() != d) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + k + " components of " + d
                    + " features need " + (k * d) + " values and " + d + " eigenvalues, found "
                    + proto.getComponentsCount() + " and " + proto.getEigenvaluesCount());
        }
        double[] components = ProtoSupport.finiteDoubles(proto.getComponentsList(), k * d, me, "components");
        double[] eigenvalues = ProtoSupport.finiteDoubles(proto.getEigenvaluesList(), d, me, "eigenvalues");
        double threshold = ProtoSupport.atLeast(proto.getThreshold(), 0, me, "threshold"); // a mean squared error
        return new PCAReconstructionModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), std, k, components, eigenvalues, threshold);
    }

    @Override
    public String toString() {
        return "PCAReconstructionModel(name=" + name + ",features=" + featureIDMap.size() + ",components="
                + numComponents + ",explainedVariance="
                + String.format(java.util.Locale.ROOT, "%.4f", explainedVarianceRatio())
                + ",threshold=" + threshold + ")";
    }
}
