package io.github.tribuokd.anomaly;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.nn.FeedForwardNetwork;
import io.github.tribuokd.anomaly.protos.AutoencoderModelProto;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
public final class AutoencoderModel extends Model<Event> implements ScoredModel {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    private static final int SCORING_BATCH = 256;

    private final FeedForwardNetwork network;
    private final FeatureStandardizer standardizer;
    private final double threshold;
    private final transient ThreadLocal<Scratch> scratch;

    AutoencoderModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                     ImmutableOutputInfo<Event> outputIDInfo, FeedForwardNetwork network,
                     FeatureStandardizer standardizer, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        this.network = network;
        this.standardizer = standardizer;
        this.threshold = threshold;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(network, SCORING_BATCH));
    }

    /**
     * The decision threshold: scores strictly above it are ANOMALOUS.
     * @return The threshold (in the score's scale, reconstruction MSE).
     */
    public double threshold() {
        return threshold;
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

    @Override
    public double score(Example<Event> example) {
        Scratch s = scratch.get();
        FeatureMatrix.fillRow(example, featureIDMap, s.rows, 0, -1);
        scoreRows(s.rows, 1, s, s.out, 0);
        return s.out[0];
    }

    @Override
    public double[] scores(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        double[] out = new double[list.size()];
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        for (int first = 0; first < out.length; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, out.length - first);
            for (int r = 0; r < size; r++) {
                FeatureMatrix.fillRow(list.get(first + r), featureIDMap, s.rows, r * d, first + r);
            }
            scoreRows(s.rows, size, s, out, first);
        }
        return out;
    }

    /**
     * Scores a raw (unstandardised) row-major matrix whose columns are in feature-id order: the zero-copy path for
     * long series. The input is not modified.
     * @param matrix {@code [n, numFeatures]}.
     * @param n Rows.
     * @param out Receives {@code n} scores.
     */
    @Override
    public void scoreMatrix(float[] matrix, int n, double[] out) {
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        for (int first = 0; first < n; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, n - first);
            System.arraycopy(matrix, first * d, s.rows, 0, size * d);
            scoreRows(s.rows, size, s, out, first);
        }
    }

    /** Standardises {@code rows} in place, reconstructs, writes MSE per row into {@code out[offset..]}. */
    private void scoreRows(float[] rows, int n, Scratch s, double[] out, int offset) {
        int d = featureIDMap.size();
        standardizer.applyInPlace(rows, n);
        float[] recon = network.forward(rows, n, s.ws);
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
    public Prediction<Event> predict(Example<Event> example) {
        double score = score(example);
        return new Prediction<>(toEvent(score), featureIDMap.size(), example);
    }

    @Override
    protected List<Prediction<Event>> innerPredict(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        double[] s = scores(list);
        List<Prediction<Event>> predictions = new ArrayList<>(list.size());
        for (int i = 0; i < s.length; i++) {
            predictions.add(new Prediction<>(toEvent(s[i]), featureIDMap.size(), list.get(i)));
        }
        return predictions;
    }

    private Event toEvent(double score) {
        return new Event(score > threshold ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED, score);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        return Optional.empty();
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

    private static final class Scratch {
        final float[] rows;
        final double[] out = new double[1];
        final FeedForwardNetwork.Workspace ws;

        Scratch(FeedForwardNetwork net, int capacity) {
            rows = new float[capacity * net.inputSize()];
            ws = net.newWorkspace(capacity);
        }
    }
}
