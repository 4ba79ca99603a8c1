package io.github.tribuokd.anomaly;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.protos.ConvAutoencoderModelProto;
import io.github.tribuokd.nn.ConvNetSpec;
import io.github.tribuokd.nn.SequentialNetwork;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

/**
 * A convolutional autoencoder anomaly detector for images: the teacher of Pol et al. (seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.1).
 * <p>
 * <b>Score</b>: the reconstruction mean squared error of one image, {@code S(x) = 1/d Σ_j (x_j − x̂_j)²} over its
 * {@code d = C·H·W} pixels ({@code S_i = L(x_i, D(E(x_i)))} of the seed). The features, in id order (Tribuo sorts
 * them by name, so zero-padded pixel names such as {@code p000 … p783} keep the pixel order), are read as one
 * image in C, H, W order; pixels are used as given (no standardisation). ANOMALOUS when the score is strictly above
 * {@link #threshold()}. Scoring allocates nothing per example. Serialization is protobuf only.
 */
public final class ConvAutoencoderModel extends AbstractScoredAnomalyModel {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** The architecture the network was built from. */
    private final ConvNetSpec spec;
    /** The trained convolutional autoencoder. */
    private final SequentialNetwork network;
    /** The mean training loss of each epoch. */
    private final double[] trainingLoss;
    private final transient ThreadLocal<SequentialNetwork.Workspace> workspace;

    /** Images reconstructed together (a workspace keeps every layer's activations: 16×28×28 floats per image). */
    private static final int CHUNK = 32;

    ConvAutoencoderModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                         ImmutableOutputInfo<Event> outputIDInfo, ConvNetSpec spec, SequentialNetwork network,
                         double[] trainingLoss, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        this.spec = spec;
        this.network = network;
        this.trainingLoss = trainingLoss.clone();
        this.workspace = ThreadLocal.withInitial(() -> network.newWorkspace(CHUNK));
    }

    @Override
    public long numParameters() {
        return network.numParameters();
    }

    /**
     * The architecture.
     * @return The network specification.
     */
    public ConvNetSpec spec() {
        return spec;
    }

    /**
     * Floating-point operations of one image's forward pass ({@link ConvNetSpec#flops()}).
     * @return The count.
     */
    public long flops() {
        return spec.flops();
    }

    /**
     * The mean training MSE of every epoch.
     * @return A copy.
     */
    public double[] trainingLoss() {
        return trainingLoss.clone();
    }

    /**
     * A copy of the trained network (for co-learning and inspection).
     * @return The network.
     */
    SequentialNetwork networkCopy() {
        return network.copy();
    }

    /** Reconstructs and writes the MSE per row. */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        int d = featureIDMap.size();
        SequentialNetwork.Workspace ws = workspace.get();
        for (int first = 0; first < n; first += CHUNK) {
            int size = Math.min(CHUNK, n - first);
            float[] recon = network.infer(rows, first * d, size, ws);
            for (int r = 0; r < size; r++) {
                out[offset + first + r] = squaredError(rows, (first + r) * d, recon, r * d, d) / d;
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public ConvAutoencoderModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        return (ConvAutoencoderModel) super.withNonFiniteScorePolicy(policy);
    }

    @Override
    public ConvAutoencoderModel copy() {
        return (ConvAutoencoderModel) super.copy();
    }

    @Override
    protected ConvAutoencoderModel copy(String newName, ModelProvenance newProvenance) {
        return new ConvAutoencoderModel(newName, newProvenance, featureIDMap, outputIDInfo, spec, network.copy(),
                trainingLoss, threshold);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        ConvAutoencoderModelProto.Builder b = ConvAutoencoderModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setNetwork(ProtoSupport.convNetwork(spec, network))
                .setThreshold(threshold);
        for (double l : trainingLoss) {
            b.addTrainingLoss(l);
        }
        return ProtoSupport.modelProto(CURRENT_VERSION, ConvAutoencoderModel.class, b.build());
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not a {@link ConvAutoencoderModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static ConvAutoencoderModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = ConvAutoencoderModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        ConvAutoencoderModelProto proto = ProtoSupport.unpack(message, ConvAutoencoderModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        int d = carrier.featureDomain().size();
        ConvNetSpec spec = ProtoSupport.convSpec(proto.getNetwork(), d, d, me);
        SequentialNetwork net = ProtoSupport.convNetwork(spec, proto.getNetwork(), me);
        double[] loss = proto.getTrainingLossList().stream().mapToDouble(Double::doubleValue).toArray();
        double threshold = ProtoSupport.atLeast(proto.getThreshold(), 0, me, "threshold"); // a mean squared error
        return new ConvAutoencoderModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), spec, net, loss, threshold);
    }
}
