package io.github.tribuokd.timeseries.mscred;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl;
import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.anomaly.KDOnnxOperators;
import io.github.tribuokd.anomaly.OnnxDetectorExport;
import io.github.tribuokd.anomaly.OnnxOps;
import io.github.tribuokd.nn.RecurrentState;
import io.github.tribuokd.timeseries.SignatureMatrices;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ONNX graph of an {@link MSCREDModel} (MSCRED, Zhang et al., AAAI 2019, as the teacher or the Long-Term
 * Accumulator student of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)) and the protocol for stepping it through a stream. One run of the graph scores
 * one input time t: everything from raw points to the count decision is inside it.
 * <p>
 * <b>Inputs</b> (float32; the first axis is the batch, several windows, or several independent streams):
 * <ul>
 *   <li>{@value OnnxDetectorExport#INPUT} {@code [batch, W·n]}: the raw points {@code x_{t−W+1}, …, x_t} of the
 *   window that one input spans, row-major {@code [W, n]}, oldest first, variables in the order of the metadata
 *   entry {@value OnnxDetectorExport#META_FEATURES}; {@code W = (steps − 1)·gap + max(scales)}
 *   ({@link SignatureMatrices#inputSpan()}, metadata {@value #META_WINDOW}).</li>
 *   <li>With an accumulator only: {@value #TIME} {@code [batch, 1]}, the time t of the window's last row (the first
 *   point of the stream has time 0), and the carried state {@value #STATE_IN_H} {@code [batch, H]} (the
 *   accumulator's hidden state after point {@code t − gap}), {@value #STATE_IN_C} {@code [batch, H]} (its cell
 *   state, LSTM only) and {@value #STATE_IN_HISTORY} {@code [batch, (steps − 1)·H]} (its hidden states at the
 *   {@code steps − 1} previous matrix times {@code t − (steps−1)·gap, …, t − gap}, oldest first; absent when
 *   steps = 1).</li>
 * </ul>
 * <b>Inside</b>, in the Java model's order: the points are standardised with the training statistics (when the
 * model has a standardiser); with an accumulator, rows of negative time (before the stream starts) are set to zero,
 * as {@link SignatureMatrices} pads; the signature matrices of eq. 1 of every scale for the {@code steps} matrix
 * times {@code t − (steps−1)·gap, …, t}, each the Gram matrix of its window's rows over ℓ (MatMul in float64, then
 * rounded to float32 as the Java code does); with an accumulator, the cell reads the window's last {@code gap} points
 * (the points since the previous call; rows of negative time leave the state unchanged) and the summary matrix
 * {@code β} of eq. 7 of every step's hidden state (the carried history and the new one) is added to every scale of
 * that step's stack ({@code S = M + β}); the network ({@link MSCREDOnnxGraphs#reconstruction}: encoder, ConvLSTMs
 * unrolled over the steps with temporal attention, decoder); the residual of eq. 4, {@code Υ = S¹_t − Ŝ¹_t} (scale
 * 1, the shortest window).
 * <p>
 * <b>Outputs</b>: {@value OnnxDetectorExport#SCORE} {@code [batch, 1]}, the number of entries with {@code |Υ| > τ}
 * (τ stored as the float32 below which exactly the same float32 residuals fall, metadata {@value #META_TAU_FLOAT});
 * {@value OnnxDetectorExport#DECISION} {@code [batch, 1]} bool, score &gt; count threshold;
 * {@value #RESIDUAL} {@code [batch, n·n]}, Υ row-major (MSCRED reads it for diagnosis); with an accumulator the new
 * state {@value #STATE_OUT_H}, {@value #STATE_OUT_C}, {@value #STATE_OUT_HISTORY}, laid out as the inputs, to be fed
 * back at the next call.
 * <p>
 * <b>Streaming protocol</b> (accumulator models). Call the graph at the times {@code t = t₀, t₀ + gap, t₀ + 2·gap,
 * …} with {@code t₀ = firstMatrixTime mod gap} (metadata {@value #META_FIRST_CALL}), passing each time the window
 * ending at t (rows before the start of the stream may hold anything, e.g. zeros) and the state the previous call
 * returned; the first call takes {@value #STATE_IN_H} (and {@value #STATE_IN_C}) from the metadata entries
 * {@value #META_INITIAL_H} ({@value #META_INITIAL_C}): the accumulator's state at the end of the training series,
 * as the Java model starts, and a history of zeros. The calls before {@code firstValidTime} (metadata
 * {@value #META_FIRST_VALID}) only advance the state; from then on their score and decision are the Java
 * {@link MSCREDStream}'s at the same time (its {@code push} returns true exactly at these times). A model without an
 * accumulator has no state: any window of W points ending at t ≥ firstValidTime is scored on its own (the Java model
 * scores the windows ending at {@code firstValidTime + k·gap}).
 */
public final class MSCREDOnnxExport {

    /** Input: the time of the window's last row. */
    public static final String TIME = "time";
    /** Input: the accumulator's hidden state after the previous call's last point. */
    public static final String STATE_IN_H = "state_in_h";
    /** Input: the accumulator's cell state (LSTM). */
    public static final String STATE_IN_C = "state_in_c";
    /** Input: the accumulator's hidden states at the previous {@code steps − 1} matrix times, oldest first. */
    public static final String STATE_IN_HISTORY = "state_in_history";
    /** Output: {@value #STATE_IN_H} for the next call. */
    public static final String STATE_OUT_H = "state_out_h";
    /** Output: {@value #STATE_IN_C} for the next call. */
    public static final String STATE_OUT_C = "state_out_c";
    /** Output: {@value #STATE_IN_HISTORY} for the next call. */
    public static final String STATE_OUT_HISTORY = "state_out_history";
    /** Output: the residual matrix of scale 1, {@code [batch, n·n]}. */
    public static final String RESIDUAL = "residual";

    /** Metadata: the number of variables n. */
    public static final String META_VARIABLES = "tribuo-kd.mscred.variables";
    /** Metadata: the window scales ℓ, comma-separated. */
    public static final String META_SCALES = "tribuo-kd.mscred.scales";
    /** Metadata: points between two matrix times. */
    public static final String META_GAP = "tribuo-kd.mscred.gap";
    /** Metadata: stacks per input (the ConvLSTM's steps). */
    public static final String META_STEPS = "tribuo-kd.mscred.steps";
    /** Metadata: W, the points of one input window. */
    public static final String META_WINDOW = "tribuo-kd.mscred.window";
    /** Metadata: t₀, the time of the first call of a stream. */
    public static final String META_FIRST_CALL = "tribuo-kd.mscred.first-call-time";
    /** Metadata: the first time whose score is valid. */
    public static final String META_FIRST_VALID = "tribuo-kd.mscred.first-valid-time";
    /** Metadata: τ as stored in the model. */
    public static final String META_TAU = "tribuo-kd.mscred.tau";
    /** Metadata: the float32 τ used in the graph. */
    public static final String META_TAU_FLOAT = "tribuo-kd.mscred.tau-float32";
    /** Metadata: the accumulator ("none", or cell, H and m). */
    public static final String META_ACCUMULATOR = "tribuo-kd.mscred.accumulator";
    /** Metadata: the state inputs and outputs in words. */
    public static final String META_STATE = "tribuo-kd.mscred.state";
    /** Metadata: the initial hidden state, comma-separated floats. */
    public static final String META_INITIAL_H = "tribuo-kd.mscred.initial-state-h";
    /** Metadata: the initial cell state (LSTM), comma-separated floats. */
    public static final String META_INITIAL_C = "tribuo-kd.mscred.initial-state-c";
    /** Metadata: the calling protocol in words. */
    public static final String META_PROTOCOL = "tribuo-kd.mscred.protocol";

    private MSCREDOnnxExport() { }

    /** What {@link #write} made: the score node and the further outputs. */
    static final class Graph {
        final ONNXNode score;
        final List<OnnxDetectorExport.ExtraOutput> outputs;

        Graph(ONNXNode score, List<OnnxDetectorExport.ExtraOutput> outputs) {
            this.score = score;
            this.outputs = outputs;
        }
    }

    /**
     * The float32 {@code f} with {@code r > f ⟺ r > v} for every float32 r: the Java model compares float residuals
     * with the double τ.
     */
    static float strictFloatBound(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    /** The whole model. */
    static OnnxMl.ModelProto export(MSCREDModel model, String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        SignatureMatrices sig = model.signature();
        int n = model.getFeatureIDMap().size();
        ONNXPlaceholder input = OnnxDetectorExport.input(ctx, sig.inputSpan() * n);
        Graph g = write(model, input);
        return OnnxDetectorExport.build(ctx, g.score, model.countThreshold(),
                OnnxDetectorExport.featureNames(model.getFeatureIDMap()), domain, modelVersion, model,
                metadata(model), g.outputs);
    }

    /** The graph reading {@code input}; with an accumulator, declares the time and state inputs in its context. */
    static Graph write(MSCREDModel model, ONNXRef<?> input) {
        final ONNXContext ctx = input.onnxContext();
        final OnnxOps ops = new OnnxOps(ctx, "mscred");
        final SignatureMatrices sig = model.signature();
        final MSCREDNetwork network = model.network();
        final LongTermAccumulator lta = model.accumulatorOrNull();
        final FeatureStandardizer standardizer = model.standardizerOrNull();
        final int n = model.getFeatureIDMap().size();
        final int span = sig.inputSpan();
        final int steps = sig.steps();
        final int gap = sig.gap();
        final List<OnnxDetectorExport.ExtraOutput> outputs = new ArrayList<>();

        // x [B, W, n], standardised
        ONNXRef<?> x = ops.reshape(input, -1, span, n);
        if (standardizer != null) {
            x = ops.div(ops.sub(x, ops.floats("input_mean", new int[]{n}, standardizer.mean(), 0)),
                    ops.floats("input_scale", new int[]{n}, standardizer.scale(), 0));
        }
        ONNXRef<?> present = null;
        ONNXRef<?> h = null;
        ONNXRef<?> c = null;
        ONNXRef<?> history = null;
        if (lta != null) {
            // present [B, W]: row i has time t − (W−1) + i ≥ 0
            ONNXPlaceholder time = ctx.floatInput(TIME, 1);
            float[] offsets = new float[span];
            for (int i = 0; i < span; i++) {
                offsets[i] = i - (span - 1);
            }
            ONNXRef<?> rowTimes = ops.add(time, ops.floats("row_offsets", new int[]{span}, offsets, 0));
            present = rowTimes.apply(ONNXOperators.GREATER_OR_EQUAL, ops.floatScalar(0f));
            x = ops.where(ops.unsqueeze(present, 2), x, ops.floatScalar(0f));
            h = ctx.floatInput(STATE_IN_H, lta.hidden());
            if (lta.cell() == LongTermAccumulator.Cell.LSTM) {
                c = ctx.floatInput(STATE_IN_C, lta.hidden());
            }
            if (steps > 1) {
                history = ctx.floatInput(STATE_IN_HISTORY, (steps - 1) * lta.hidden());
            }
        }
        // signature matrices (eq. 1): stack k ends at row W − (steps−1−k)·gap − 1
        // (MatMul of a Transpose node's output is fused by ONNX Runtime into a float-only kernel: the transposed
        // window is sliced instead)
        ONNXRef<?> xd = ops.cast(x, DataType.DOUBLE);
        ONNXRef<?> xdT = ops.transpose(xd, 0, 2, 1);                                               // [B, n, W]
        List<ONNXRef<?>> stacks = new ArrayList<>(steps);
        for (int k = 0; k < steps; k++) {
            int end = span - (steps - 1 - k) * gap;
            List<ONNXRef<?>> channels = new ArrayList<>(sig.numScales());
            for (int s = 0; s < sig.numScales(); s++) {
                int len = sig.scale(s);
                ONNXRef<?> rows = ops.slice(xd, 1, end - len, end);                              // [B, ℓ, n]
                ONNXRef<?> gram = ops.matMul(ops.slice(xdT, 2, end - len, end), rows);           // [B, n, n]
                channels.add(ops.unsqueeze(ops.mul(gram, ops.doubleScalar(1.0 / len)), 1));
            }
            stacks.add(ops.cast(ops.concat(1, channels), DataType.FLOAT));                      // [B, C, n, n]
        }
        if (lta != null) {
            // the accumulator reads the last gap rows (eqs. 5–6), then β of every step (eq. 7): S = M + β
            MSCREDOnnxGraphs.Accumulator acc = new MSCREDOnnxGraphs.Accumulator(ops, lta, "lta");
            for (int r = span - gap; r < span; r++) {
                ONNXRef<?> point = ops.reshape(ops.slice(x, 1, r, r + 1), -1, n);
                ONNXRef<?>[] next = acc.step(point, h, c, ops.slice(present, 1, r, r + 1));
                h = next[0];
                c = next[1];
            }
            final int hid = lta.hidden();
            List<ONNXRef<?>> hs = new ArrayList<>(steps);
            for (int k = 0; k < steps - 1; k++) {
                hs.add(ops.slice(history, 1, (long) k * hid, (long) (k + 1) * hid));
            }
            hs.add(h);
            for (int k = 0; k < steps; k++) {
                stacks.set(k, ops.add(stacks.get(k), ops.unsqueeze(acc.summary(hs.get(k)), 1)));
            }
            outputs.add(new OnnxDetectorExport.ExtraOutput(STATE_OUT_H, h, hid));
            if (c != null) {
                outputs.add(new OnnxDetectorExport.ExtraOutput(STATE_OUT_C, c, hid));
            }
            if (steps > 1) {
                outputs.add(new OnnxDetectorExport.ExtraOutput(STATE_OUT_HISTORY,
                        ops.concat(1, hs.subList(1, steps)), (steps - 1) * hid));
            }
        }
        // the network, the residual of scale 1 (eq. 4) and the count
        ONNXRef<?> reconstruction = MSCREDOnnxGraphs.reconstruction(ops, network, stacks, "net");
        ONNXRef<?> residual = ops.reshape(ops.sub(ops.slice(stacks.get(steps - 1), 1, 0, 1),
                ops.slice(reconstruction, 1, 0, 1)), -1, (long) n * n);
        outputs.add(0, new OnnxDetectorExport.ExtraOutput(RESIDUAL, residual, n * n));
        ONNXRef<?> above = residual.apply(KDOnnxOperators.ABS)
                .apply(ONNXOperators.GREATER, ops.floatScalar(strictFloatBound(model.tau())));
        ONNXNode score = (ONNXNode) ops.reduceSum(ops.cast(above, DataType.FLOAT), 1);
        return new Graph(score, outputs);
    }

    /** The model's entries besides {@link OnnxDetectorExport}'s. */
    static Map<String, String> metadata(MSCREDModel model) {
        SignatureMatrices sig = model.signature();
        LongTermAccumulator lta = model.accumulatorOrNull();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(META_VARIABLES, Integer.toString(model.getFeatureIDMap().size()));
        StringBuilder scales = new StringBuilder();
        for (int s = 0; s < sig.numScales(); s++) {
            scales.append(s == 0 ? "" : ",").append(sig.scale(s));
        }
        m.put(META_SCALES, scales.toString());
        m.put(META_GAP, Integer.toString(sig.gap()));
        m.put(META_STEPS, Integer.toString(sig.steps()));
        m.put(META_WINDOW, Integer.toString(sig.inputSpan()));
        m.put(META_FIRST_CALL, Integer.toString(sig.firstMatrixTime() % sig.gap()));
        m.put(META_FIRST_VALID, Integer.toString(sig.firstValidTime()));
        m.put(META_TAU, Double.toString(model.tau()));
        m.put(META_TAU_FLOAT, Float.toString(strictFloatBound(model.tau())));
        if (lta == null) {
            m.put(META_ACCUMULATOR, "none");
            m.put(META_PROTOCOL, "Stateless: input = the W raw points x_{t-W+1..t} (W = " + sig.inputSpan()
                    + ") row-major, oldest first; score = #{|residual| > tau}, anomalous = score > threshold. Valid "
                    + "for t >= " + sig.firstValidTime() + "; the Java model scores t = " + sig.firstValidTime()
                    + " + k*" + sig.gap() + ".");
            return m;
        }
        int hid = lta.hidden();
        m.put(META_ACCUMULATOR, String.format(Locale.ROOT, "%s hidden=%d summary=%d", lta.cell(), hid,
                lta.summaryLength()));
        StringBuilder state = new StringBuilder(STATE_IN_H + " [batch," + hid + "]: hidden state after point t-gap");
        if (lta.cell() == LongTermAccumulator.Cell.LSTM) {
            state.append("; " + STATE_IN_C + " [batch," + hid + "]: cell state after point t-gap");
        }
        if (sig.steps() > 1) {
            state.append("; " + STATE_IN_HISTORY + " [batch," + (sig.steps() - 1) * hid + "]: hidden states at "
                    + "t-" + (sig.steps() - 1) + "*gap .. t-gap, oldest first, " + hid + " each");
        }
        state.append(". Outputs state_out_* have the same layout: feed them back at the next call.");
        m.put(META_STATE, state.toString());
        RecurrentState start = model.accumulatorStartOrNull();
        m.put(META_INITIAL_H, floats(start == null ? new float[hid] : start.h()));
        if (lta.cell() == LongTermAccumulator.Cell.LSTM) {
            m.put(META_INITIAL_C, floats(start == null ? new float[hid] : start.c()));
        }
        int t0 = sig.firstMatrixTime() % sig.gap();
        m.put(META_PROTOCOL, "Call at t = " + t0 + ", " + t0 + "+" + sig.gap() + ", ... (every gap points) with "
                + "input = the raw points x_{t-W+1..t} (W = " + sig.inputSpan() + ", rows before time 0 arbitrary), "
                + TIME + " = t, and the state returned by the previous call (first call: " + META_INITIAL_H
                + (lta.cell() == LongTermAccumulator.Cell.LSTM ? ", " + META_INITIAL_C : "") + ", history zeros). "
                + "Score and decision are valid from t = " + sig.firstValidTime() + " on.");
        return m;
    }

    private static String floats(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
        }
        return sb.toString();
    }
}
