package io.github.tribuokd.anomaly;

import io.github.tribuokd.anomaly.nn.Activation;
import io.github.tribuokd.anomaly.nn.DenseLayer;
import io.github.tribuokd.anomaly.nn.FeedForwardNetwork;
import io.github.tribuokd.anomaly.nn.Layer;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Arrays;
import java.util.Collections;

/**
 * Writes the pieces of this library's models into an ONNX graph: standardisation and dense networks.
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
}
