package io.github.tribuokd.anomaly.classification;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.FeatureMatrix;
import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.anomaly.OnnxGraphs;
import io.github.tribuokd.anomaly.ProtoSupport;
import io.github.tribuokd.anomaly.protos.MLPClassificationModelProto;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.FeedForwardNetwork;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A multi-layer perceptron classifier: {@code p = softmax(net((x − mean)/scale))}, the network's last layer linear
 * (its outputs are the logits, one per label in the output domain's id order).
 * <p>
 * Predictions carry the full distribution: the predicted label is the most probable one and
 * {@link Prediction#getOutputScores()} holds every label with its softmax probability
 * ({@link #generatesProbabilities()} is true). Immutable: the network is copied in and never handed out, and the
 * standardisation is immutable. Examples must carry exactly the model's features, with finite values ({@link FeatureMatrix}).
 * Serialises to protobuf ({@code MLPClassificationModelProto}, checked and checksummed by {@link ProtoSupport}) and
 * exports to ONNX: input {@code "input" [batch, d]} (features in id order, i.e. sorted by name), output
 * {@code "output" [batch, k]} float probabilities (labels in id order), as Tribuo's own classifiers.
 * <p>
 * Trained by {@link MLPClassificationTrainer}, alone or as the student of {@link SoftTargetDistillationTrainer}.
 */
public final class MLPClassificationModel extends Model<Label> implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** The trained network (logits; dropout is a training-time layer and absent here). */
    private final FeedForwardNetwork network;
    /** The per-feature standardisation fitted on the training inputs. */
    private final FeatureStandardizer standardizer;
    private final transient ThreadLocal<Scratch> scratch;

    /** One thread's row buffer and workspace. */
    private static final class Scratch {
        final float[] row;
        final FeedForwardNetwork.Workspace ws;

        Scratch(FeedForwardNetwork network) {
            row = new float[network.inputSize()];
            ws = network.newWorkspace(1);
        }
    }

    MLPClassificationModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                           ImmutableOutputInfo<Label> outputIDInfo, FeedForwardNetwork network,
                           FeatureStandardizer standardizer) {
        super(name, provenance, featureIDMap, outputIDInfo, true);
        if (network.inputSize() != featureIDMap.size() || network.outputSize() != outputIDInfo.size()) {
            throw new IllegalArgumentException("A network of sizes " + java.util.Arrays.toString(network.sizes())
                    + " does not fit " + featureIDMap.size() + " features and " + outputIDInfo.size() + " labels");
        }
        if (network.outputActivation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("The network must output logits (a linear last layer), found "
                    + network.outputActivation());
        }
        this.network = network.copy();
        this.standardizer = standardizer;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(this.network));
    }

    /**
     * The number of trainable parameters.
     * @return The parameter count.
     */
    public long numParameters() {
        return network.numParameters();
    }

    /**
     * The layer widths, input first (the last is the number of labels).
     * @return The sizes.
     */
    public int[] layerSizes() {
        return network.sizes();
    }

    /**
     * The hidden activation.
     * @return The activation between layers.
     */
    public Activation activation() {
        return network.hiddenActivation();
    }

    /**
     * The logits of an example, in label-id order.
     * @param example The example.
     * @return {@code [k]} logits.
     */
    public float[] logits(Example<Label> example) {
        Scratch s = scratch.get();
        FeatureMatrix.fillRow(example, featureIDMap, s.row, 0, -1);
        standardizer.applyInPlace(s.row, 0, 1);
        return network.infer(s.row, 0, 1, s.ws).clone();
    }

    /**
     * The softmax of logits, in double with the max shift.
     * @param logits {@code [k]}.
     * @return {@code [k]} probabilities.
     */
    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        double[] p = softmax(logits(example));
        Map<String, Label> scores = new LinkedHashMap<>();
        int best = 0;
        for (int id = 0; id < p.length; id++) {
            String name = outputIDInfo.getOutput(id).getLabel();
            scores.put(name, new Label(name, p[id]));
            if (p[id] > p[best]) {
                best = id;
            }
        }
        String bestName = outputIDInfo.getOutput(best).getLabel();
        return new Prediction<>(new Label(bestName, p[best]), scores, featureIDMap.size(), example, true);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected MLPClassificationModel copy(String newName, ModelProvenance newProvenance) {
        return new MLPClassificationModel(newName, newProvenance, featureIDMap, outputIDInfo, network, standardizer);
    }

    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-MLPClassificationModel");
        ONNXPlaceholder input = ctx.floatInput("input", featureIDMap.size());
        ONNXPlaceholder output = ctx.floatOutput("output", outputIDInfo.size());
        writeONNXGraph(input).assignTo(output);
        return ONNXExportable.buildModel(ctx, domain, modelVersion, this);
    }

    /**
     * {@code input [batch, d] → (x − mean)/scale → Gemm/activations → logits [batch, k] → Softmax(axis 1)}.
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        ONNXRef<?> z = OnnxGraphs.standardize(input, standardizer, "mlp_input");
        ONNXRef<?> logits = OnnxGraphs.network(z, network, "mlp");
        return logits.apply(ONNXOperators.SOFTMAX, Collections.singletonMap("axis", 1));
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Label> carrier = createDataCarrier();
        MLPClassificationModelProto proto = MLPClassificationModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setNetwork(ProtoSupport.network(network))
                .setStandardizer(standardizer.toProto())
                .build();
        return ModelProto.newBuilder()
                .setVersion(CURRENT_VERSION)
                .setClassName(MLPClassificationModel.class.getName())
                .setSerializedData(Any.pack(ProtoSupport.withChecksum(proto)))
                .build();
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not an {@link MLPClassificationModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static MLPClassificationModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = MLPClassificationModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        MLPClassificationModelProto proto = ProtoSupport.unpack(message, MLPClassificationModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Label.class, me);
        int d = carrier.featureDomain().size();
        int k = carrier.outputDomain().size();
        if (k < 2) {
            throw ProtoSupport.invalid(me, "metadata", "has " + k + " labels; a classifier needs at least 2");
        }
        FeedForwardNetwork net = ProtoSupport.network(proto.getNetwork(), d, k, me);
        if (net.outputActivation() != Activation.IDENTITY) {
            throw ProtoSupport.invalid(me, "network.output_activation", "is " + net.outputActivation()
                    + "; the network must output logits (IDENTITY)");
        }
        FeatureStandardizer std = ProtoSupport.standardizer(proto.getStandardizer(), d, me, "standardizer");
        return new MLPClassificationModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Label>) carrier.outputDomain(), net, std);
    }
}
