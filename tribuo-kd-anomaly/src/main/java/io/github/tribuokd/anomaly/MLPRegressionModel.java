package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.protos.MLPRegressionModelProto;
import io.github.tribuokd.nn.DenseLayer;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.kernels.OneHiddenLayerScorer;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A multi-layer perceptron regressor: {@code y = net((x − mean)/scale) · targetScale + targetMean}.
 * <p>
 * The compact student of Pol et al. (seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)): it regresses the teacher's (log) anomaly score. Exports to ONNX
 * with the standardisation and the target scaling inside the graph (inputs {@code "input" [batch, d]}, output
 * {@code "output" [batch, k]}). Examples must carry exactly the model's features ({@link FeatureMatrix}).
 */
public final class MLPRegressionModel extends Model<Regressor> implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** The trained multi-layer perceptron. */
    private final FeedForwardNetwork network;
    /** The per-feature standardisation fitted on the training inputs. */
    private final FeatureStandardizer standardizer;
    /** The mean of each training target (the network predicts standardised targets). */
    private final double[] targetMean;
    /** The standard deviation of each training target. */
    private final double[] targetScale;
    /** The names of the regressed output dimensions. */
    private final String[] dimensionNames;
    /**
     * The same function with the standardisation and target scaling folded into the first and last layers, and
     * its scoring routes (derived, not serialized).
     */
    private final transient FoldedMLP folded;
    private final transient ThreadLocal<float[]> rowBuffer;

    MLPRegressionModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                       ImmutableOutputInfo<Regressor> outputIDInfo, FeedForwardNetwork network,
                       FeatureStandardizer standardizer, double[] targetMean, double[] targetScale,
                       String[] dimensionNames) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        this.network = network;
        this.standardizer = standardizer;
        this.targetMean = targetMean.clone();
        this.targetScale = targetScale.clone();
        this.dimensionNames = dimensionNames.clone();
        this.folded = folded(null);
        this.rowBuffer = ThreadLocal.withInitial(() -> new float[network.inputSize()]);
    }

    /**
     * This model as one network on raw features: {@code y = net'(x)} where {@code net'} has the input
     * standardisation folded into its first dense layer ({@code W'[i,:] = W[i,:]/scale_i},
     * {@code b' = b − Σ_i (mean_i/scale_i) W[i,:]}) and the target scaling into its last ({@code W' = W·s_t},
     * {@code b' = b·s_t + m_t}); the output layer is linear, so this is exact up to float rounding. An outer
     * standardisation applied before this model (a distilled detector's) can be folded in too.
     * @param outer A standardisation applied to the features before this model's own, or null.
     * @return A new network computing the same predictions from raw features.
     */
    FeedForwardNetwork foldedNetwork(FeatureStandardizer outer) {
        int d = network.inputSize();
        float[] mean = standardizer.mean();
        float[] scale = standardizer.scale();
        if (outer != null) { // ((x − m1)/s1 − m2)/s2 = (x − (m1 + m2·s1)) / (s1·s2)
            float[] m1 = outer.mean();
            float[] s1 = outer.scale();
            for (int i = 0; i < d; i++) {
                mean[i] = m1[i] + mean[i] * s1[i];
                scale[i] = s1[i] * scale[i];
            }
        }
        FeedForwardNetwork f = network.copy();
        float[] p = f.parameters();
        List<DenseLayer> dense = new ArrayList<>();
        for (io.github.tribuokd.nn.Layer l : f.layers()) {
            if (l instanceof DenseLayer) {
                dense.add((DenseLayer) l);
            }
        }
        DenseLayer first = dense.get(0);
        int out = first.outputSize();
        for (int o = 0; o < out; o++) {
            double shift = 0;
            for (int i = 0; i < d; i++) {
                int w = first.weightOffset() + i * out + o;
                shift += (double) mean[i] / scale[i] * p[w];
            }
            p[first.biasOffset() + o] -= (float) shift;
        }
        for (int i = 0; i < d; i++) {
            for (int o = 0; o < out; o++) {
                p[first.weightOffset() + i * out + o] /= scale[i];
            }
        }
        DenseLayer last = dense.get(dense.size() - 1);
        int k = last.outputSize();
        int lastIn = last.inputSize();
        for (int o = 0; o < k; o++) {
            float ts = (float) targetScale[o];
            for (int i = 0; i < lastIn; i++) {
                p[last.weightOffset() + i * k + o] *= ts;
            }
            p[last.biasOffset() + o] = p[last.biasOffset() + o] * ts + (float) targetMean[o];
        }
        return f;
    }

    /**
     * This model (after an optional outer standardisation) as one network on raw features, with its scoring routes.
     * @param outer A standardisation applied to the features before this model's own, or null.
     * @return The folded model.
     */
    FoldedMLP folded(FeatureStandardizer outer) {
        return new FoldedMLP(foldedNetwork(outer));
    }

    /**
     * Predicts output dimension 0 for one raw row in feature-id order, allocating nothing: the deployable
     * single-sample path. With one hidden layer and the Vector API this is {@link OneHiddenLayerScorer}'s kernel
     * (bit-identical to the same row scored in a batch by {@link #predictMatrix}); otherwise the generic forward
     * pass.
     * @param row The buffer holding the row.
     * @param offset Where the row starts.
     * @return The prediction.
     */
    public double predictOne(float[] row, int offset) {
        return folded.predictOne(row, offset);
    }

    /**
     * The name of the kernel that scores this model ({@link OneHiddenLayerScorer#name()}, or {@code "generic"}).
     * @return The name.
     */
    public String scoringKernel() {
        return folded.scorer() == null ? "generic" : folded.scorer().name();
    }

    /**
     * The number of trainable parameters.
     * @return The parameter count.
     */
    public long numParameters() {
        return network.numParameters();
    }

    /**
     * The layer widths, input first.
     * @return The sizes.
     */
    public int[] layerSizes() {
        return network.sizes();
    }

    /**
     * Predicts the first output dimension for a raw row-major matrix in feature-id order, without creating
     * examples (the fast path used by distilled detectors). The input is not modified. Batches of at least
     * {@link OneHiddenLayerScorer#PARALLEL_MIN_ROWS} rows of a one-hidden-layer model are split across
     * {@link OneHiddenLayerScorer#DEFAULT_THREADS} threads; every prediction is the same whatever the split.
     * @param matrix {@code [n, numFeatures]}.
     * @param n Rows.
     * @param out Receives {@code n} predictions of output dimension 0.
     */
    public void predictMatrix(float[] matrix, int n, double[] out) {
        folded.predictMatrix(matrix, n, out, OneHiddenLayerScorer.DEFAULT_THREADS);
    }

    /**
     * {@link #predictMatrix(float[], int, double[])} on at most {@code threads} threads (1: the calling thread
     * only). The predictions do not depend on {@code threads}.
     * @param matrix {@code [n, numFeatures]}.
     * @param n Rows.
     * @param out Receives {@code n} predictions of output dimension 0.
     * @param threads The most threads to use.
     */
    public void predictMatrix(float[] matrix, int n, double[] out, int threads) {
        folded.predictMatrix(matrix, n, out, threads);
    }

    @Override
    public Prediction<Regressor> predict(Example<Regressor> example) {
        float[] row = rowBuffer.get();
        FeatureMatrix.fillRow(example, featureIDMap, row, 0, -1);
        float[] y = folded.predictAll(row);
        double[] values = new double[dimensionNames.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = y[i];
        }
        return new Prediction<>(new Regressor(dimensionNames, values), featureIDMap.size(), example);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Regressor>> getExcuse(Example<Regressor> example) {
        return Optional.empty();
    }

    @Override
    protected MLPRegressionModel copy(String newName, ModelProvenance newProvenance) {
        return new MLPRegressionModel(newName, newProvenance, featureIDMap, outputIDInfo, network.copy(),
                standardizer, targetMean, targetScale, dimensionNames);
    }

    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-MLPRegressionModel");
        ONNXPlaceholder input = ctx.floatInput("input", featureIDMap.size());
        ONNXPlaceholder output = ctx.floatOutput("output", dimensionNames.length);
        writeONNXGraph(input).assignTo(output);
        return ONNXExportable.buildModel(ctx, domain, modelVersion, this);
    }

    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        ONNXContext ctx = input.onnxContext();
        ONNXRef<?> z = OnnxGraphs.standardize(input, standardizer, "mlp_input");
        ONNXRef<?> y = OnnxGraphs.network(z, network, "mlp");
        float[] scale = new float[targetScale.length];
        float[] mean = new float[targetMean.length];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = (float) targetScale[i];
            mean[i] = (float) targetMean[i];
        }
        ONNXInitializer s = ctx.array("mlp_target_scale", scale);
        ONNXInitializer m = ctx.array("mlp_target_mean", mean);
        return y.apply(ONNXOperators.MUL, s).apply(ONNXOperators.ADD, m);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Regressor> carrier = createDataCarrier();
        MLPRegressionModelProto.Builder b = MLPRegressionModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setNetwork(ProtoSupport.network(network))
                .setStandardizer(standardizer.toProto())
                .addAllDimensionNames(Arrays.asList(dimensionNames));
        for (int i = 0; i < targetMean.length; i++) {
            b.addTargetMean(targetMean[i]);
            b.addTargetScale(targetScale[i]);
        }
        return ProtoSupport.modelProto(CURRENT_VERSION, MLPRegressionModel.class, b.build());
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not an {@link MLPRegressionModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static MLPRegressionModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = MLPRegressionModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        MLPRegressionModelProto proto = ProtoSupport.unpack(message, MLPRegressionModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Regressor.class, me);
        int d = carrier.featureDomain().size();
        int k = proto.getDimensionNamesCount();
        if (k < 1 || proto.getTargetMeanCount() != k || proto.getTargetScaleCount() != k) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + k + " output dimensions, "
                    + proto.getTargetMeanCount() + " target means, " + proto.getTargetScaleCount() + " target scales");
        }
        FeedForwardNetwork net = ProtoSupport.network(proto.getNetwork(), d, k, me);
        FeatureStandardizer std = ProtoSupport.standardizer(proto.getStandardizer(), d, me, "standardizer");
        double[] mean = ProtoSupport.finiteDoubles(proto.getTargetMeanList(), k, me, "target_mean");
        double[] scale = ProtoSupport.finiteDoubles(proto.getTargetScaleList(), k, me, "target_scale");
        for (double s : scale) {
            ProtoSupport.positive(s, me, "target_scale");
        }
        if (proto.getDimensionNamesList().stream().anyMatch(String::isEmpty)) {
            throw ProtoSupport.invalid(me, "dimension_names", "holds an empty name");
        }
        return new MLPRegressionModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Regressor>) carrier.outputDomain(), net, std, mean, scale,
                proto.getDimensionNamesList().toArray(new String[0]));
    }
}
