package io.github.tribuokd.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.tribuokd.anomaly.MLPRegressionModel;
import io.github.tribuokd.anomaly.MLPRegressionTrainer;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.LossFunction;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Benchmark 4: scoring with the MLP student 38-16-1 (ReLU), ours against ONNX Runtime Java on the same model
 * exported with {@code saveONNXModel}: one sample per call, and batches of 10,000 on 1 and 2 threads.
 */
final class MlpStudentBench {

    static final int D = 38;
    static final int TRAIN_N = 5_000;
    static final int SCORE_N = 10_000;

    private MlpStudentBench() { }

    static MLPRegressionModel trainStudent(float[] x, int n) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> ds = new MutableDataset<>(new SimpleDataSourceProvenance("synthetic", factory),
                factory);
        String[] names = new String[D];
        for (int j = 0; j < D; j++) {
            names[j] = String.format("f%02d", j);
        }
        double[] v = new double[D];
        for (int r = 0; r < n; r++) {
            double ss = 0;
            for (int j = 0; j < D; j++) {
                v[j] = x[r * D + j];
                ss += v[j] * v[j];
            }
            ds.add(new ArrayExample<>(new Regressor("score", Math.log(ss / D + 0.01)), names, v.clone()));
        }
        MLPRegressionTrainer trainer = new MLPRegressionTrainer(new int[] {16}, Activation.RELU, LossFunction.MAE, 5,
                100, 1L);
        return trainer.train(ds);
    }

    /**
     * Ours, one sample per call: the allocation-free single-sample path.
     */
    static double oursOne(MLPRegressionModel model, float[] data, int offset) {
        return model.predictOne(data, offset);
    }

    static Map<String, Object> run(Map<String, String> args) throws Exception {
        Map<String, Object> m = Bench.result();
        float[] train = SyntheticData.lowRank(TRAIN_N, D, 44L);
        float[] score = SyntheticData.lowRank(SCORE_N, D, 45L);
        MLPRegressionModel model = trainStudent(train, TRAIN_N);
        m.put("params", model.numParameters());
        m.put("layers", java.util.Arrays.toString(model.layerSizes()));
        Path onnx = BenchMain.targetDir().resolve("bench-data").resolve("mlp-student.onnx");
        java.nio.file.Files.createDirectories(onnx.getParent());
        model.saveONNXModel("io.github.tribuokd", 1L, onnx);

        double[] ours = new double[SCORE_N];
        model.predictMatrix(score, SCORE_N, ours);
        double maxOneVsBatch = 0;
        for (int i = 0; i < SCORE_N; i++) {
            maxOneVsBatch = Math.max(maxOneVsBatch, rel(oursOne(model, score, i * D), ours[i]));
        }
        m.put("ours_single_vs_batch_max_rel_diff", maxOneVsBatch);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so1 = options(1); OrtSession.SessionOptions so2 = options(2);
             OrtSession s1 = env.createSession(onnx.toString(), so1);
             OrtSession s2 = env.createSession(onnx.toString(), so2)) {
            String inName = s1.getInputNames().iterator().next();
            String outName = s1.getOutputNames().iterator().next();
            // Batch tensors over direct buffers, made once; the output is pinned to a direct buffer too.
            FloatBuffer bin = direct(SCORE_N * D);
            bin.put(0, score, 0, SCORE_N * D);
            FloatBuffer bout = direct(SCORE_N);
            FloatBuffer oin = direct(D);
            FloatBuffer oout = direct(1);
            try (OnnxTensor tin = OnnxTensor.createTensor(env, bin, new long[] {SCORE_N, D});
                 OnnxTensor tout = OnnxTensor.createTensor(env, bout, new long[] {SCORE_N, 1});
                 OnnxTensor one = OnnxTensor.createTensor(env, oin, new long[] {1, D});
                 OnnxTensor oneOut = OnnxTensor.createTensor(env, oout, new long[] {1, 1})) {
                Map<String, OnnxTensor> batchIn = Map.of(inName, tin);
                Map<String, OnnxTensor> batchOut = Map.of(outName, tout);
                Map<String, OnnxTensor> oneIn = Map.of(inName, one);
                Map<String, OnnxTensor> oneOutMap = Map.of(outName, oneOut);

                // Correctness first: ORT's outputs against ours, to 1e-4 relative.
                s1.run(batchIn, batchOut).close();
                double maxRel = 0;
                for (int i = 0; i < SCORE_N; i++) {
                    maxRel = Math.max(maxRel, rel(bout.get(i), ours[i]));
                }
                double maxRelOne = 0;
                for (int i = 0; i < 1000; i++) {
                    oin.put(0, score, i * D, D);
                    s1.run(oneIn, oneOutMap).close();
                    maxRelOne = Math.max(maxRelOne, rel(oout.get(0), ours[i]));
                }
                m.put("ort_vs_ours_max_rel_diff", Math.max(maxRel, maxRelOne));
                if (!(Math.max(maxRel, maxRelOne) <= 1e-4)) {
                    throw new IllegalStateException("ONNX Runtime and ours disagree: max relative difference "
                            + Math.max(maxRel, maxRelOne) + " > 1e-4");
                }

                // Timing: one sample per call and batches of 10,000, every side's repetitions interleaved.
                int calls = Bench.intArg(args, "single_calls", 1_000_000);
                int ortCalls = Math.max(1000, calls / 40);
                int batchReps = Bench.intArg(args, "batch_reps", 150);
                long[] alloc = new long[1];
                double[] out = new double[SCORE_N];
                Bench.Timing[] t = Bench.interleaved(3, 7,
                    () -> {
                        long a0 = Bench.threadAllocatedBytes();
                        double acc = 0;
                        for (int c = 0; c < calls; c++) {
                            acc += oursOne(model, score, (c % SCORE_N) * D);
                        }
                        alloc[0] = Bench.threadAllocatedBytes() - a0;
                        Bench.consume(acc);
                    },
                    () -> {
                        double acc = 0;
                        for (int c = 0; c < ortCalls; c++) {
                            oin.put(0, score, (c % SCORE_N) * D, D);
                            try (OrtSession.Result r = s1.run(oneIn, oneOutMap)) {
                                acc += oout.get(0);
                            }
                        }
                        Bench.consume(acc);
                    },
                    () -> {
                        for (int r = 0; r < batchReps; r++) {
                            model.predictMatrix(score, SCORE_N, out, 1);
                        }
                        Bench.consume(out[SCORE_N - 1]);
                    },
                    () -> {
                        for (int r = 0; r < batchReps; r++) {
                            model.predictMatrix(score, SCORE_N, out, 2);
                        }
                        Bench.consume(out[SCORE_N - 1]);
                    },
                    () -> {
                        for (int r = 0; r < batchReps; r++) {
                            s1.run(batchIn, batchOut).close();
                        }
                        Bench.consume(bout.get(SCORE_N - 1));
                    });
                // ORT on 2 intra-op threads last and alone: its pool threads spin after each run and would steal
                // the second core from whatever ran next.
                Bench.Timing t2 = Bench.time(3, 7, () -> {
                    for (int r = 0; r < batchReps; r++) {
                        s2.run(batchIn, batchOut).close();
                    }
                    Bench.consume(bout.get(SCORE_N - 1));
                });
                m.put("ours_single_ns", t[0].medianSeconds() / calls * 1e9);
                m.put("ours_single_alloc_bytes_per_call", (double) alloc[0] / calls);
                m.put("ort_single_ns", t[1].medianSeconds() / ortCalls * 1e9);
                m.put("ours_batch_ns_per_sample", t[2].medianSeconds() / batchReps / SCORE_N * 1e9);
                m.put("ours_batch_cpu_per_wall", t[2].cpuPerWall());
                m.put("ours_t2_batch_ns_per_sample", t[3].medianSeconds() / batchReps / SCORE_N * 1e9);
                m.put("ours_t2_batch_cpu_per_wall", t[3].cpuPerWall());
                m.put("ort_t1_batch_ns_per_sample", t[4].medianSeconds() / batchReps / SCORE_N * 1e9);
                m.put("ort_t1_batch_cpu_per_wall", t[4].cpuPerWall());
                m.put("ort_t2_batch_ns_per_sample", t2.medianSeconds() / batchReps / SCORE_N * 1e9);
                m.put("ort_t2_batch_cpu_per_wall", t2.cpuPerWall());
            }
        }
        m.put("ours_kernel", model.scoringKernel());
        m.put("ort_version", OrtEnvironment.getEnvironment().getVersion());
        Bench.log("MLP (%s): ours %.1f ns/call, ORT %.1f ns/call; batch ours %.2f ns/sample, ORT %.2f (1 thread);"
                + " ours %.2f, ORT %.2f (2 threads)", m.get("ours_kernel"), m.get("ours_single_ns"),
                m.get("ort_single_ns"),
                m.get("ours_batch_ns_per_sample"), m.get("ort_t1_batch_ns_per_sample"),
                m.get("ours_t2_batch_ns_per_sample"), m.get("ort_t2_batch_ns_per_sample"));
        return m;
    }

    private static OrtSession.SessionOptions options(int threads) throws Exception {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return so;
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Relative difference |a − b| / max(|a|, |b|), 0 when both are below 1e-6 in magnitude. */
    static double rel(double a, double b) {
        double s = Math.max(Math.abs(a), Math.abs(b));
        return s < 1e-6 ? 0 : Math.abs(a - b) / s;
    }
}
