package io.github.tribuokd.anomaly;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.nn.FeedForwardNetwork;
import io.github.tribuokd.anomaly.protos.AutoencoderModelProto;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;


/**
 * A dense autoencoder anomaly detector (a teacher of Pol et al., seed 001, §2).
 * <p>
 * <b>Score</b>: the reconstruction mean squared error of one example in standardised feature space,
 * {@code S(x) = 1/d Σ_j (z_j − ẑ_j)²} with {@code z = (x − mean) / scale} (seed 001: {@code S_i = L(x_i, D(E(x_i)))}).
 * Higher means more anomalous. An example is {@link org.tribuo.anomaly.Event.EventType#ANOMALOUS} when its score
 * is strictly greater than {@link #threshold()}, a quantile of the scores on the validation part of the training
 * data.
 * <p>
 * Examples must carry exactly the model's features (see {@link FeatureMatrix}). Scoring allocates nothing per
 * example: it reuses per-thread buffers. Serialization is protobuf only.
 */
public final class AutoencoderModel extends AbstractScoredAnomalyModel {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    private final FeedForwardNetwork network;
    private final FeatureStandardizer standardizer;
    private final transient ThreadLocal<FeedForwardNetwork.Workspace> workspace;

    AutoencoderModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                     ImmutableOutputInfo<Event> outputIDInfo, FeedForwardNetwork network,
                     FeatureStandardizer standardizer, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        this.network = network;
        this.standardizer = standardizer;
        this.workspace = ThreadLocal.withInitial(() -> network.newWorkspace(SCORING_BATCH));
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
     * The fitted input standardisation.
     * @return The standardiser.
     */
    public FeatureStandardizer standardizer() {
        return standardizer;
    }

    /** Standardises the rows in place, reconstructs, writes the MSE per row. */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        int d = featureIDMap.size();
        standardizer.applyInPlace(rows, n);
        float[] recon = network.forward(rows, n, workspace.get());
        for (int r = 0; r < n; r++) {
            double sum = 0;
            int o = r * d;
            for (int j = 0; j < d; j++) {
                double e = rows[o + j] - recon[o + j];
                sum += e * e;
            }
            out[offset + r] = sum / d;
        }
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
        return ModelProto.newBuilder()
                .setVersion(CURRENT_VERSION)
                .setClassName(AutoencoderModel.class.getName())
                .setSerializedData(Any.pack(data))
                .build();
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
        AutoencoderModelProto proto = message.unpack(AutoencoderModelProto.class);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        int d = carrier.featureDomain().size();
        FeedForwardNetwork net = ProtoSupport.network(proto.getNetwork(), d, d, me);
        FeatureStandardizer std = FeatureStandardizer.fromProto(proto.getStandardizer(), d);
        return new AutoencoderModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), net, std, proto.getThreshold());
    }
}
