package io.github.tribuokd.anomaly;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OnnxValue;
import org.tribuo.ImmutableFeatureMap;

import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs an exported ONNX file in ONNX Runtime (Java) and compares it with the Java model's outputs.
 */
final class OnnxCheck {

    private OnnxCheck() { }

    /** Runs the model on rows (features in id order) and returns output column 0. */
    static float[] run(Path onnxFile, float[][] rows) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnxFile.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Collections.singletonMap("input", input))) {
            OnnxValue value = result.get(0);
            float[][] out = (float[][]) value.getValue();
            float[] col = new float[out.length];
            for (int i = 0; i < out.length; i++) {
                col[i] = out[i][0];
            }
            return col;
        }
    }

    static String metadata(Path onnxFile, String key) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnxFile.toString(), new OrtSession.SessionOptions())) {
            return session.getMetadata().getCustomMetadata().get(key);
        }
    }

    static float[][] rows(float[] matrix, int n, ImmutableFeatureMap map) {
        int d = map.size();
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(matrix, i * d, rows[i], 0, d);
        }
        return rows;
    }

    /** |onnx − java| ≤ 1e-4 · max(|java|, 1e-3) for every value. */
    static void assertMatches(double[] java, float[] onnx, String what) {
        assertEquals(java.length, onnx.length, what + ": lengths");
        for (int i = 0; i < java.length; i++) {
            double tol = 1e-4 * Math.max(Math.abs(java[i]), 1e-3);
            assertTrue(Math.abs(java[i] - onnx[i]) <= tol,
                    what + ": row " + i + " java " + java[i] + " onnx " + onnx[i]);
        }
    }
}
