package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.ActivationLayer;
import io.github.tribuokd.nn.AvgPool2DLayer;
import io.github.tribuokd.nn.Conv2DLayer;
import io.github.tribuokd.nn.ConvTranspose2DLayer;
import io.github.tribuokd.nn.DenseLayer;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.LSTMLayer;
import io.github.tribuokd.nn.Layer;
import io.github.tribuokd.nn.SequentialNetwork;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the pieces of this library's models into an ONNX graph: standardisation, dense networks, convolutional
 * networks, the LSTM autoencoder of seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) and its Mahalanobis count rule.
 */
public final class OnnxGraphs {

    private OnnxGraphs() { }

    /**
     * {@code (x − mean) / scale}.
     * @param input The input {@code [batch, d]}.
     * @param standardizer The standardisation.
     * @param prefix Prefix of the initializers' names.
     * @return The standardised input.
     */
    public static ONNXRef<?> standardize(ONNXRef<?> input, FeatureStandardizer standardizer, String prefix) {
        ONNXContext ctx = input.onnxContext();
        ONNXInitializer mean = ctx.array(prefix + "_mean", standardizer.mean());
        ONNXInitializer scale = ctx.array(prefix + "_scale", standardizer.scale());
        return input.apply(ONNXOperators.SUB, mean).apply(ONNXOperators.DIV, scale);
    }

    /**
     * The network as Gemm + activation nodes; {@code W [in, out]} is the Gemm's B input as stored.
     * @param input The input {@code [batch, inputSize]}.
     * @param network The network.
     * @param prefix Prefix of the initializers' names.
     * @return The output {@code [batch, outputSize]}.
     */
    public static ONNXRef<?> network(ONNXRef<?> input, FeedForwardNetwork network, String prefix) {
        List<ONNXRef<?>> outputs = layerOutputs(input, network, network.numDenseLayers(), prefix);
        return outputs.get(outputs.size() - 1);
    }

    /**
     * The first {@code denseLayers} dense layers of the network as Gemm + activation nodes ({@code W [in, out]} is
     * the Gemm's B input as stored), with the output of every dense layer after its activation: the intermediate
     * features of {@link FeedForwardNetwork#layerOutput}.
     * @param input The input {@code [batch, inputSize]}.
     * @param network The network.
     * @param denseLayers How many dense layers to write, in {@code [1, numDenseLayers()]}.
     * @param prefix Prefix of the initializers' names.
     * @return The output of dense layer k (after its activation) at position k, {@code [batch, sizes[k + 1]]}.
     */
    public static List<ONNXRef<?>> layerOutputs(ONNXRef<?> input, FeedForwardNetwork network, int denseLayers,
                                                String prefix) {
        if (denseLayers < 1 || denseLayers > network.numDenseLayers()) {
            throw new IllegalArgumentException("denseLayers must be in [1, " + network.numDenseLayers() + "], found "
                    + denseLayers);
        }
        ONNXContext ctx = input.onnxContext();
        float[] p = network.parameters();
        List<ONNXRef<?>> outputs = new ArrayList<>(denseLayers);
        ONNXRef<?> x = input;
        int index = 0;
        for (Layer layer : network.layers().subList(0, 2 * denseLayers)) {
            if (layer instanceof DenseLayer) {
                DenseLayer dense = (DenseLayer) layer;
                int in = dense.inputSize();
                int out = dense.outputSize();
                int w = dense.weightOffset();
                int b = dense.biasOffset();
                ONNXInitializer weights = ctx.floatTensor(prefix + "_w" + index, Arrays.asList(in, out),
                        fb -> fb.put(p, w, in * out));
                ONNXInitializer bias = ctx.floatTensor(prefix + "_b" + index, Collections.singletonList(out),
                        fb -> fb.put(p, b, out));
                x = x.apply(ONNXOperators.GEMM, Arrays.asList(weights, bias));
                index++;
            } else {
                Activation a = ((ActivationLayer) layer).activation();
                switch (a) {
                    case RELU: x = x.apply(KDOnnxOperators.RELU); break;
                    case TANH: x = x.apply(KDOnnxOperators.TANH); break;
                    case SIGMOID: x = x.apply(ONNXOperators.SIGMOID); break;
                    case IDENTITY: default: break;
                }
                outputs.add(x);
            }
        }
        return outputs;
    }

    /**
     * A {@link SequentialNetwork} of convolutions, transposed convolutions, average pooling, dense layers and
     * activations as ONNX nodes on a flat input {@code [batch, C·H·W]}: a Reshape to NCHW before the first spatial
     * layer after a flat tensor, Conv ({@code W [Cout, Cin, k, k]} as stored, {@code strides [s, s]},
     * {@code pads [top, left, bottom, right]}), ConvTranspose ({@code W [Cin, Cout, k, k]} as stored, the layer's
     * {@code pads} and {@code output_padding}), AveragePool (kernel = stride), Flatten before a dense layer after a
     * spatial one, Gemm ({@code W [in, out]}) and activation nodes. Upsampling is not exported (no student uses
     * it).
     */
    static ONNXRef<?> convNetwork(ONNXRef<?> input, SequentialNetwork network, String prefix) {
        ONNXContext ctx = input.onnxContext();
        float[] p = network.parameters();
        ONNXRef<?> x = input;
        boolean flat = true;
        int index = 0;
        for (Layer layer : network.layers()) {
            if (layer instanceof Conv2DLayer) {
                Conv2DLayer conv = (Conv2DLayer) layer;
                if (flat) {
                    x = reshape(x, conv.inChannels(), conv.inHeight(), conv.inWidth(), prefix + "_shape" + index);
                    flat = false;
                }
                int co = conv.outChannels();
                int ci = conv.inChannels();
                int k = conv.kernel();
                int w = conv.weightOffset();
                int b = conv.biasOffset();
                ONNXInitializer weights = ctx.floatTensor(prefix + "_conv_w" + index, Arrays.asList(co, ci, k, k),
                        fb -> fb.put(p, w, co * ci * k * k));
                ONNXInitializer bias = ctx.floatTensor(prefix + "_conv_b" + index, Collections.singletonList(co),
                        fb -> fb.put(p, b, co));
                Map<String, Object> attributes = new HashMap<>();
                attributes.put("kernel_shape", new int[]{k, k});
                attributes.put("pads", new int[]{conv.padTop(), conv.padLeft(), conv.padBottom(), conv.padRight()});
                attributes.put("strides", new int[]{conv.stride(), conv.stride()});
                x = ctx.operation(KDOnnxOperators.CONV, Arrays.<ONNXRef<?>>asList(x, weights, bias),
                        prefix + "_conv" + index, attributes);
            } else if (layer instanceof ConvTranspose2DLayer) {
                ConvTranspose2DLayer deconv = (ConvTranspose2DLayer) layer;
                if (flat) {
                    x = reshape(x, deconv.inChannels(), deconv.inHeight(), deconv.inWidth(),
                            prefix + "_shape" + index);
                    flat = false;
                }
                int ci = deconv.inChannels();
                int co = deconv.outChannels();
                int k = deconv.kernel();
                int s = deconv.stride();
                int w = deconv.weightOffset();
                int b = deconv.biasOffset();
                ONNXInitializer weights = ctx.floatTensor(prefix + "_deconv_w" + index, Arrays.asList(ci, co, k, k),
                        fb -> fb.put(p, w, ci * co * k * k));
                ONNXInitializer bias = ctx.floatTensor(prefix + "_deconv_b" + index, Collections.singletonList(co),
                        fb -> fb.put(p, b, co));
                Map<String, Object> attributes = new HashMap<>();
                attributes.put("kernel_shape", new int[]{k, k});
                attributes.put("pads", new int[]{deconv.padTop(), deconv.padLeft(), deconv.padBottom(),
                        deconv.padRight()});
                attributes.put("strides", new int[]{s, s});
                attributes.put("output_padding",
                        new int[]{deconv.outputPaddingHeight(), deconv.outputPaddingWidth()});
                x = ctx.operation(KDOnnxOperators.CONV_TRANSPOSE, Arrays.<ONNXRef<?>>asList(x, weights, bias),
                        prefix + "_deconv" + index, attributes);
            } else if (layer instanceof AvgPool2DLayer) {
                AvgPool2DLayer pool = (AvgPool2DLayer) layer;
                if (flat) {
                    x = reshape(x, pool.channels(), pool.inHeight(), pool.inWidth(), prefix + "_shape" + index);
                    flat = false;
                }
                Map<String, Object> attributes = new HashMap<>();
                attributes.put("kernel_shape", new int[]{pool.pool(), pool.pool()});
                attributes.put("strides", new int[]{pool.pool(), pool.pool()});
                x = x.apply(KDOnnxOperators.AVERAGE_POOL, attributes);
            } else if (layer instanceof DenseLayer) {
                DenseLayer dense = (DenseLayer) layer;
                if (!flat) {
                    x = x.apply(KDOnnxOperators.FLATTEN, Collections.singletonMap("axis", 1));
                    flat = true;
                }
                int in = dense.inputSize();
                int out = dense.outputSize();
                int w = dense.weightOffset();
                int b = dense.biasOffset();
                ONNXInitializer weights = ctx.floatTensor(prefix + "_dense_w" + index, Arrays.asList(in, out),
                        fb -> fb.put(p, w, in * out));
                ONNXInitializer bias = ctx.floatTensor(prefix + "_dense_b" + index, Collections.singletonList(out),
                        fb -> fb.put(p, b, out));
                x = x.apply(ONNXOperators.GEMM, Arrays.asList(weights, bias));
            } else if (layer instanceof ActivationLayer) {
                switch (((ActivationLayer) layer).activation()) {
                    case RELU: x = x.apply(KDOnnxOperators.RELU); break;
                    case TANH: x = x.apply(KDOnnxOperators.TANH); break;
                    case SIGMOID: x = x.apply(ONNXOperators.SIGMOID); break;
                    case IDENTITY: default: break;
                }
            } else {
                throw new IllegalStateException("ONNX export does not support " + layer.getClass().getSimpleName()
                        + " layers (layer " + index + ")");
            }
            index++;
        }
        if (!flat) {
            x = x.apply(KDOnnxOperators.FLATTEN, Collections.singletonMap("axis", 1));
        }
        return x;
    }

    /**
     * The free-running per-point reconstruction errors of an {@link LSTMAutoencoderNetwork} (Malhotra et al. 2016,
     * inference; seed 000, eq. 1's {@code e_t = |x_t − x'_t|}), exactly as
     * {@link LSTMAutoencoderNetwork#freeRunningErrors} computes them, with shapes:
     * <pre>
     *   x [B, L·m] → Reshape [B, L, m] → z = (x − mean) / scale   (per variable)   → Transpose → zt [L, B, m]
     *   encoder  LSTM(zt; W_e, R_e, B_e)                                → (h_L, c_L) [1, B, H]
     *   decoder step 0: LSTM(input 0; R_d, B_d | h_L, c_L)              → y_0 [1, 1, B, H], (h, c)
     *   decoder steps 1..L−1: LSTM(input 0; R' = U_d + W_o·W_d, B' = b_d + b_o·W_d | h, c) → y [L−1, 1, B, H]
     *   out = Squeeze(Concat(y_0, y)) [L, B, H] · W_o [H, m] + b_o      → out [L, B, m]   (reversed time)
     *   e = |zt − Gather(out, L−1 … 0)| [L, B, m] → Transpose → [B, L, m]   (original time order)
     * </pre>
     * The decoder reads its own previous output {@code x'_{s−1} = h_{s−1}·W_o + b_o}, so
     * {@code x'_{s−1}·W_d + h_{s−1}·U_d + b_d = h_{s−1}·(W_o·W_d + U_d) + (b_o·W_d + b_d)}: from step 1 on it is
     * an LSTM with no input and those folded weights (computed in double, rounded once to float), and one ONNX
     * {@code LSTM} node runs all of it. Step 0 reads a zero input. ONNX's operator needs an input tensor, so both
     * decoder nodes read a one-column slice of {@code zt} through zero input weights ({@code 0 · z = 0} for the
     * finite inputs the Java model accepts). Gate blocks are permuted to ONNX's order and transposed
     * ({@link LSTMLayer#toOnnxGateRows}); every window has all its steps ({@code sequence_lens} = L for every row,
     * expanded to the batch at run time, which also lets the decoder's nodes take initial states).
     * @param input The raw windows {@code [B, L·m]}.
     * @param standardizer The per-variable standardisation ({@code m} entries).
     * @param network The network.
     * @param steps L.
     * @param prefix Prefix of the graph's names.
     * @return The errors {@code [B, L, m]} float.
     */
    static ONNXRef<?> lstmAutoencoderErrors(ONNXRef<?> input, FeatureStandardizer standardizer,
                                            LSTMAutoencoderNetwork network, int steps, String prefix) {
        ONNXContext ctx = input.onnxContext();
        int m = network.variables();
        int h = network.hidden();
        float[] p = network.parameters();
        LSTMLayer enc = network.encoder();
        LSTMLayer dec = network.decoder();
        DenseLayer out = network.outputLayer();

        // x [B, L·m] -> [B, L, m] -> standardised -> time-major zt [L, B, m]
        ONNXRef<?> windows = input.apply(KDOnnxOperators.RESHAPE,
                ctx.array(prefix + "_window_shape", new long[]{-1, steps, m}));
        ONNXRef<?> z = standardize(windows, standardizer, prefix + "_input");
        ONNXRef<?> zt = z.apply(KDOnnxOperators.TRANSPOSE, Collections.singletonMap("perm", new int[]{1, 0, 2}));
        // batch size [1] int64, from the input's shape
        ONNXRef<?> batch = input.apply(KDOnnxOperators.SHAPE).apply(KDOnnxOperators.SLICE,
                Arrays.asList(ctx.array(prefix + "_batch_start", new long[]{0}),
                        ctx.array(prefix + "_batch_end", new long[]{1})));

        // encoder over the L steps -> final (h, c) [1, B, H]
        List<ONNXNode> encoder = lstm(zt, LSTMLayer.toOnnxGateRows(p, enc.inputWeightOffset(), m, h), m,
                LSTMLayer.toOnnxGateRows(p, enc.recurrentWeightOffset(), h, h),
                LSTMLayer.toOnnxBias(p, enc.biasOffset(), h), h, sequenceLengths(batch, steps, prefix), null, null,
                prefix + "_encoder");

        // the decoders' dummy input: one column of zt through zero weights [1, 4H, 1]
        float[] zeroInputWeights = new float[4 * h];
        ONNXRef<?> zeroStep = slice(zt, 1, prefix + "_step0_input");
        // decoder step 0: zero input, the decoder's own weights, from the encoder's state
        List<ONNXNode> first = lstm(zeroStep, zeroInputWeights, 1,
                LSTMLayer.toOnnxGateRows(p, dec.recurrentWeightOffset(), h, h),
                LSTMLayer.toOnnxBias(p, dec.biasOffset(), h), h, sequenceLengths(batch, 1, prefix),
                encoder.get(1), encoder.get(2), prefix + "_decoder_step0");
        ONNXRef<?> hidden = first.get(0); // [1, 1, B, H]
        if (steps > 1) {
            // folded weights in the layer's layout: U' [H, 4H] = U_d + W_o [H, m] · W_d [m, 4H]; b' = b_d + b_o · W_d
            int g = 4 * h;
            float[] folded = new float[h * g];
            float[] foldedBias = new float[g];
            int wo = out.weightOffset(), bo = out.biasOffset();
            int wd = dec.inputWeightOffset(), ud = dec.recurrentWeightOffset(), bd = dec.biasOffset();
            for (int col = 0; col < g; col++) {
                for (int r = 0; r < h; r++) {
                    double sum = p[ud + r * g + col];
                    for (int k = 0; k < m; k++) {
                        sum += (double) p[wo + r * m + k] * p[wd + k * g + col];
                    }
                    folded[r * g + col] = (float) sum;
                }
                double bias = p[bd + col];
                for (int k = 0; k < m; k++) {
                    bias += (double) p[bo + k] * p[wd + k * g + col];
                }
                foldedBias[col] = (float) bias;
            }
            List<ONNXNode> rest = lstm(slice(zt, steps - 1, prefix + "_steps_input"), zeroInputWeights, 1,
                    LSTMLayer.toOnnxGateRows(folded, 0, h, h), LSTMLayer.toOnnxBias(foldedBias, 0, h), h,
                    sequenceLengths(batch, steps - 1, prefix), first.get(1), first.get(2),
                    prefix + "_decoder_steps");
            hidden = hidden.apply(ONNXOperators.CONCAT, rest.get(0), Collections.singletonMap("axis", 0));
            // [L, 1, B, H]
        }
        ONNXRef<?> decoded = hidden.apply(KDOnnxOperators.SQUEEZE, ctx.array(prefix + "_squeeze_axes",
                new long[]{1})); // [L, B, H]
        int wo = out.weightOffset(), bo = out.biasOffset();
        ONNXInitializer outWeights = ctx.floatTensor(prefix + "_output_w", Arrays.asList(h, m),
                fb -> fb.put(p, wo, h * m));
        ONNXInitializer outBias = ctx.floatTensor(prefix + "_output_b", Collections.singletonList(m),
                fb -> fb.put(p, bo, m));
        ONNXRef<?> reconstructed = decoded.apply(KDOnnxOperators.MAT_MUL, outWeights)
                .apply(ONNXOperators.ADD, outBias); // [L, B, m], step s reconstructs x_{L−1−s}
        long[] reverse = new long[steps];
        for (int s = 0; s < steps; s++) {
            reverse[s] = steps - 1 - s;
        }
        ONNXRef<?> inOrder = reconstructed.apply(ONNXOperators.GATHER, ctx.array(prefix + "_reverse", reverse),
                Collections.singletonMap("axis", 0));
        return zt.apply(ONNXOperators.SUB, inOrder).apply(KDOnnxOperators.ABS)
                .apply(KDOnnxOperators.TRANSPOSE, Collections.singletonMap("perm", new int[]{1, 0, 2}));
    }

    /** {@code zt[0:steps, :, 0:1]}: {@code [steps, B, 1]}. */
    private static ONNXRef<?> slice(ONNXRef<?> zt, int steps, String name) {
        ONNXContext ctx = zt.onnxContext();
        return zt.apply(KDOnnxOperators.SLICE, Arrays.asList(ctx.array(name + "_starts", new long[]{0, 0}),
                ctx.array(name + "_ends", new long[]{steps, 1}), ctx.array(name + "_axes", new long[]{0, 2})));
    }

    /** {@code [B]} int32, every entry {@code length}. */
    private static ONNXRef<?> sequenceLengths(ONNXRef<?> batch, int length, String prefix) {
        return batch.onnxContext().array(prefix + "_length" + length, new int[]{length})
                .apply(KDOnnxOperators.EXPAND, batch);
    }

    /** One ONNX LSTM node (one direction); returns Y, Y_h, Y_c. */
    private static List<ONNXNode> lstm(ONNXRef<?> x, float[] w, int inputSize, float[] r, float[] b, int h,
                                       ONNXRef<?> sequenceLengths, ONNXRef<?> initialH, ONNXRef<?> initialC,
                                       String name) {
        ONNXContext ctx = x.onnxContext();
        List<ONNXRef<?>> inputs = new ArrayList<>();
        inputs.add(x);
        inputs.add(ctx.floatTensor(name + "_W", Arrays.asList(1, 4 * h, inputSize), fb -> fb.put(w)));
        inputs.add(ctx.floatTensor(name + "_R", Arrays.asList(1, 4 * h, h), fb -> fb.put(r)));
        inputs.add(ctx.floatTensor(name + "_B", Arrays.asList(1, 8 * h), fb -> fb.put(b)));
        inputs.add(sequenceLengths);
        if (initialH != null) {
            inputs.add(initialH);
            inputs.add(initialC);
        }
        return ctx.operation(KDOnnxOperators.LSTM, inputs, Arrays.asList(name + "_Y", name + "_Y_h", name + "_Y_c"),
                Collections.singletonMap("hidden_size", h));
    }

    /**
     * Seed 000's eq. 1 on every point, in double precision: {@code a = (e − μ)ᵀ S (e − μ)} with
     * {@code S = (Σ + λI)⁻¹} ({@link MahalanobisDistance#inverseCovariance}):
     * <pre>
     *   e [B, L, m] float → Cast double → d = e − μ → q = d · S [m, m] → a = ReduceSum(q ⊙ d, axis 2) [B, L] double
     * </pre>
     * (the Java model solves with the Cholesky factor instead; in double both agree far below float rounding).
     * @param errors The error vectors {@code [B, L, m]} float.
     * @param distance The fitted distance.
     * @param prefix Prefix of the graph's names.
     * @return The point scores {@code [B, L]} double.
     */
    static ONNXRef<?> mahalanobisPointScores(ONNXRef<?> errors, MahalanobisDistance distance, String prefix) {
        ONNXContext ctx = errors.onnxContext();
        int m = distance.dimension();
        double[][] s = distance.inverseCovariance();
        double[] flat = new double[m * m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(s[i], 0, flat, i * m, m);
        }
        ONNXRef<?> inverse = ctx.array(prefix + "_inverse_covariance", flat, false)
                .apply(KDOnnxOperators.RESHAPE, ctx.array(prefix + "_matrix_shape", new long[]{m, m}));
        ONNXRef<?> centred = errors.cast(double.class)
                .apply(ONNXOperators.SUB, ctx.array(prefix + "_mean", distance.mean(), false)); // [B, L, m]
        ONNXRef<?> product = centred.apply(KDOnnxOperators.MAT_MUL, inverse); // [B, L, m]
        Map<String, Object> keep = Collections.singletonMap("keepdims", 0);
        return product.apply(ONNXOperators.MUL, centred).apply(ONNXOperators.REDUCE_SUM,
                ctx.array(prefix + "_sum_axes", new long[]{2}), keep); // [B, L]
    }

    /**
     * The number of points whose score exceeds {@code τ}: {@code ReduceSum(Cast(a > τ), axis 1)} → {@code [B, 1]}
     * float (seed 000's count; {@code τ} compared in double).
     * @param pointScores {@code [B, L]} double.
     * @param tau {@code τ}.
     * @param prefix Prefix of the graph's names.
     * @return The counts.
     */
    static ONNXRef<?> countExceeding(ONNXRef<?> pointScores, double tau, String prefix) {
        ONNXContext ctx = pointScores.onnxContext();
        ONNXRef<?> above = pointScores.apply(ONNXOperators.GREATER, ctx.array(prefix + "_tau", new double[]{tau},
                false));
        return above.cast(float.class).apply(ONNXOperators.REDUCE_SUM, ctx.array(prefix + "_count_axes",
                new long[]{1}), Collections.singletonMap("keepdims", 1));
    }

    private static ONNXRef<?> reshape(ONNXRef<?> x, int c, int h, int w, String name) {
        ONNXInitializer shape = x.onnxContext().array(name, new long[]{-1, c, h, w});
        return x.apply(KDOnnxOperators.RESHAPE, shape);
    }
}
