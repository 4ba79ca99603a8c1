package io.github.tribuokd.anomaly;

import io.github.tribuokd.anomaly.nn.Activation;
import io.github.tribuokd.anomaly.nn.ActivationLayer;
import io.github.tribuokd.anomaly.nn.AvgPool2DLayer;
import io.github.tribuokd.anomaly.nn.Conv2DLayer;
import io.github.tribuokd.anomaly.nn.ConvTranspose2DLayer;
import io.github.tribuokd.anomaly.nn.DenseLayer;
import io.github.tribuokd.anomaly.nn.FeedForwardNetwork;
import io.github.tribuokd.anomaly.nn.Layer;
import io.github.tribuokd.anomaly.nn.SequentialNetwork;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the pieces of this library's models into an ONNX graph: standardisation, dense networks and
 * convolutional networks.
 */
final class OnnxGraphs {

    private OnnxGraphs() { }

    /** {@code (x − mean) / scale}. */
    static ONNXRef<?> standardize(ONNXRef<?> input, FeatureStandardizer standardizer, String prefix) {
        ONNXContext ctx = input.onnxContext();
        ONNXInitializer mean = ctx.array(prefix + "_mean", standardizer.mean());
        ONNXInitializer scale = ctx.array(prefix + "_scale", standardizer.scale());
        return input.apply(ONNXOperators.SUB, mean).apply(ONNXOperators.DIV, scale);
    }

    /** The network as Gemm + activation nodes; {@code W [in, out]} is the Gemm's B input as stored. */
    static ONNXRef<?> network(ONNXRef<?> input, FeedForwardNetwork network, String prefix) {
        ONNXContext ctx = input.onnxContext();
        float[] p = network.parameters();
        ONNXRef<?> x = input;
        int index = 0;
        for (Layer layer : network.layers()) {
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
                Activation a = ((io.github.tribuokd.anomaly.nn.ActivationLayer) layer).activation();
                switch (a) {
                    case RELU: x = x.apply(KDOnnxOperators.RELU); break;
                    case TANH: x = x.apply(KDOnnxOperators.TANH); break;
                    case SIGMOID: x = x.apply(ONNXOperators.SIGMOID); break;
                    case IDENTITY: default: break;
                }
            }
        }
        return x;
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

    private static ONNXRef<?> reshape(ONNXRef<?> x, int c, int h, int w, String name) {
        ONNXInitializer shape = x.onnxContext().array(name, new long[]{-1, c, h, w});
        return x.apply(KDOnnxOperators.RESHAPE, shape);
    }
}
