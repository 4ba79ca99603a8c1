package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.protos.LSTMAutoencoderModelProto;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An LSTM encoder-decoder anomaly detector (Malhotra et al. 2016; the teacher and the distilled student of seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md))
 * on windows of {@code L} steps × {@code m} variables, features named {@code t<step>.v<variable>}.
 * <p>
 * <b>Inference is free-running</b>, as in Malhotra et al.: the decoder starts from the encoder's final state and
 * reads its own previous output (training used teacher forcing, see {@link LSTMAutoencoderTrainer}).
 * {@link #errorVectors} gives the per-point absolute errors {@code e_t = |x_t − x'_t|} in standardised units
 * (per-variable standardisation fitted on the training data).
 * <p>
 * <b>Score and decision.</b> Without a decision rule (as trained): the mean squared reconstruction error of the
 * window in standardised units, ANOMALOUS when strictly above {@link #reconstructionThreshold()} (a quantile of the
 * validation windows' scores). With the decision rule of seed {@code 000_*} attached ({@link #withDecisionRule}; a
 * {@link MahalanobisWindowRule}): every point scores {@code a_t = (e_t − μ)ᵀ Σ⁻¹ (e_t − μ)} (eq. 1,
 * {@link #pointScores}), the window's score is the <b>number of its points with {@code a_t > τ}</b> (an integer
 * in {@code [0, L]}), and the window is ANOMALOUS exactly when that count is at least {@code c} — the seed's rule
 * (§2.1). {@link #threshold()} is then {@code c − 0.5}, so that "score strictly above the threshold" is
 * "count ≥ c", in Java and in the exported ONNX graph alike. The count (not, say, the largest {@code a_t}) is the
 * score because it is the quantity the seed decides on; for ranking, {@link #pointScores} gives every {@code a_t}.
 * <p>
 * The rule is serialized with the model (protobuf version 1; version 0 files, without a rule, still load) and
 * recorded in the instance provenance under {@value #DECISION_RULE_PROVENANCE}. The whole detector exports to ONNX
 * ({@link #exportONNXModel}): standardisation, the encoder and decoder as ONNX {@code LSTM} nodes, the errors, and
 * either the mean squared error or eq. 1 and the count with the extra output {@value #POINT_SCORES}.
 */
public final class LSTMAutoencoderModel extends AbstractScoredAnomalyModel implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /**
     * Protobuf serialization version: 0 for a model without a decision rule (the format before rules existed, still
     * written for such models so that older readers load them), 1 for a model carrying one (older readers refuse it
     * rather than silently decide by the reconstruction threshold).
     */
    public static final int CURRENT_VERSION = 1;

    /** Instance-provenance key of the attached {@link MahalanobisWindowRule}'s settings. */
    public static final String DECISION_RULE_PROVENANCE = "mahalanobis-count-rule";

    /** Name of the ONNX output holding the points' scores {@code a_t}, {@code [batch, L]} (with a rule only). */
    public static final String POINT_SCORES = "point_scores";
    /** ONNX metadata key: the window length L. */
    public static final String META_WINDOW_LENGTH = "tribuo-kd.window-length";
    /** ONNX metadata key: the number of variables m. */
    public static final String META_VARIABLES = "tribuo-kd.variables";
    /** ONNX metadata key: the LSTM state size H. */
    public static final String META_HIDDEN = "tribuo-kd.hidden";
    /** ONNX metadata key: what the score is. */
    public static final String META_SCORE = "tribuo-kd.score";
    /** ONNX metadata key: the point threshold τ (with a rule only). */
    public static final String META_TAU = "tribuo-kd.tau";
    /** ONNX metadata key: the window count c (with a rule only). */
    public static final String META_MIN_COUNT = "tribuo-kd.min-count";

    private static final int NETWORK_BATCH = 64;

    /** The trained LSTM encoder-decoder. */
    private final LSTMAutoencoderNetwork network;
    /** The per-variable standardisation fitted on the training windows. */
    private final FeatureStandardizer standardizer;
    /** The window length (time steps per window). */
    private final int steps;
    /** The mean training loss of each epoch. */
    private final double[] trainingLoss;
    /** The threshold on the reconstruction score, calibrated on held-out normal windows. */
    private final double reconstructionThreshold;
    /** The Mahalanobis count rule that decides, or null when the reconstruction threshold decides. */
    private final MahalanobisWindowRule decisionRule;
    private final transient ThreadLocal<Scratch> scratch;

    LSTMAutoencoderModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                         ImmutableOutputInfo<Event> outputIDInfo, LSTMAutoencoderNetwork network,
                         FeatureStandardizer standardizer, int steps, double threshold, double[] trainingLoss) {
        this(name, provenance, featureIDMap, outputIDInfo, network, standardizer, steps, threshold, trainingLoss,
                null);
    }

    private LSTMAutoencoderModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                                 ImmutableOutputInfo<Event> outputIDInfo, LSTMAutoencoderNetwork network,
                                 FeatureStandardizer standardizer, int steps, double reconstructionThreshold,
                                 double[] trainingLoss, MahalanobisWindowRule decisionRule) {
        super(name, provenance, featureIDMap, outputIDInfo,
                decisionRule == null ? reconstructionThreshold : decisionRule.minCount() - 0.5);
        this.network = network;
        this.standardizer = standardizer;
        this.steps = steps;
        this.trainingLoss = trainingLoss.clone();
        this.reconstructionThreshold = reconstructionThreshold;
        this.decisionRule = decisionRule;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(network, steps));
    }

    /**
     * This model deciding by seed 000's rule (§2.1, eq. 1): the score of a window becomes the number of its points
     * with {@code a_t > τ}, and ANOMALOUS means at least {@code c} of them (see the class comment). The network,
     * standardisation and reconstruction threshold are shared (they are immutable in use); the rule's settings are
     * added to the instance provenance under {@value #DECISION_RULE_PROVENANCE} (replacing an earlier rule's); the
     * {@link #nonFiniteScorePolicy()} is kept.
     * <p>
     * A rule is usually fitted on the error vectors ({@link #errorVectors}) of normal validation windows, for
     * example the tail the trainers hold out, with {@link MahalanobisDistance#fit} and a {@code τ} and {@code c}
     * chosen on validation scores (the evaluation module's {@code MahalanobisCountRule} does both and hands over
     * its {@code modelRule()}).
     * @param rule The rule, fitted on error vectors of this model's dimension {@code m}.
     * @return A new model carrying the rule.
     * @throws IllegalArgumentException If the rule is null or its dimension is not this model's number of variables.
     */
    public LSTMAutoencoderModel withDecisionRule(MahalanobisWindowRule rule) {
        if (rule == null) {
            throw new IllegalArgumentException("LSTMAutoencoderModel.withDecisionRule: the rule must not be null");
        }
        if (rule.dimension() != network.variables()) {
            throw new IllegalArgumentException("LSTMAutoencoderModel.withDecisionRule: the rule was fitted on error "
                    + "vectors of dimension m = " + rule.dimension() + ", but this model reconstructs "
                    + network.variables() + " variables per step");
        }
        ModelProvenance withRule = withInstanceValue(provenance, DECISION_RULE_PROVENANCE, rule.provenance());
        return withScoringSettingsOf(new LSTMAutoencoderModel(name, withRule, featureIDMap, outputIDInfo, network,
                standardizer, steps, reconstructionThreshold, trainingLoss, rule));
    }

    /**
     * The same provenance (class, dataset, trainer, training time, system) with one more instance value.
     */
    private static ModelProvenance withInstanceValue(ModelProvenance original, String key, Provenance value) {
        Map<String, Provenance> map = new HashMap<>();
        String instanceKey = null;
        for (Pair<String, Provenance> pair : original) {
            map.put(pair.getA(), pair.getB());
            if (pair.getB() == original.getInstanceProvenance()) {
                instanceKey = pair.getA();
            }
        }
        if (instanceKey == null) {
            throw new IllegalStateException("The model provenance lists no instance values");
        }
        Map<String, Provenance> instance = new HashMap<>(original.getInstanceProvenance().getMap());
        instance.put(key, value);
        map.put(instanceKey, new MapProvenance<>(instance));
        return new ModelProvenance(map);
    }

    /**
     * The carried decision rule, if any.
     * @return The rule, or empty for a model that decides by its reconstruction threshold.
     */
    public Optional<MahalanobisWindowRule> decisionRule() {
        return Optional.ofNullable(decisionRule);
    }

    /**
     * The threshold on the mean squared reconstruction error set at training (a quantile of the validation
     * windows' scores); it decides when no rule is attached, and is kept with one.
     * @return The reconstruction threshold.
     */
    public double reconstructionThreshold() {
        return reconstructionThreshold;
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

    /**
     * The score of every point of every window under the carried rule, seed 000's eq. 1:
     * {@code a_t = (e_t − μ)ᵀ Σ⁻¹ (e_t − μ)} of the error vectors of {@link #errorVectors}.
     * @param windows Raw windows {@code [n, L·m]} in feature-id order (not modified).
     * @param n The number of windows.
     * @param out Receives {@code [n, L]}: window-major, steps in time order.
     * @throws IllegalStateException If the model carries no rule.
     * @throws IllegalArgumentException If the arrays are too short for {@code n} windows.
     */
    public void pointScores(float[] windows, int n, double[] out) {
        MahalanobisWindowRule rule = requireRule("pointScores");
        int w = steps * network.variables();
        if (n < 0 || windows.length < (long) n * w || out.length < (long) n * steps) {
            throw new IllegalArgumentException("pointScores: " + n + " windows need " + (long) n * w + " values and "
                    + (long) n * steps + " outputs, found " + windows.length + " and " + out.length);
        }
        Scratch s = scratch.get();
        for (int first = 0; first < n; first += NETWORK_BATCH) {
            int size = Math.min(NETWORK_BATCH, n - first);
            System.arraycopy(windows, first * w, s.rows, 0, size * w);
            standardizer.applyInPlace(s.rows, size * steps); // per variable: [size·L, m]
            network.freeRunningErrors(s.rows, 0, size, s.ws, s.errors);
            rule.distance().scores(s.errors, 0, size * steps, s.work, out, first * steps);
        }
    }

    private MahalanobisWindowRule requireRule(String what) {
        if (decisionRule == null) {
            throw new IllegalStateException("LSTMAutoencoderModel." + what + ": the model carries no decision rule;"
                    + " attach one with withDecisionRule");
        }
        return decisionRule;
    }

    /**
     * Standardises per variable and reconstructs free-running; writes each window's mean squared error, or, with a
     * rule, the number of its points with {@code a_t > τ}.
     */
    @Override
    protected void scoreRows(float[] rows, int n, double[] out, int offset) {
        Scratch s = scratch.get();
        int w = steps * network.variables();
        for (int first = 0; first < n; first += NETWORK_BATCH) {
            int size = Math.min(NETWORK_BATCH, n - first);
            standardizer.applyInPlace(rows, first * steps, size * steps);
            network.freeRunningErrors(rows, first * w, size, s.ws, s.errors);
            if (decisionRule != null) {
                decisionRule.distance().scores(s.errors, 0, size * steps, s.work, s.points, 0);
                for (int r = 0; r < size; r++) {
                    out[offset + first + r] = decisionRule.countExceeding(s.points, r * steps, (r + 1) * steps);
                }
                continue;
            }
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

    /**
     * Exports the whole detector in {@link OnnxDetectorExport}'s shape: input {@code "input" [batch, L·m]} (raw
     * windows, features in id order), outputs {@code "score" [batch, 1]} and {@code "anomalous" [batch, 1]}
     * ({@code score > threshold}), metadata with the features, threshold, window length, variables and hidden size.
     * The graph (see {@code OnnxGraphs.lstmAutoencoderErrors}): standardisation, reshape to time-major
     * {@code [L, batch, m]}, the encoder and the free-running decoder as ONNX {@code LSTM} nodes (gates permuted to
     * ONNX's i, o, f, c), the dense output layer, the reversal of the decoder's output order, and
     * {@code e_t = |z_t − x'_t|}. Then
     * <ul>
     *   <li>without a rule: score = {@code ReduceMean(e²)}, the mean squared reconstruction error, threshold
     *       {@link #reconstructionThreshold()};</li>
     *   <li>with a rule (seed 000): {@code a_t = (e_t − μ)ᵀ Σ⁻¹ (e_t − μ)} in double precision (a MatMul with
     *       {@code Σ⁻¹}), the extra output {@value #POINT_SCORES} {@code [batch, L]} (float), score = the count of
     *       points with {@code a_t > τ} (compared in double), threshold {@code c − 0.5}, so that "anomalous" is
     *       {@code count ≥ c}; the metadata adds {@code τ} ({@value #META_TAU}) and {@code c}
     *       ({@value #META_MIN_COUNT}).</li>
     * </ul>
     * @param domain The ONNX domain.
     * @param modelVersion The model version.
     * @return The ONNX model.
     * @throws IllegalStateException If the model cannot be exported faithfully: a parameter, a standardisation
     *                               value or the threshold is NaN or infinite where a number is required.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        checkExportable();
        ONNXContext ctx = new ONNXContext();
        ctx.setName("tribuo-kd-LSTMAutoencoderModel");
        ONNXPlaceholder input = OnnxDetectorExport.input(ctx, featureIDMap.size());
        ONNXRef<?> errors = OnnxGraphs.lstmAutoencoderErrors(input, standardizer, network, steps, "lstm_ae");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_WINDOW_LENGTH, Integer.toString(steps));
        meta.put(META_VARIABLES, Integer.toString(network.variables()));
        meta.put(META_HIDDEN, Integer.toString(network.hidden()));
        List<OnnxDetectorExport.ExtraOutput> extra = new ArrayList<>();
        ONNXRef<?> score;
        if (decisionRule == null) {
            meta.put(META_SCORE, "mean squared reconstruction error of the window in standardised units"
                    + " (free-running LSTM autoencoder)");
            score = meanSquare(errors);
        } else {
            ONNXRef<?> a = OnnxGraphs.mahalanobisPointScores(errors, decisionRule.distance(), "mahalanobis");
            extra.add(new OnnxDetectorExport.ExtraOutput(POINT_SCORES, a.cast(float.class), steps));
            score = OnnxGraphs.countExceeding(a, decisionRule.tau(), "mahalanobis");
            meta.put(META_SCORE, "seed 000: number of the window's points t with a_t > tau, where a_t = (e_t - mu)'"
                    + " Sigma^-1 (e_t - mu) (output " + POINT_SCORES + ") and e_t = |x_t - x'_t| in standardised"
                    + " units; threshold = c - 0.5, so anomalous = count >= c");
            meta.put(META_TAU, Double.toString(decisionRule.tau()));
            meta.put(META_MIN_COUNT, Integer.toString(decisionRule.minCount()));
        }
        return OnnxDetectorExport.build(ctx, score, threshold, OnnxDetectorExport.featureNames(featureIDMap), domain,
                modelVersion, this, meta, extra);
    }

    /**
     * The score as one node, {@code [batch, 1]} float: the mean squared reconstruction error, or with a rule the count
     * of points with {@code a_t > τ} (the per-point scores are an output of {@link #exportONNXModel} only).
     * @param input The raw windows {@code [batch, L·m]}.
     * @return The score node.
     * @throws IllegalStateException As {@link #exportONNXModel}.
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        checkExportable();
        ONNXRef<?> errors = OnnxGraphs.lstmAutoencoderErrors(input, standardizer, network, steps, "lstm_ae");
        if (decisionRule == null) {
            return meanSquare(errors);
        }
        ONNXRef<?> a = OnnxGraphs.mahalanobisPointScores(errors, decisionRule.distance(), "mahalanobis");
        return (ONNXNode) OnnxGraphs.countExceeding(a, decisionRule.tau(), "mahalanobis");
    }

    // e [B, L, m] -> Reshape [B, L·m] -> ReduceMean(e ⊙ e, axis 1, keepdims) -> [B, 1]
    private ONNXNode meanSquare(ONNXRef<?> errors) {
        ONNXContext ctx = errors.onnxContext();
        ONNXNode flat = errors.apply(KDOnnxOperators.RESHAPE, ctx.array("lstm_ae_flat_shape",
                new long[]{-1, (long) steps * network.variables()}));
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("axes", new int[]{1});
        attributes.put("keepdims", 1);
        return flat.apply(ONNXOperators.MUL, flat).apply(ONNXOperators.REDUCE_MEAN, attributes);
    }

    private void checkExportable() {
        String me = "LSTMAutoencoderModel ONNX export";
        if (Double.isNaN(threshold)) {
            throw new IllegalStateException(me + ": the decision threshold is NaN, which no graph can compare with");
        }
        float[] p = network.parameters();
        for (int i = 0; i < p.length; i++) {
            if (!Float.isFinite(p[i])) {
                throw new IllegalStateException(me + ": network parameter " + i + " of " + p.length + " is " + p[i]
                        + " (a diverged training?); such a network cannot be exported");
            }
        }
        float[] mean = standardizer.mean(), scale = standardizer.scale();
        for (int j = 0; j < mean.length; j++) {
            if (!Float.isFinite(mean[j]) || !Float.isFinite(scale[j]) || scale[j] == 0f) {
                throw new IllegalStateException(me + ": the standardisation of variable " + j + " is (" + mean[j]
                        + ", " + scale[j] + ")");
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public LSTMAutoencoderModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        return (LSTMAutoencoderModel) super.withNonFiniteScorePolicy(policy);
    }

    @Override
    public LSTMAutoencoderModel copy() {
        return (LSTMAutoencoderModel) super.copy();
    }

    @Override
    protected LSTMAutoencoderModel copy(String newName, ModelProvenance newProvenance) {
        return new LSTMAutoencoderModel(newName, newProvenance, featureIDMap, outputIDInfo, network.copy(),
                standardizer, steps, reconstructionThreshold, trainingLoss, decisionRule);
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
                .setThreshold(reconstructionThreshold);
        if (decisionRule != null) {
            b.setDecisionRule(decisionRule.toProto());
        }
        for (float p : network.parameters()) {
            b.addParameters(p);
        }
        for (double l : trainingLoss) {
            b.addTrainingLoss(l);
        }
        // version 0 (the original format) when there is no rule, so that older readers still load such models
        int version = decisionRule == null ? 0 : CURRENT_VERSION;
        return ProtoSupport.modelProto(version, LSTMAutoencoderModel.class, b.build());
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
        LSTMAutoencoderModelProto proto = ProtoSupport.unpack(message, LSTMAutoencoderModelProto.class, me);
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
        net.setParameters(ProtoSupport.finiteFloats(proto.getParametersList(), net.numParameters(), me,
                "parameters"));
        FeatureStandardizer std = ProtoSupport.standardizer(proto.getStandardizer(), m, me, "standardizer");
        double threshold = ProtoSupport.atLeast(proto.getThreshold(), 0, me, "threshold"); // a mean squared error
        double[] loss = proto.getTrainingLossList().stream().mapToDouble(Double::doubleValue).toArray();
        MahalanobisWindowRule rule = null;
        if (proto.hasDecisionRule()) {
            if (version < 1) {
                throw new IllegalStateException("Invalid protobuf for " + me + ": version " + version
                        + " cannot carry a decision rule");
            }
            try {
                rule = MahalanobisWindowRule.fromProto(proto.getDecisionRule());
            } catch (IllegalStateException e) {
                throw ProtoSupport.invalid(me, "decision_rule", e.getMessage());
            }
            if (rule.dimension() != m) {
                throw new IllegalStateException("Invalid protobuf for " + me + ": a decision rule of dimension "
                        + rule.dimension() + " for " + m + " variables");
            }
        }
        return new LSTMAutoencoderModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Event>) carrier.outputDomain(), net, std, steps, threshold, loss, rule);
    }

    private static final class Scratch {
        final LSTMAutoencoderNetwork.Workspace ws;
        final float[] rows;
        final float[] errors;
        final double[] points;
        final double[] work;

        Scratch(LSTMAutoencoderNetwork net, int steps) {
            ws = net.newWorkspace(NETWORK_BATCH, steps);
            rows = new float[NETWORK_BATCH * steps * net.variables()];
            errors = new float[NETWORK_BATCH * steps * net.variables()];
            points = new double[NETWORK_BATCH * steps];
            work = new double[net.variables()];
        }
    }
}
