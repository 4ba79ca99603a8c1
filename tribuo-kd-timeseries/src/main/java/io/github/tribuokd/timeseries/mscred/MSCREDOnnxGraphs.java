package io.github.tribuokd.timeseries.mscred;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.github.tribuokd.anomaly.KDOnnxOperators;
import io.github.tribuokd.anomaly.OnnxOps;
import io.github.tribuokd.nn.Conv2DLayer;
import io.github.tribuokd.nn.ConvLSTMLayer;
import io.github.tribuokd.nn.ConvTranspose2DLayer;
import io.github.tribuokd.nn.GRULayer;
import io.github.tribuokd.nn.LSTMLayer;
import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.SimpleRNNLayer;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes MSCRED's network (Zhang et al., AAAI 2019; seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s teacher and student, {@link MSCREDNetwork}) and seed
 * 002's Long-Term Accumulator ({@link LongTermAccumulator}, eqs. 5–7) into an ONNX graph from plain operators: ONNX
 * has no ConvLSTM, so every ConvLSTM step is written out as Conv, Sigmoid, Tanh, Mul and Add, unrolled over the
 * network's fixed number of steps; the temporal attention (seed 002's eqs. 2–3, a softmax over the steps) as MatMul
 * and Softmax; the accumulator's recurrent cell (RNN, GRU or LSTM, the engine's gate orders) as Gemm and
 * element-wise nodes, one step per call.
 * <p>
 * <b>Precision.</b> The graph follows the Java engine's arithmetic where it is not plain float32: the attention's
 * scores, softmax and weighted sum are computed in float64 (as {@link io.github.tribuokd.timeseries.mscred.TemporalAttention}
 * does), with the weights rounded to float32 before the sum as there. Everything else is float32. The engine's
 * tanh and sigmoid are its own float32 approximations (absolute error about 1e-7), so the graph's values agree with
 * the Java model's to float32 rounding, not bit for bit.
 * <p>
 * Layouts are the engine's: maps NCHW, a stack of signature matrices {@code [batch, C, n, n]}, a recurrent state
 * {@code [batch, H]}.
 */
public final class MSCREDOnnxGraphs {

    private MSCREDOnnxGraphs() { }

    /**
     * The reconstruction {@code Ŝ_T} of MSCRED's network from its {@code T} input stacks: per level, the encoder
     * convolution (+ ReLU) of every step, the ConvLSTM over the steps from a zero state, the attention; then the
     * decoder (transposed convolutions, ReLU, channel concatenation with the attention output of the level below,
     * a linear last layer). See {@link MSCREDNetwork} for the architecture.
     * @param ops The graph helper.
     * @param net The network (its parameters are copied into the graph as initializers).
     * @param stacks The {@link MSCREDNetwork#steps()} input stacks, oldest first, each {@code [batch, C, n, n]}.
     * @param name The prefix of the initializers' names.
     * @return {@code Ŝ_T [batch, C, n, n]}.
     */
    public static ONNXRef<?> reconstruction(OnnxOps ops, MSCREDNetwork net, List<? extends ONNXRef<?>> stacks,
                                            String name) {
        if (stacks.size() != net.steps()) {
            throw new IllegalArgumentException("The network reads " + net.steps() + " stacks, found "
                    + stacks.size());
        }
        final float[] p = net.parameters();
        final int levels = net.levels();
        ONNXRef<?>[] attention = new ONNXRef<?>[levels];
        List<ONNXRef<?>> in = new ArrayList<>(stacks);
        for (int l = 1; l <= levels; l++) {
            Conv2DLayer conv = net.encoderLayer(l);
            int co = conv.outChannels();
            int ci = conv.inChannels();
            int k = conv.kernel();
            ONNXInitializer w = ops.floats(name + "_enc" + l + "_w", new int[]{co, ci, k, k}, p, conv.weightOffset());
            ONNXInitializer b = ops.floats(name + "_enc" + l + "_b", new int[]{co}, p, conv.biasOffset());
            int[] pads = {conv.padTop(), conv.padLeft(), conv.padBottom(), conv.padRight()};
            List<ONNXRef<?>> encoded = new ArrayList<>(in.size());
            for (ONNXRef<?> x : in) {
                encoded.add(ops.relu(conv(ops, x, w, b, k, conv.stride(), pads, name + "_enc" + l)));
            }
            List<ONNXRef<?>> hidden = convLSTM(ops, net.convLSTMLayer(l), p, encoded, name + "_lstm" + l);
            int side = net.levelSide(l);
            attention[l - 1] = attention(ops, hidden, net.attentionRescale(), net.levelChannels(l), side, side);
            in = encoded;
        }
        ONNXRef<?> d = attention[levels - 1];
        for (int l = levels; l >= 2; l--) {
            ONNXRef<?> decoded = ops.relu(deconv(ops, net.decoderLayer(l), p, d, name + "_dec" + l));
            d = ops.concat(1, Arrays.asList(decoded, attention[l - 2]));
        }
        return deconv(ops, net.decoderLayer(1), p, d, name + "_dec1");
    }

    /** A Conv node: NCHW, square kernel and stride, pads {@code [top, left, bottom, right]}. */
    private static ONNXRef<?> conv(OnnxOps ops, ONNXRef<?> x, ONNXRef<?> w, ONNXRef<?> b, int k, int stride,
                                   int[] pads, String name) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("kernel_shape", new int[]{k, k});
        attributes.put("pads", pads.clone());
        attributes.put("strides", new int[]{stride, stride});
        return ops.context().operation(KDOnnxOperators.CONV, Arrays.<ONNXRef<?>>asList(x, w, b), name, attributes);
    }

    /** A ConvTranspose node with the layer's weights {@code [Cin, Cout, k, k]}, pads and output padding. */
    private static ONNXRef<?> deconv(OnnxOps ops, ConvTranspose2DLayer layer, float[] p, ONNXRef<?> x, String name) {
        int ci = layer.inChannels();
        int co = layer.outChannels();
        int k = layer.kernel();
        int s = layer.stride();
        ONNXInitializer w = ops.floats(name + "_w", new int[]{ci, co, k, k}, p, layer.weightOffset());
        ONNXInitializer b = ops.floats(name + "_b", new int[]{co}, p, layer.biasOffset());
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("kernel_shape", new int[]{k, k});
        attributes.put("pads", new int[]{layer.padTop(), layer.padLeft(), layer.padBottom(), layer.padRight()});
        attributes.put("strides", new int[]{s, s});
        attributes.put("output_padding", new int[]{layer.outputPaddingHeight(), layer.outputPaddingWidth()});
        return ops.context().operation(KDOnnxOperators.CONV_TRANSPOSE, Arrays.<ONNXRef<?>>asList(x, w, b), name,
                attributes);
    }

    /**
     * A ConvLSTM unrolled over its inputs from a zero state ({@link ConvLSTMLayer}'s equations, gate blocks i, f, o,
     * g): {@code z_t = W * [x_t ; h_{t−1}] + b}, {@code c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)},
     * {@code h_t = σ(o) ⊙ tanh(c_t)}. The first step convolves x_t alone with the x-part of W (the h-part would meet
     * zeros) and drops {@code f ⊙ c_0}.
     * @param ops The graph helper.
     * @param cell The layer (its weights are read from {@code p} at its offsets).
     * @param p The buffer the layer is bound to.
     * @param xs The inputs {@code [batch, Cin, H, W]}, in time order.
     * @param name The prefix of the initializers' names.
     * @return The hidden maps {@code [batch, Ch, H, W]}, one per input.
     */
    public static List<ONNXRef<?>> convLSTM(OnnxOps ops, ConvLSTMLayer cell, float[] p, List<? extends ONNXRef<?>> xs,
                                            String name) {
        final int cin = cell.inChannels();
        final int ch = cell.hiddenChannels();
        final int k = cell.kernel();
        final int kk = k * k;
        final int pad = (k - 1) / 2;
        final int[] pads = {pad, pad, pad, pad};
        final int wo = cell.weightOffset();
        ONNXInitializer w = ops.floats(name + "_w", new int[]{4 * ch, cin + ch, k, k}, p, wo);
        ONNXInitializer b = ops.floats(name + "_b", new int[]{4 * ch}, p, cell.biasOffset());
        float[] wx = new float[4 * ch * cin * kk];
        for (int o = 0; o < 4 * ch; o++) {
            System.arraycopy(p, wo + o * (cin + ch) * kk, wx, o * cin * kk, cin * kk);
        }
        ONNXInitializer wFirst = ops.floats(name + "_wx", new int[]{4 * ch, cin, k, k}, wx, 0);
        List<ONNXRef<?>> out = new ArrayList<>(xs.size());
        ONNXRef<?> h = null;
        ONNXRef<?> c = null;
        for (ONNXRef<?> x : xs) {
            ONNXRef<?> z = h == null ? conv(ops, x, wFirst, b, k, 1, pads, name + "_gates")
                    : conv(ops, ops.concat(1, Arrays.asList(x, h)), w, b, k, 1, pads, name + "_gates");
            ONNXRef<?> i = ops.sigmoid(ops.slice(z, 1, 0, ch));
            ONNXRef<?> f = ops.sigmoid(ops.slice(z, 1, ch, 2L * ch));
            ONNXRef<?> o = ops.sigmoid(ops.slice(z, 1, 2L * ch, 3L * ch));
            ONNXRef<?> g = ops.tanh(ops.slice(z, 1, 3L * ch, 4L * ch));
            ONNXRef<?> ig = ops.mul(i, g);
            c = c == null ? ig : ops.add(ops.mul(f, c), ig);
            h = ops.mul(o, ops.tanh(c));
            out.add(h);
        }
        return out;
    }

    /**
     * MSCRED's temporal attention (seed 002's eqs. 2–3 with the softmax, {@link
     * io.github.tribuokd.timeseries.mscred.TemporalAttention}): {@code s_i = vec(H_T)·vec(H_i)/χ}, {@code α = softmax(s)},
     * {@code Ĥ = Σ α_i H_i}; scores, softmax and sum in float64, α rounded to float32 before the sum.
     * @param ops The graph helper.
     * @param hidden The hidden maps {@code [batch, c, h, w]}, in time order (the last one is the query).
     * @param chi The rescale factor χ.
     * @param c Channels.
     * @param h Rows.
     * @param w Columns.
     * @return {@code Ĥ [batch, c, h, w]}.
     */
    public static ONNXRef<?> attention(OnnxOps ops, List<? extends ONNXRef<?>> hidden, double chi, int c, int h,
                                       int w) {
        final long d = (long) c * h * w;
        final int steps = hidden.size();
        List<ONNXRef<?>> rows = new ArrayList<>(steps);
        for (ONNXRef<?> x : hidden) {
            rows.add(ops.reshape(x, -1, 1, d));
        }
        // (no Transpose before a MatMul: ONNX Runtime fuses the pair into a kernel that has no float64 version)
        ONNXRef<?> all = ops.cast(ops.concat(1, rows), DataType.DOUBLE);                  // [B, T, D]
        ONNXRef<?> query = ops.reshape(ops.slice(all, 1, steps - 1L, steps), -1, d, 1);   // [B, D, 1]
        ONNXRef<?> scores = ops.div(ops.matMul(all, query), ops.doubleScalar(chi));       // [B, T, 1]
        ONNXRef<?> alpha = ops.cast(ops.cast(ops.softmax(scores, 1), DataType.FLOAT), DataType.DOUBLE);
        ONNXRef<?> sum = ops.matMul(ops.reshape(alpha, -1, 1, steps), all);                // [B, 1, D]
        return ops.reshape(ops.cast(sum, DataType.FLOAT), -1, c, h, w);
    }

    /**
     * The Long-Term Accumulator in a graph: its recurrent cell's weights and the head that turns a hidden state into
     * the summary matrix β (seed 002, eq. 7), written once and used by every unrolled step.
     */
    public static final class Accumulator {
        private final OnnxOps ops;
        private final LongTermAccumulator lta;
        private final ONNXInitializer w;
        private final ONNXInitializer u;
        private final ONNXInitializer bx;
        private final ONNXInitializer bh;
        private final ONNXInitializer headW;
        private final ONNXInitializer headB;

        /**
         * Writes the accumulator's weights as initializers.
         * @param ops The graph helper.
         * @param lta The accumulator.
         * @param name The prefix of the initializers' names.
         */
        public Accumulator(OnnxOps ops, LongTermAccumulator lta, String name) {
            this.ops = ops;
            this.lta = lta;
            final float[] p = lta.parameters();
            final int n = lta.numVariables();
            final int hid = lta.hidden();
            RecurrentLayer layer = lta.recurrentLayer();
            if (layer instanceof SimpleRNNLayer) {
                SimpleRNNLayer r = (SimpleRNNLayer) layer;
                w = ops.floats(name + "_w", new int[]{n, hid}, p, r.inputWeightOffset());
                u = ops.floats(name + "_u", new int[]{hid, hid}, p, r.recurrentWeightOffset());
                bx = ops.floats(name + "_b", new int[]{hid}, p, r.biasOffset());
                bh = null;
            } else if (layer instanceof GRULayer) {
                GRULayer g = (GRULayer) layer;
                w = ops.floats(name + "_w", new int[]{n, 3 * hid}, p, g.inputWeightOffset());
                u = ops.floats(name + "_u", new int[]{hid, 3 * hid}, p, g.recurrentWeightOffset());
                bx = ops.floats(name + "_bx", new int[]{3 * hid}, p, g.inputBiasOffset());
                bh = ops.floats(name + "_bh", new int[]{3 * hid}, p, g.recurrentBiasOffset());
            } else if (layer instanceof LSTMLayer) {
                LSTMLayer l = (LSTMLayer) layer;
                w = ops.floats(name + "_w", new int[]{n, 4 * hid}, p, l.inputWeightOffset());
                u = ops.floats(name + "_u", new int[]{hid, 4 * hid}, p, l.recurrentWeightOffset());
                bx = ops.floats(name + "_b", new int[]{4 * hid}, p, l.biasOffset());
                bh = null;
            } else {
                throw new IllegalStateException("No ONNX export for a " + layer.getClass().getSimpleName()
                        + " accumulator cell");
            }
            int nm = n * lta.summaryLength();
            headW = ops.floats(name + "_head_w", new int[]{hid, nm}, p, lta.headWeightOffset());
            headB = ops.floats(name + "_head_b", new int[]{nm}, p, lta.headBiasOffset());
        }

        /**
         * Whether the cell carries a cell state besides h (LSTM).
         * @return True for an LSTM.
         */
        public boolean hasCellState() {
            return lta.cell() == LongTermAccumulator.Cell.LSTM;
        }

        /**
         * One step of eq. 5 (RNN, GRU) or 6 (LSTM): reads one point.
         * @param x The (standardised) point {@code [batch, n]}.
         * @param h The hidden state before it {@code [batch, H]}.
         * @param c The cell state before it {@code [batch, H]} (LSTM), else null.
         * @param read A bool {@code [batch, 1]} (or null for always): where false the state passes unchanged (the
         *             point is not part of the stream, e.g. before its start).
         * @return The new state: {@code {h, c}} ({@code c} null without a cell state).
         */
        // RNN:  h' = tanh(x·W + b + h·U)
        // GRU:  [r z n]_x = x·W + b_x, [r z n]_h = h·U + b_h; r = σ(r_x + r_h), z = σ(z_x + z_h),
        //       n = tanh(n_x + r ⊙ n_h), h' = (1 − z) ⊙ n + z ⊙ h
        // LSTM: [i f g o] = x·W + b + h·U; c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g); h' = σ(o) ⊙ tanh(c')
        public ONNXRef<?>[] step(ONNXRef<?> x, ONNXRef<?> h, ONNXRef<?> c, ONNXRef<?> read) {
            final long hid = lta.hidden();
            ONNXRef<?> hNew;
            ONNXRef<?> cNew = null;
            switch (lta.cell()) {
                case RNN:
                    hNew = ops.tanh(ops.add(ops.gemm(x, w, bx), ops.matMul(h, u)));
                    break;
                case GRU: {
                    ONNXRef<?> gx = ops.gemm(x, w, bx);
                    ONNXRef<?> gh = ops.gemm(h, u, bh);
                    ONNXRef<?> r = ops.sigmoid(ops.add(ops.slice(gx, 1, 0, hid), ops.slice(gh, 1, 0, hid)));
                    ONNXRef<?> z = ops.sigmoid(ops.add(ops.slice(gx, 1, hid, 2 * hid), ops.slice(gh, 1, hid,
                            2 * hid)));
                    ONNXRef<?> cand = ops.tanh(ops.add(ops.slice(gx, 1, 2 * hid, 3 * hid),
                            ops.mul(r, ops.slice(gh, 1, 2 * hid, 3 * hid))));
                    hNew = ops.add(ops.mul(ops.sub(ops.floatScalar(1f), z), cand), ops.mul(z, h));
                    break;
                }
                case LSTM:
                default: {
                    ONNXRef<?> gates = ops.add(ops.gemm(x, w, bx), ops.matMul(h, u));
                    ONNXRef<?> i = ops.sigmoid(ops.slice(gates, 1, 0, hid));
                    ONNXRef<?> f = ops.sigmoid(ops.slice(gates, 1, hid, 2 * hid));
                    ONNXRef<?> g = ops.tanh(ops.slice(gates, 1, 2 * hid, 3 * hid));
                    ONNXRef<?> o = ops.sigmoid(ops.slice(gates, 1, 3 * hid, 4 * hid));
                    cNew = ops.add(ops.mul(f, c), ops.mul(i, g));
                    hNew = ops.mul(o, ops.tanh(cNew));
                    break;
                }
            }
            if (read != null) {
                hNew = ops.where(read, hNew, h);
                if (cNew != null) {
                    cNew = ops.where(read, cNew, c);
                }
            }
            return new ONNXRef<?>[]{hNew, cNew};
        }

        /**
         * The summary matrix of one hidden state (eq. 7's β): {@code B = reshape(h·W_h + b_h) [n, m]},
         * {@code β = B Bᵀ / m}.
         * @param h {@code [batch, H]}.
         * @return β {@code [batch, n, n]}.
         */
        public ONNXRef<?> summary(ONNXRef<?> h) {
            int m = lta.summaryLength();
            ONNXRef<?> block = ops.reshape(ops.gemm(h, headW, headB), -1, lta.numVariables(), m);
            return ops.mul(ops.matMul(block, ops.transpose(block, 0, 2, 1)), ops.floatScalar(1f / m));
        }
    }
}
