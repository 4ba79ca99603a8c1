package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.protos.AutoencoderModelProto;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.kernels.AutoencoderScorer;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.ONNXExportable;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXContext;
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
 * A dense autoencoder anomaly detector (a teacher of Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2).
 * <p>
 * <b>Score</b>: the reconstruction mean squared error of one example in standardised feature space,
 * {@code S(x) = 1/d Σ_j (z_j − ẑ_j)²} with {@code z = (x − mean) / scale} (seed 001: {@code S_i = L(x_i, D(E(x_i)))}).
 * Higher means more anomalous. An example is {@link org.tribuo.anomaly.Event.EventType#ANOMALOUS} when its score
 * is strictly greater than {@link #threshold()}, a quantile of the scores on the validation part of the training
 * data.
 * <p>
 * Examples must carry exactly the model's features (see {@link FeatureMatrix}). Scoring allocates nothing per
 * example: it reuses per-thread buffers. Serialization is protobuf; the score exports to ONNX
 * ({@link #exportONNXModel}: standardisation, network and mean squared error in the graph).
 * <p>
 * As a {@link FeatureTeacher} (Salehi et al., "Multiresolution Knowledge Distillation for Anomaly Detection", CVPR
 * 2021) it exposes the outputs of its encoder layers after their activations, named {@code "encoder.0"} (the widest,
 * {@code e1}) to {@code "encoder.<k−1>"} (the bottleneck {@code ek}), computed on standardised rows.
 */
public final class AutoencoderModel extends AbstractScoredAnomalyModel implements ONNXExportable, FeatureTeacher {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** The trained autoencoder (float32, one flat parameter buffer). */
    private final FeedForwardNetwork network;
    /** The per-feature standardisation fitted on the training windows. */
    private final FeatureStandardizer standardizer;
    private final transient ThreadLocal<FeedForwardNetwork.Workspace> workspace;
    /** The fused path of a one-hidden-layer autoencoder (null for deeper ones). */
    private final transient AutoencoderScorer fused;
    private final transient ThreadLocal<float[]> fusedScratch;
    /** Standardised rows for {@link #features}, {@code [SCORING_BATCH, d]}. */
    private final transient ThreadLocal<float[]> featureRows;

    AutoencoderModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                     ImmutableOutputInfo<Event> outputIDInfo, FeedForwardNetwork network,
                     FeatureStandardizer standardizer, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        this.network = network;
        this.standardizer = standardizer;
        this.workspace = ThreadLocal.withInitial(() -> network.newWorkspace(SCORING_BATCH));
        this.fused = AutoencoderScorer.of(network, standardizer.mean(), standardizer.scale());
        this.fusedScratch = fused == null ? null : ThreadLocal.withInitial(() -> new float[fused.scratchSize()]);
        int d = featureIDMap.size();
        this.featureRows = ThreadLocal.withInitial(() -> new float[SCORING_BATCH * d]);
    }

    /** The prefix of the encoder features' names. */
    public static final String ENCODER_FEATURE_PREFIX = "encoder.";

    /**
     * The encoder layers' outputs: {@code "encoder.0"} … {@code "encoder.<k−1>"} for {@code encoderSizes} of length
     * k (the first half of the dense layers).
     */
    @Override
    public List<String> featureNames() {
        int k = network.numDenseLayers() / 2;
        List<String> names = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            names.add(ENCODER_FEATURE_PREFIX + i);
        }
        return Collections.unmodifiableList(names);
    }

    @Override
    public int[] featureWidths() {
        int[] sizes = network.sizes();
        return Arrays.copyOfRange(sizes, 1, 1 + network.numDenseLayers() / 2);
    }

    @Override
    public int inputWidth() {
        return featureIDMap.size();
    }

    /**
     * {@inheritDoc}
     * @return The fitted standardisation (never null).
     */
    @Override
    public FeatureStandardizer inputStandardizer() {
        return standardizer;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Rows are standardised into a per-thread buffer and run through the encoder only, {@value #SCORING_BATCH} at a
     * time.
     */
    // rows [n, d] -> z = (x − mean)/scale -> encoder layers 0..max(which) -> out[m] [n, e_(which[m]+1)]
    @Override
    public void features(float[] rows, int n, int[] which, float[][] out) {
        int d = featureIDMap.size();
        int[] widths = featureWidths();
        int deepest = -1;
        for (int k : which) {
            if (k < 0 || k >= widths.length) {
                throw new IllegalArgumentException("Feature index " + k + " is not in [0, " + widths.length + ")");
            }
            deepest = Math.max(deepest, k);
        }
        float[] z = featureRows.get();
        FeedForwardNetwork.Workspace ws = workspace.get();
        for (int first = 0; first < n; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, n - first);
            System.arraycopy(rows, first * d, z, 0, size * d);
            standardizer.applyInPlace(z, size);
            network.forwardTo(z, size, ws, deepest + 1);
            for (int m = 0; m < which.length; m++) {
                int w = widths[which[m]];
                System.arraycopy(network.layerOutput(which[m], ws), 0, out[m], first * w, size * w);
            }
        }
    }

    // z = (x − mean) / scale ; Gemm + activation per encoder layer up to the deepest chosen one
    @Override
    public List<ONNXRef<?>> writeFeatureGraph(ONNXRef<?> rawInput, int[] which, String prefix) {
        int deepest = Arrays.stream(which).max().orElseThrow(
                () -> new IllegalArgumentException("No feature chosen"));
        if (deepest >= network.numDenseLayers() / 2 || Arrays.stream(which).anyMatch(k -> k < 0)) {
            throw new IllegalArgumentException("Feature indices " + Arrays.toString(which) + " are not all in [0, "
                    + network.numDenseLayers() / 2 + ")");
        }
        ONNXRef<?> z = OnnxGraphs.standardize(rawInput, standardizer, prefix + "_input");
        List<ONNXRef<?>> layers = OnnxGraphs.layerOutputs(z, network, deepest + 1, prefix);
        List<ONNXRef<?>> chosen = new ArrayList<>(which.length);
        for (int k : which) {
            chosen.add(layers.get(k));
        }
        return chosen;
    }

    /**
     * The route that scores this model: {@code "fused-vector"} or {@code "fused-plain"} for a one-hidden-layer
     * autoencoder ({@link AutoencoderScorer}), {@code "layers"} for the layer-by-layer forward pass.
     * @return The route's name.
     */
    public String scoringRoute() {
        return fused == null ? "layers" : "fused-" + fused.name();
    }

    @Override
    public long numParameters() {
        return network.numParameters();
    }

    /**
     * The layer widths of the autoencoder, input first.
     * @return The sizes.
     */
    public int[] layerSizes() {
        return network.sizes();
    }

    /**
     * The network (shared, not copied: package use only, never modified).
     * @return The network.
     */
    FeedForwardNetwork network() {
        return network;
    }

    /**
     * The fitted input standardisation.
     * @return The standardiser.
     */
    public FeatureStandardizer standardizer() {
        return standardizer;
    }

    /**
     * Writes the MSE per row: through {@link AutoencoderScorer} for a one-hidden-layer autoencoder, otherwise
     * standardising the rows in place and reconstructing them layer by layer.
     */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        int d = featureIDMap.size();
        if (fused != null) {
            float[] scratch = fusedScratch.get();
            for (int r = 0; r < n; r++) {
                out[offset + r] = fused.score(rows, r * d, scratch);
            }
            return;
        }
        standardizer.applyInPlace(rows, n);
        float[] recon = network.forward(rows, n, workspace.get());
        for (int r = 0; r < n; r++) {
            out[offset + r] = squaredError(rows, r * d, recon, r * d, d) / d;
        }
    }

    /**
     * Exports the whole detector in {@link OnnxDetectorExport}'s shape: raw input {@code "input" [batch,
     * numFeatures]} (features in id order, i.e. sorted by name), outputs {@code "score" [batch, 1]} ({@code S(x)} as
     * {@link #score}) and {@code "anomalous" [batch, 1]} ({@code S(x) > }{@link #threshold()}); provenance, feature
     * order and threshold in the metadata.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-AutoencoderModel");
        ONNXPlaceholder input = OnnxDetectorExport.input(ctx, featureIDMap.size());
        return OnnxDetectorExport.build(ctx, writeONNXGraph(input), threshold,
                OnnxDetectorExport.featureNames(featureIDMap), domain, modelVersion, this, Map.of());
    }

    // z = (x − mean) / scale ; r = network(z) ; S = ReduceMean((z − r)², axis 1, keepdims) -> [batch, 1]
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        ONNXRef<?> z = OnnxGraphs.standardize(input, standardizer, "autoencoder_input");
        ONNXRef<?> r = OnnxGraphs.network(z, network, "autoencoder");
        ONNXNode e = z.apply(ONNXOperators.SUB, r);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("axes", new int[]{1});
        attributes.put("keepdims", 1);
        return e.apply(ONNXOperators.MUL, e).apply(ONNXOperators.REDUCE_MEAN, attributes);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public AutoencoderModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        return (AutoencoderModel) super.withNonFiniteScorePolicy(policy);
    }

    @Override
    public AutoencoderModel copy() {
        return (AutoencoderModel) super.copy();
    }

    @Override
    protected AutoencoderModel copy(String newName, ModelProvenance newProvenance) {
        return new AutoencoderModel(newName, newProvenance, featureIDMap, outputIDInfo, network.copy(), standardizer,
                threshold);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        AutoencoderModelProto data = AutoencoderModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setNetwork(ProtoSupport.network(network))
                .setStandardizer(standardizer.toProto())
                .setThreshold(threshold)
                .build();
        return ProtoSupport.modelProto(CURRENT_VERSION, AutoencoderModel.class, data);
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not an {@link AutoencoderModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static AutoencoderModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = AutoencoderModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        AutoencoderModelProto proto = ProtoSupport.unpack(message, AutoencoderModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        int d = carrier.featureDomain().size();
        FeedForwardNetwork net = ProtoSupport.network(proto.getNetwork(), d, d, me);
        FeatureStandardizer std = ProtoSupport.standardizer(proto.getStandardizer(), d, me, "standardizer");
        double threshold = ProtoSupport.atLeast(proto.getThreshold(), 0, me, "threshold"); // a mean squared error
        return new AutoencoderModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), net, std, threshold);
    }
}
