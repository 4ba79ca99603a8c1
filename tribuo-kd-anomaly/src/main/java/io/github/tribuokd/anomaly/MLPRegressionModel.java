package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.nn.FeedForwardNetwork;
import io.github.tribuokd.anomaly.protos.MLPRegressionModelProto;
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
 * The compact student of Pol et al. (seed 001): it regresses the teacher's (log) anomaly score. Exports to ONNX
 * with the standardisation and the target scaling inside the graph (inputs {@code "input" [batch, d]}, output
 * {@code "output" [batch, k]}). Examples must carry exactly the model's features ({@link FeatureMatrix}).
 */
public final class MLPRegressionModel extends Model<Regressor> implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    private final FeedForwardNetwork network;
    private final FeatureStandardizer standardizer;
    private final double[] targetMean;
    private final double[] targetScale;
    private final String[] dimensionNames;
    private final transient ThreadLocal<Scratch> scratch;

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
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(network, 256));
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
     * examples (the fast path used by distilled detectors). The input is not modified.
     * @param matrix {@code [n, numFeatures]}.
     * @param n Rows.
     * @param out Receives {@code n} predictions of output dimension 0.
     */
    public void predictMatrix(float[] matrix, int n, double[] out) {
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        int cap = s.ws.capacity();
        for (int first = 0; first < n; first += cap) {
            int size = Math.min(cap, n - first);
            System.arraycopy(matrix, first * d, s.rows, 0, size * d);
            standardizer.applyInPlace(s.rows, size);
            float[] y = network.forward(s.rows, size, s.ws);
            int k = network.outputSize();
            for (int r = 0; r < size; r++) {
                out[first + r] = y[r * k] * targetScale[0] + targetMean[0];
            }
        }
    }

    @Override
    public Prediction<Regressor> predict(Example<Regressor> example) {
        Scratch s = scratch.get();
        FeatureMatrix.fillRow(example, featureIDMap, s.rows, 0, -1);
        standardizer.applyInPlace(s.rows, 1);
        float[] y = network.forward(s.rows, 1, s.ws);
        double[] values = new double[dimensionNames.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = y[i] * targetScale[i] + targetMean[i];
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
        return ModelProto.newBuilder()
                .setVersion(CURRENT_VERSION)
                .setClassName(MLPRegressionModel.class.getName())
                .setSerializedData(Any.pack(b.build()))
                .build();
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
        MLPRegressionModelProto proto = message.unpack(MLPRegressionModelProto.class);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Regressor.class, me);
        int d = carrier.featureDomain().size();
        int k = proto.getDimensionNamesCount();
        if (k < 1 || proto.getTargetMeanCount() != k || proto.getTargetScaleCount() != k) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + k + " output dimensions, "
                    + proto.getTargetMeanCount() + " target means, " + proto.getTargetScaleCount() + " target scales");
        }
        FeedForwardNetwork net = ProtoSupport.network(proto.getNetwork(), d, k, me);
        FeatureStandardizer std = FeatureStandardizer.fromProto(proto.getStandardizer(), d);
        double[] mean = proto.getTargetMeanList().stream().mapToDouble(Double::doubleValue).toArray();
        double[] scale = proto.getTargetScaleList().stream().mapToDouble(Double::doubleValue).toArray();
        return new MLPRegressionModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Regressor>) carrier.outputDomain(), net, std, mean, scale,
                proto.getDimensionNamesList().toArray(new String[0]));
    }

    private static final class Scratch {
        final float[] rows;
        final FeedForwardNetwork.Workspace ws;

        Scratch(FeedForwardNetwork net, int capacity) {
            rows = new float[capacity * net.inputSize()];
            ws = net.newWorkspace(capacity);
        }
    }
}
