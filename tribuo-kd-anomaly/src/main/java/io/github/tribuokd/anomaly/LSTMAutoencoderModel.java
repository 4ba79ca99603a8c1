package io.github.tribuokd.anomaly;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.nn.LSTMAutoencoderNetwork;
import io.github.tribuokd.anomaly.protos.LSTMAutoencoderModelProto;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

/**
 * An LSTM encoder-decoder anomaly detector (Malhotra et al. 2016; the teacher of seed 000) on windows of
 * {@code L} steps × {@code m} variables, features named {@code t<step>.v<variable>}.
 * <p>
 * <b>Inference is free-running</b>, as in Malhotra et al.: the decoder starts from the encoder's final state and
 * reads its own previous output (training used teacher forcing, see {@link LSTMAutoencoderTrainer}).
 * <b>Score</b>: the mean squared reconstruction error of the window in standardised units (per-variable
 * standardisation fitted on the training data); {@link #errorVectors} gives the per-point absolute errors
 * {@code e_t = |x_t − x'_t|} that the Mahalanobis score of seed 000, eq. 1, is computed from. ANOMALOUS when the
 * score is strictly above {@link #threshold()}.
 */
public final class LSTMAutoencoderModel extends AbstractScoredAnomalyModel {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    private static final int NETWORK_BATCH = 64;

    private final LSTMAutoencoderNetwork network;
    private final FeatureStandardizer standardizer;
    private final int steps;
    private final double[] trainingLoss;
    private final transient ThreadLocal<Scratch> scratch;

    LSTMAutoencoderModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                         ImmutableOutputInfo<Event> outputIDInfo, LSTMAutoencoderNetwork network,
                         FeatureStandardizer standardizer, int steps, double threshold, double[] trainingLoss) {
        super(name, provenance, featureIDMap, outputIDInfo, threshold);
        this.network = network;
        this.standardizer = standardizer;
        this.steps = steps;
        this.trainingLoss = trainingLoss.clone();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(network, steps));
    }

    @Override
    public long numParameters() {
        return network.numParameters();
    }

    /** The live network (read-only use by distillation trainers of this package). */
    LSTMAutoencoderNetwork network() {
        return network;
    }

    /** @return The per-variable standardisation fitted on the training windows. */
    public FeatureStandardizer standardizer() {
        return standardizer;
    }

    /** @return The window length L. */
    public int windowLength() {
        return steps;
    }

    /** @return The number of variables m. */
    public int variables() {
        return network.variables();
    }

    /** @return The LSTM state size H. */
    public int hiddenSize() {
        return network.hidden();
    }

    /** @return The mean training MSE of every epoch (the learning curve), a copy. */
    public double[] trainingLoss() {
        return trainingLoss.clone();
    }

    /**
     * Per-point absolute reconstruction errors {@code e_t = |x_t − x'_t|} in standardised units, free-running.
     * @param windows Raw windows {@code [n, L·m]} in feature-id order (not modified).
     * @param n The number of windows.
     * @param errors Receives {@code [n, L, m]}.
     */
    public void errorVectors(float[] windows, int n, float[] errors) {
        Scratch s = scratch.get();
        int w = steps * network.variables();
        for (int first = 0; first < n; first += NETWORK_BATCH) {
            int size = Math.min(NETWORK_BATCH, n - first);
            System.arraycopy(windows, first * w, s.rows, 0, size * w);
            standardizer.applyInPlace(s.rows, size * steps); // per variable: [size·L, m]
            network.freeRunningErrors(s.rows, 0, size, s.ws, s.errors);
            System.arraycopy(s.errors, 0, errors, first * w, size * w);
        }
    }

    /** Standardises per variable, reconstructs free-running, writes the mean squared error of each window. */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        Scratch s = scratch.get();
        int w = steps * network.variables();
        for (int first = 0; first < n; first += NETWORK_BATCH) {
            int size = Math.min(NETWORK_BATCH, n - first);
            standardizer.applyInPlace(rows, first * steps, size * steps);
            network.freeRunningErrors(rows, first * w, size, s.ws, s.errors);
            for (int r = 0; r < size; r++) {
                double sum = 0;
                for (int j = 0; j < w; j++) {
                    double e = s.errors[r * w + j];
                    sum += e * e;
                }
                out[offset + first + r] = sum / w;
            }
        }
    }

    @Override
    protected LSTMAutoencoderModel copy(String newName, ModelProvenance newProvenance) {
        return new LSTMAutoencoderModel(newName, newProvenance, featureIDMap, outputIDInfo, network.copy(),
                standardizer, steps, threshold, trainingLoss);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        LSTMAutoencoderModelProto.Builder b = LSTMAutoencoderModelProto.newBuilder()
                .setMetadata(ProtoSupport.metadata(carrier))
                .setWindowLength(steps)
                .setVariables(network.variables())
                .setHidden(network.hidden())
                .setStandardizer(standardizer.toProto())
                .setThreshold(threshold);
        for (float p : network.parameters()) {
            b.addParameters(p);
        }
        for (double l : trainingLoss) {
            b.addTrainingLoss(l);
        }
        return ModelProto.newBuilder().setVersion(CURRENT_VERSION).setClassName(LSTMAutoencoderModel.class.getName())
                .setSerializedData(Any.pack(b.build())).build();
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not an {@link LSTMAutoencoderModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static LSTMAutoencoderModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = LSTMAutoencoderModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        LSTMAutoencoderModelProto proto = message.unpack(LSTMAutoencoderModelProto.class);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        int steps = proto.getWindowLength(), m = proto.getVariables(), h = proto.getHidden();
        if (steps < 1 || m < 1 || h < 1 || (long) steps * m != carrier.featureDomain().size()) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": window " + steps + " x " + m
                    + " variables, hidden " + h + ", but " + carrier.featureDomain().size() + " features");
        }
        LSTMAutoencoderNetwork net = new LSTMAutoencoderNetwork(m, h);
        if (proto.getParametersCount() != net.numParameters()) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": expected " + net.numParameters()
                    + " parameters, found " + proto.getParametersCount());
        }
        float[] p = new float[net.numParameters()];
        for (int i = 0; i < p.length; i++) {
            p[i] = proto.getParameters(i);
        }
        net.setParameters(p);
        FeatureStandardizer std = FeatureStandardizer.fromProto(proto.getStandardizer(), m);
        double[] loss = proto.getTrainingLossList().stream().mapToDouble(Double::doubleValue).toArray();
        return new LSTMAutoencoderModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), net, std, steps, proto.getThreshold(), loss);
    }

    private static final class Scratch {
        final LSTMAutoencoderNetwork.Workspace ws;
        final float[] rows;
        final float[] errors;

        Scratch(LSTMAutoencoderNetwork net, int steps) {
            ws = net.newWorkspace(NETWORK_BATCH, steps);
            rows = new float[NETWORK_BATCH * steps * net.variables()];
            errors = new float[NETWORK_BATCH * steps * net.variables()];
        }
    }
}
