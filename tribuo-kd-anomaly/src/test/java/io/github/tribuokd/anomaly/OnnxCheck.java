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

    /**
     * Checks a detector exported in {@link OnnxDetectorExport}'s shape against the Java model on the given examples:
     * scores within {@link #assertMatches}'s tolerance, the same decisions (except for a score within float32
     * rounding of the threshold), the feature order and threshold in the metadata, and that the examples hold both
     * decisions so the comparison means something.
     */
    static void assertDetectorMatches(Path onnxFile, AbstractScoredAnomalyModel model,
                                      java.util.List<org.tribuo.Example<org.tribuo.anomaly.Event>> examples,
                                      String what) throws OrtException {
        float[] matrix = FeatureMatrix.toMatrix(examples, model.getFeatureIDMap());
        float[][] rows = rows(matrix, examples.size(), model.getFeatureIDMap());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] score = new float[rows.length];
        boolean[] anomalous = new boolean[rows.length];
        try (OrtSession session = env.createSession(onnxFile.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Collections.singletonMap(OnnxDetectorExport.INPUT, input))) {
            float[][] s = (float[][]) result.get(OnnxDetectorExport.SCORE).get().getValue();
            boolean[][] a = (boolean[][]) result.get(OnnxDetectorExport.DECISION).get().getValue();
            for (int i = 0; i < rows.length; i++) {
                score[i] = s[i][0];
                anomalous[i] = a[i][0];
            }
            java.util.Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertEquals(String.join(",", OnnxDetectorExport.featureNames(model.getFeatureIDMap())),
                    meta.get(OnnxDetectorExport.META_FEATURES), what + ": feature order");
            assertEquals(model.threshold(), Double.parseDouble(meta.get(OnnxDetectorExport.META_THRESHOLD)),
                    what + ": threshold");
        }
        double[] java = model.scores(examples);
        assertMatches(java, score, what);
        int positives = 0;
        for (int i = 0; i < rows.length; i++) {
            boolean javaDecision = model.predict(examples.get(i)).getOutput().getType()
                    == org.tribuo.anomaly.Event.EventType.ANOMALOUS;
            positives += javaDecision ? 1 : 0;
            if (Math.abs(java[i] - model.threshold()) > 1e-5 * Math.max(Math.abs(model.threshold()), 1e-3)) {
                assertEquals(javaDecision, anomalous[i], what + ": decision of row " + i + " (score " + java[i]
                        + ", threshold " + model.threshold() + ")");
            }
        }
        assertTrue(positives > 0 && positives < rows.length,
                what + ": the sample must hold both decisions, found " + positives + " anomalous of " + rows.length);
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
