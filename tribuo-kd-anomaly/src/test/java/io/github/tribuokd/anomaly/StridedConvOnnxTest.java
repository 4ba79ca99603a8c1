package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.ConvNetSpec;
import io.github.tribuokd.nn.SequentialNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link OnnxGraphs#convNetwork} on networks with strided, asymmetrically padded convolutions and transposed
 * convolutions (MSCRED's layers), run in ONNX Runtime against the Java forward pass.
 */
public class StridedConvOnnxTest {

    /** Exports the network alone (flat input and output) and returns ONNX Runtime's output for the rows. */
    private static float[][] runInOnnxRuntime(SequentialNetwork net, float[][] rows, Path file) throws Exception {
        ONNXContext ctx = new ONNXContext();
        ONNXPlaceholder input = ctx.floatInput("input", net.inputSize());
        ONNXPlaceholder output = ctx.floatOutput("output", net.outputSize());
        OnnxGraphs.convNetwork(input, net, "net").assignTo(output);
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setGraph(ctx.buildGraph())
                .setProducerName("tribuo-kd test")
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setIrVersion(6)
                .build();
        Files.write(file, model.toByteArray());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Collections.singletonMap("input", tensor))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private static void check(String spec, int c, int h, int w, long seed, Path file) throws Exception {
        ConvNetSpec s = ConvNetSpec.parse(spec, c, h, w, Activation.TANH, Activation.IDENTITY);
        SequentialNetwork net = s.newNetwork();
        SplittableRandom rng = new SplittableRandom(seed);
        net.initialise(rng);
        float[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (rng.nextDouble() * 0.2 - 0.1); // non-zero biases too
        }
        int batch = 5, in = net.inputSize(), out = net.outputSize();
        float[][] rows = new float[batch][in];
        float[] flat = new float[batch * in];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < in; i++) {
                rows[b][i] = (float) (rng.nextDouble() * 2 - 1);
                flat[b * in + i] = rows[b][i];
            }
        }
        float[] java = net.forward(flat, batch, net.newWorkspace(batch));
        float[][] onnx = runInOnnxRuntime(net, rows, file);
        assertEquals(batch, onnx.length);
        // 1e-4 relative, for values down to 1% of the largest output (below that, float32 cancellation in a deep
        // stack differs between the two engines by more than 1e-4 of the value itself)
        double scale = 0;
        for (int i = 0; i < batch * out; i++) {
            scale = Math.max(scale, Math.abs(java[i]));
        }
        for (int b = 0; b < batch; b++) {
            assertEquals(out, onnx[b].length, spec + ": output width");
            for (int i = 0; i < out; i++) {
                double j = java[b * out + i];
                double tol = 1e-4 * Math.max(Math.abs(j), 1e-2 * scale);
                assertEquals(j, onnx[b][i], tol, spec + ": example " + b + " output " + i);
            }
        }
    }

    @Test
    public void stridedAndTransposedConvolutionsMatchOnnxRuntime(@TempDir Path dir) throws Exception {
        // 9 → 5 (pads 1/1) → 3 (pads 0/1) → 5 (crop 0/1) → 9 (crop 1/1) → 9 → dense
        check("c4s2-c4k2s2-t4k2s2o5x5-t2k3s2o9x9-c1-d1", 1, 9, 9, 1L, dir.resolve("a.onnx"));
        // 9x8 → 3x3 (k 2, s 3) → 9x8 (rows: output_padding 1) → 5x4 (rows pads 1/1, columns 0/1), no dense
        check("c3k2s3-t2k2s3o9x8-c1s2", 2, 9, 8, 2L, dir.resolve("b.onnx"));
        // MSCRED-shaped on 2×25×25: 25 → 13 → 7 → 4 → 7 → 13 → 25 → 25
        check("c3-c3s2-c3k2s2-c3k2s2-t3k2s2o7x7-t3k2s2o13x13-t3k3s2o25x25-t2k3s1", 2, 25, 25, 3L,
                dir.resolve("c.onnx"));
    }
}
