package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.protos.ConvRegressionModelProto;
import io.github.tribuokd.nn.ConvNetSpec;
import io.github.tribuokd.nn.SequentialNetwork;
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
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A convolutional regressor on images, {@code y = net(x) · targetScale + targetMean}: the students S1–S7 of Pol
 * et al. (seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.1, Table 1), convolutional layers followed by one dense layer, which regress the teacher's
 * log anomaly score.
 * <p>
 * The features, in id (name) order, are one image in C, H, W order, used as given. Exports to ONNX as Reshape,
 * Conv, Relu, AveragePool, Flatten and Gemm nodes with the target scaling in the graph (input
 * {@code "input" [batch, C·H·W]}, output {@code "output" [batch, 1]}). {@link #predictMatrix} scores a raw matrix
 * without creating examples or allocating per row.
 */
public final class ConvRegressionModel extends Model<Regressor> implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    private static final int SCORING_BATCH = 64;

    /** The architecture the network was built from. */
    private final ConvNetSpec spec;
    /** The trained convolutional regressor. */
    private final SequentialNetwork network;
    /** The mean of the training targets (the network predicts standardised targets). */
    private final double targetMean;
    /** The standard deviation of the training targets. */
    private final double targetScale;
    /** The name of the regressed output dimension. */
    private final String dimensionName;
    private final transient ThreadLocal<Scratch> scratch;

    ConvRegressionModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                        ImmutableOutputInfo<Regressor> outputIDInfo, ConvNetSpec spec, SequentialNetwork network,
                        double targetMean, double targetScale, String dimensionName) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        this.spec = spec;
        this.network = network;
        this.targetMean = targetMean;
        this.targetScale = targetScale;
        this.dimensionName = dimensionName;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(network, SCORING_BATCH));
    }

    /**
     * The architecture.
     * @return The network specification.
     */
    public ConvNetSpec spec() {
        return spec;
    }

    /**
     * The number of trainable parameters, counted from the layers.
     * @return The parameter count.
     */
    public long numParameters() {
        return network.numParameters();
    }

    /**
     * Floating-point operations of one image's forward pass ({@link ConvNetSpec#flops()}).
     * @return The count.
     */
    public long flops() {
        return spec.flops();
    }

    /**
     * The target mean of {@code y = net(x)·scale + mean}.
     * @return The mean.
     */
    public double targetMean() {
        return targetMean;
    }

    /**
     * The target scale of {@code y = net(x)·scale + mean}.
     * @return The scale.
     */
    public double targetScale() {
        return targetScale;
    }

    /**
     * Predicts a raw row-major matrix of images in feature-id order, without creating examples (the fast path of
     * distilled detectors). The input is not modified.
     * @param matrix {@code [n, C·H·W]}.
     * @param n Rows.
     * @param out Receives {@code n} predictions.
     */
    public void predictMatrix(float[] matrix, int n, double[] out) {
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        for (int first = 0; first < n; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, n - first);
            float[] y = network.infer(matrix, first * d, size, s.ws);
            for (int r = 0; r < size; r++) {
                out[first + r] = y[r] * targetScale + targetMean;
            }
        }
    }

    @Override
    public Prediction<Regressor> predict(Example<Regressor> example) {
        Scratch s = scratch.get();
        FeatureMatrix.fillRow(example, featureIDMap, s.row, 0, -1);
        float[] y = network.forward(s.row, 1, s.ws);
        double value = y[0] * targetScale + targetMean;
        return new Prediction<>(new Regressor(dimensionName, value), featureIDMap.size(), example);
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
    protected ConvRegressionModel copy(String newName, ModelProvenance newProvenance) {
        return new ConvRegressionModel(newName, newProvenance, featureIDMap, outputIDInfo, spec, network.copy(),
                targetMean, targetScale, dimensionName);
    }

    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-ConvRegressionModel");
        ONNXPlaceholder input = ctx.floatInput("input", featureIDMap.size());
        ONNXPlaceholder output = ctx.floatOutput("output", 1);
        writeONNXGraph(input).assignTo(output);
        return ONNXExportable.buildModel(ctx, domain, modelVersion, this);
    }

    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        ONNXContext ctx = input.onnxContext();
        ONNXRef<?> y = OnnxGraphs.convNetwork(input, network, "conv");
        return y.apply(ONNXOperators.MUL, ctx.array("conv_target_scale", new float[]{(float) targetScale}))
                .apply(ONNXOperators.ADD, ctx.array("conv_target_mean", new float[]{(float) targetMean}));
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Regressor> carrier = createDataCarrier();
        ConvRegressionModelProto data = ConvRegressionModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setNetwork(ProtoSupport.convNetwork(spec, network))
                .setTargetMean(targetMean)
                .setTargetScale(targetScale)
                .setDimensionName(dimensionName)
                .build();
        return ProtoSupport.modelProto(CURRENT_VERSION, ConvRegressionModel.class, data);
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not a {@link ConvRegressionModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static ConvRegressionModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = ConvRegressionModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        ConvRegressionModelProto proto = ProtoSupport.unpack(message, ConvRegressionModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Regressor.class, me);
        int d = carrier.featureDomain().size();
        ConvNetSpec spec = ProtoSupport.convSpec(proto.getNetwork(), d, 1, me);
        ProtoSupport.positive(proto.getTargetScale(), me, "target_scale");
        ProtoSupport.finite(proto.getTargetMean(), me, "target_mean");
        if (proto.getDimensionName().isEmpty()) {
            throw ProtoSupport.invalid(me, "dimension_name", "is empty");
        }
        SequentialNetwork net = ProtoSupport.convNetwork(spec, proto.getNetwork(), me);
        return new ConvRegressionModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Regressor>) carrier.outputDomain(), spec, net, proto.getTargetMean(),
                proto.getTargetScale(), proto.getDimensionName());
    }

    private static final class Scratch {
        final float[] row;
        final SequentialNetwork.Workspace ws;

        Scratch(SequentialNetwork net, int capacity) {
            row = new float[net.inputSize()];
            ws = net.newWorkspace(capacity);
        }
    }
}
