package io.github.tribuokd.timeseries.mscred;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.tribuokd.anomaly.OnnxDetectorExport;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ONNX export of MSCRED models (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)) against the Java model on real data: a few variables of the SMD
 * machine embedded in the examples, tiny models trained for one epoch. The teacher's stateless graph scores a batch
 * of windows; the accumulator students' graphs are stepped through stretches of the test series with their state fed
 * back, as a deployment would, and give the Java stream's residuals (to 1e-4 relative), counts and decisions.
 */
public class MSCREDOnnxExportTest {

    /** SMD machine-1-2 columns that vary in the training data, and one constant column (7). */
    private static final int[] COLUMNS = {1, 2, 3, 5, 6, 7, 13};
    private static final int N = COLUMNS.length;
    private static final double RELATIVE = 1e-4;

    private static MultivariateSeries train;
    private static MultivariateSeries test;
    private static MutableDataset<Event> data;
    private static MSCREDModel teacher;

    static MultivariateSeries columns(MultivariateSeries s, int from, int to) {
        int steps = to - from;
        float[] v = new float[steps * N];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < N; j++) {
                v[t * N + j] = s.value(from + t, COLUMNS[j]);
            }
        }
        return new MultivariateSeries(s.name(), steps, N, v);
    }

    @BeforeAll
    public static void trainTeacher() throws IOException {
        Path smd = Path.of("../examples/src/main/resources/data/SMD");
        Assumptions.assumeTrue(Files.isDirectory(smd), "embedded SMD data not found; skipping");
        SmdEntity e = SmdLoader.load(smd, "machine-1-2");
        train = columns(e.train(), 0, 2500);
        test = e.test();
        data = new SlidingWindows(1, 1).toDataset(train, "smd-train");
        teacher = new MSCREDTrainer(30, new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 1, 8, 3e-3, 1L, 3)
                .train(data);
    }

    /** One Java stream's inputs: time, score, decision and residuals. */
    private static final class JavaInputs {
        final Map<Integer, Double> scores = new HashMap<>();
        final Map<Integer, Boolean> decisions = new HashMap<>();
        final Map<Integer, float[]> residuals = new HashMap<>();
    }

    private static JavaInputs streamJava(MSCREDModel model, MultivariateSeries s) {
        JavaInputs out = new JavaInputs();
        MSCREDStream stream = model.newStream();
        float[] point = new float[N];
        float[] v = s.valuesView();
        for (int t = 0; t < s.numSteps(); t++) {
            System.arraycopy(v, t * N, point, 0, N);
            if (stream.push(point)) {
                out.scores.put(t, stream.lastScore());
                out.decisions.put(t, stream.isAnomalous());
                out.residuals.put(t, stream.lastResiduals());
            }
        }
        return out;
    }

    /** The raw window of W points ending at t (rows before 0 are zeros). */
    private static float[] window(MultivariateSeries s, int t, int span) {
        float[] w = new float[span * N];
        float[] v = s.valuesView();
        for (int i = 0; i < span; i++) {
            int time = t - span + 1 + i;
            if (time >= 0) {
                System.arraycopy(v, time * N, w, i * N, N);
            }
        }
        return w;
    }

    private static Map<String, String> metadata(OnnxMl.ModelProto proto) {
        Map<String, String> m = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : proto.getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static float[] parseFloats(String csv) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    /** Counts of residual comparisons. */
    private static final class Parity {
        int inputs;
        int exactCounts;
        double worstRelative;
    }

    /**
     * Residuals within 1e-4 relative (of the entry, or of the matrix's largest entry for entries near zero), the count
     * equal unless entries lie within that tolerance of τ (then off by at most their number), the decision equal.
     */
    private static void compare(MSCREDModel model, int t, double javaScore, boolean javaDecision, float[] javaRes,
                                float onnxScore, boolean onnxDecision, float[] onnxRes, Parity parity) {
        double max = 0;
        for (float r : javaRes) {
            max = Math.max(max, Math.abs(r));
        }
        int nearTau = 0;
        for (int j = 0; j < javaRes.length; j++) {
            double tol = RELATIVE * Math.max(Math.abs(javaRes[j]), 1e-2 * max);
            double err = Math.abs(javaRes[j] - onnxRes[j]);
            assertTrue(err <= tol, "time " + t + " residual " + j + ": java " + javaRes[j] + " onnx " + onnxRes[j]);
            parity.worstRelative = Math.max(parity.worstRelative, err / Math.max(Math.abs(javaRes[j]), 1e-2 * max));
            if (Math.abs(Math.abs(javaRes[j]) - model.tau()) <= tol) {
                nearTau++;
            }
        }
        assertTrue(Math.abs(javaScore - onnxScore) <= nearTau, "time " + t + ": java count " + javaScore
                + ", onnx " + onnxScore + " (" + nearTau + " entries within the tolerance of tau)");
        assertEquals(javaDecision, onnxDecision, "time " + t + " decision (java count " + javaScore + ", threshold "
                + model.countThreshold() + ")");
        parity.inputs++;
        parity.exactCounts += javaScore == onnxScore ? 1 : 0;
    }

    @Test
    public void teacherGraphScoresABatchOfWindowsAsTheJavaModel(@TempDir Path dir) throws Exception {
        assertFalse(teacher.hasAccumulator());
        MultivariateSeries stretch = columns(test, 4400, 4800);
        JavaInputs java = streamJava(teacher, stretch);
        SignatureMatrices sig = teacher.signature();
        int span = sig.inputSpan();
        List<Integer> times = new ArrayList<>(java.scores.keySet());
        times.sort(Integer::compare);
        float[][] windows = new float[times.size()][];
        for (int i = 0; i < times.size(); i++) {
            windows[i] = window(stretch, times.get(i), span);
        }
        Path file = dir.resolve("teacher.onnx");
        teacher.saveONNXModel("io.github.tribuokd", 1, file);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        Map<String, String> meta = metadata(proto);
        assertEquals("none", meta.get(MSCREDOnnxExport.META_ACCUMULATOR));
        assertEquals(Integer.toString(span), meta.get(MSCREDOnnxExport.META_WINDOW));
        assertEquals(Integer.toString(N), meta.get(MSCREDOnnxExport.META_VARIABLES));
        assertEquals(Double.toString(teacher.countThreshold()), meta.get(OnnxDetectorExport.META_THRESHOLD));
        assertEquals(1, proto.getGraph().getInputCount(), "a stateless graph");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Parity parity = new Parity();
        int anomalous = 0;
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, windows);
             OrtSession.Result result = session.run(Map.of(OnnxDetectorExport.INPUT, input))) {
            float[][] score = (float[][]) result.get(OnnxDetectorExport.SCORE).orElseThrow().getValue();
            boolean[][] decision = (boolean[][]) result.get(OnnxDetectorExport.DECISION).orElseThrow().getValue();
            float[][] residual = (float[][]) result.get(MSCREDOnnxExport.RESIDUAL).orElseThrow().getValue();
            for (int i = 0; i < times.size(); i++) {
                int t = times.get(i);
                compare(teacher, t, java.scores.get(t), java.decisions.get(t), java.residuals.get(t), score[i][0],
                        decision[i][0], residual[i], parity);
                anomalous += decision[i][0] ? 1 : 0;
            }
        }
        assertEquals(times.size(), parity.inputs);
        assertTrue(parity.exactCounts >= parity.inputs - 1, parity.exactCounts + " of " + parity.inputs
                + " counts exact");
        System.out.printf("MSCRED teacher ONNX: %d inputs, %d counts exact, %d anomalous, worst residual error %.2e%n",
                parity.inputs, parity.exactCounts, anomalous, parity.worstRelative);
    }

    /**
     * Steps a student's graph through stretches of the test series, one independent stream per batch row, feeding
     * the state back, from the metadata's initial state (the protocol a deployment follows).
     */
    private static void stepStudent(MSCREDModel student, Path dir, int[][] stretches) throws IOException,
            OrtException {
        int streams = stretches.length;
        MultivariateSeries[] series = new MultivariateSeries[streams];
        JavaInputs[] java = new JavaInputs[streams];
        int length = Integer.MAX_VALUE;
        for (int b = 0; b < streams; b++) {
            series[b] = columns(test, stretches[b][0], stretches[b][1]);
            java[b] = streamJava(student, series[b]);
            length = Math.min(length, series[b].numSteps());
        }
        Path file = dir.resolve("student-" + student.accumulatorCell() + ".onnx");
        student.saveONNXModel("io.github.tribuokd", 1, file);
        Map<String, String> meta = metadata(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)));
        SignatureMatrices sig = student.signature();
        int span = Integer.parseInt(meta.get(MSCREDOnnxExport.META_WINDOW));
        int gap = Integer.parseInt(meta.get(MSCREDOnnxExport.META_GAP));
        int t0 = Integer.parseInt(meta.get(MSCREDOnnxExport.META_FIRST_CALL));
        int firstValid = Integer.parseInt(meta.get(MSCREDOnnxExport.META_FIRST_VALID));
        assertEquals(sig.inputSpan(), span);
        assertEquals(sig.firstValidTime(), firstValid);
        boolean lstm = meta.containsKey(MSCREDOnnxExport.META_INITIAL_C);
        float[] h0 = parseFloats(meta.get(MSCREDOnnxExport.META_INITIAL_H));
        int hid = h0.length;
        float[][] h = new float[streams][];
        float[][] c = new float[streams][];
        float[][] history = new float[streams][(sig.steps() - 1) * hid];
        for (int b = 0; b < streams; b++) {
            h[b] = h0.clone();
            c[b] = lstm ? parseFloats(meta.get(MSCREDOnnxExport.META_INITIAL_C)) : null;
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Parity parity = new Parity();
        int anomalous = 0;
        int warmUp = 0;
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            for (int t = t0; t < length; t += gap) {
                float[][] windows = new float[streams][];
                float[][] time = new float[streams][];
                for (int b = 0; b < streams; b++) {
                    windows[b] = window(series[b], t, span);
                    time[b] = new float[]{t};
                }
                Map<String, OnnxTensor> inputs = new HashMap<>();
                try {
                    inputs.put(OnnxDetectorExport.INPUT, OnnxTensor.createTensor(env, windows));
                    inputs.put(MSCREDOnnxExport.TIME, OnnxTensor.createTensor(env, time));
                    inputs.put(MSCREDOnnxExport.STATE_IN_H, OnnxTensor.createTensor(env, h));
                    if (lstm) {
                        inputs.put(MSCREDOnnxExport.STATE_IN_C, OnnxTensor.createTensor(env, c));
                    }
                    inputs.put(MSCREDOnnxExport.STATE_IN_HISTORY, OnnxTensor.createTensor(env, history));
                    try (OrtSession.Result result = session.run(inputs)) {
                        float[][] score = (float[][]) result.get(OnnxDetectorExport.SCORE).orElseThrow().getValue();
                        boolean[][] decision = (boolean[][]) result.get(OnnxDetectorExport.DECISION).orElseThrow()
                                .getValue();
                        float[][] residual = (float[][]) result.get(MSCREDOnnxExport.RESIDUAL).orElseThrow()
                                .getValue();
                        h = (float[][]) result.get(MSCREDOnnxExport.STATE_OUT_H).orElseThrow().getValue();
                        if (lstm) {
                            c = (float[][]) result.get(MSCREDOnnxExport.STATE_OUT_C).orElseThrow().getValue();
                        }
                        history = (float[][]) result.get(MSCREDOnnxExport.STATE_OUT_HISTORY).orElseThrow()
                                .getValue();
                        for (int b = 0; b < streams; b++) {
                            if (t < firstValid) {
                                assertFalse(java[b].scores.containsKey(t), "the Java stream scores from " + firstValid);
                                warmUp++;
                                continue;
                            }
                            assertTrue(java[b].scores.containsKey(t), "the Java stream scores t = " + t);
                            compare(student, t, java[b].scores.get(t), java[b].decisions.get(t),
                                    java[b].residuals.get(t), score[b][0], decision[b][0], residual[b], parity);
                            anomalous += decision[b][0] ? 1 : 0;
                        }
                    }
                } finally {
                    for (OnnxTensor tensor : inputs.values()) {
                        tensor.close();
                    }
                }
            }
        }
        int expected = 0;
        for (JavaInputs j : java) {
            expected += j.scores.size();
        }
        assertEquals(expected, parity.inputs, "every Java input was compared");
        assertTrue(parity.exactCounts >= parity.inputs - 2, parity.exactCounts + " of " + parity.inputs
                + " counts exact");
        System.out.printf("MSCRED %s student ONNX: %d streams, %d warm-up calls, %d inputs, %d counts exact, "
                        + "%d anomalous, worst residual error %.2e%n", student.accumulatorCell(), streams, warmUp,
                parity.inputs, parity.exactCounts, anomalous, parity.worstRelative);
    }

    /**
     * An LSTM accumulator (with a cell state) whose first call reads rows before the stream's start (gap 4, t₀ = 0):
     * two streams in one batch, one through SMD's first labelled anomaly.
     */
    @Test
    public void lstmStudentStepsWithItsStateAsTheJavaStream(@TempDir Path dir) throws Exception {
        MSCREDModel student = new LTADistillationTrainer(null, 35, new int[]{4, 8}, 0.5, "LSTM", 1, 8, 3e-3, 5L, 3)
                .withAccumulatorSize(8, 4).distil(teacher, data);
        assertEquals(0, student.signature().firstMatrixTime() % student.signature().gap(), "t0 = 0 < gap − 1");
        stepStudent(student, dir, new int[][]{{4400, 4800}, {15300, 15700}});
    }

    /** A GRU accumulator, one stream. */
    @Test
    public void gruStudentStepsWithItsStateAsTheJavaStream(@TempDir Path dir) throws Exception {
        MSCREDModel student = new LTADistillationTrainer(null, 20, new int[]{4, 8}, 0.5, "GRU", 1, 8, 3e-3, 5L, 3)
                .withAccumulatorSize(8, 4).distil(teacher, data);
        stepStudent(student, dir, new int[][]{{5400, 6000}});
    }

    /** An Elman RNN accumulator, one stream. */
    @Test
    public void rnnStudentStepsWithItsStateAsTheJavaStream(@TempDir Path dir) throws Exception {
        MSCREDModel student = new LTADistillationTrainer(null, 20, new int[]{4, 8}, 0.0, "RNN", 1, 8, 3e-3, 5L, 3)
                .withAccumulatorSize(8, 4).distil(teacher, data);
        stepStudent(student, dir, new int[][]{{18500, 18900}});
    }

    @Test
    public void floatTauSplitsFloatResidualsAsTheDoubleDoes() {
        double[] taus = {0.1, 0.3333333333333333, 1e-3, 2.0, 0.7000000000000001, 12345.678901234};
        for (double tau : taus) {
            float f = MSCREDOnnxExport.strictFloatBound(tau);
            float r = f;
            for (int k = 0; k < 3; k++) {
                assertEquals(r > tau, r > f, "tau " + tau + " r " + r);
                r = Math.nextUp(r);
            }
            assertEquals(Math.nextDown(f) > tau, Math.nextDown(f) > f);
        }
        assertArrayEquals(new float[]{1f, -2.5f}, parseFloats("1.0,-2.5"));
    }
}
