package io.github.tribuokd.benchmarks;

import io.github.tribuokd.anomaly.LSTMAutoencoderNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2: LSTM encoder-decoder autoencoder, 38 variables, window 100, batch 64; training and inference
 * (teacher forcing) windows/s. One implementation and thread setting per JVM.
 */
final class LstmBench {

    static final int FEATURES = 38;
    static final int WINDOW = 100;
    static final int BATCH = 64;
    static final int NUM_WINDOWS = 512;
    static final int STRIDE = 10;
    static final long DATA_SEED = 43L;

    /** Our implementation; compiled only once {@code LSTMAutoencoderNetwork} exists (see src/main/java-pending). */
    static final String OURS_CLASS = "io.github.tribuokd.benchmarks.OursLstmAutoencoder";

    private LstmBench() { }

    static float[] windows() {
        float[] s = SyntheticData.series((NUM_WINDOWS - 1) * STRIDE + WINDOW, FEATURES, DATA_SEED);
        return SyntheticData.windows(s, FEATURES, WINDOW, NUM_WINDOWS, STRIDE);
    }

    /** Expected parameter count with PyTorch's two LSTM bias vectors. */
    static long torchParameterCount(int hidden) {
        return 2L * 4 * hidden * (FEATURES + hidden + 2) + (long) hidden * FEATURES + FEATURES;
    }

    /**
     * Loads our implementation if it was compiled in.
     * @return The instance, or null while it is pending.
     */
    static SequenceAutoencoderBench oursOrNull() {
        try {
            return (SequenceAutoencoderBench) Class.forName(OURS_CLASS).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot instantiate " + OURS_CLASS, e);
        }
    }

    /**
     * One hidden size and thread setting t, in one JVM: libtorch (DJL) on t intra-op threads and, once it is compiled
     * in, ours on t threads, with repetitions interleaved. Keys are prefixed {@code djl_} and {@code ours_}.
     */
    static Map<String, Object> run(Map<String, String> args) throws Exception {
        int hidden = Bench.intArg(args, "hidden", 64);
        int threads = Bench.intArg(args, "threads", 1);
        DjlSupport.configure(threads);
        Map<String, Object> m = DjlSupport.engineInfo(threads);
        m.put("hidden", hidden);
        m.put("torch_params_expected", torchParameterCount(hidden));
        List<String> prefixes = new ArrayList<>();
        List<SequenceAutoencoderBench> benches = new ArrayList<>();
        SequenceAutoencoderBench ours = oursOrNull();
        if (ours == null) {
            m.put("ours_pending", true);
            m.put("ours_reason", OURS_CLASS + " is not compiled in: io.github.tribuokd.anomaly.LSTMAutoencoderNetwork"
                    + " does not exist yet (see benchmarks/src/main/java-pending/README.md)");
        } else {
            prefixes.add("ours_");
            benches.add(ours);
        }
        prefixes.add("djl_");
        benches.add(new DjlLstmAutoencoder());
        float[] w = windows();
        int trainWarm = Bench.intArg(args, "train_warmup", 2);
        int trainReps = Bench.intArg(args, "train_reps", 5);
        int trainPer = Bench.intArg(args, "train_batches", 2);
        int inferWarm = Bench.intArg(args, "infer_warmup", 2);
        int inferReps = Bench.intArg(args, "infer_reps", 5);
        int inferPer = Bench.intArg(args, "infer_batches", 4);
        int k = benches.size();
        double[] before = new double[k];
        double[] after = new double[k];
        try {
            Bench.Work[] trainWarmWork = new Bench.Work[k];
            Bench.Work[] trainWork = new Bench.Work[k];
            Bench.Work[] inferWarmWork = new Bench.Work[k];
            Bench.Work[] inferWork = new Bench.Work[k];
            for (int i = 0; i < k; i++) {
                SequenceAutoencoderBench b = benches.get(i);
                b.setUp(FEATURES, WINDOW, hidden, BATCH, w, NUM_WINDOWS, 17L, threads);
                m.put(prefixes.get(i) + "impl", b.name());
                m.put(prefixes.get(i) + "params", b.numParameters());
                before[i] = b.inferBatches(1);
                trainWarmWork[i] = () -> Bench.consume(b.trainBatches(trainWarm));
                trainWork[i] = () -> Bench.consume(b.trainBatches(trainPer));
                inferWarmWork[i] = () -> Bench.consume(b.inferBatches(inferWarm));
                inferWork[i] = () -> Bench.consume(b.inferBatches(inferPer));
            }
            Bench.interleaved(1, 0, trainWarmWork);
            Bench.Timing[] train = Bench.interleaved(0, trainReps, trainWork);
            for (int i = 0; i < k; i++) {
                after[i] = benches.get(i).trainBatches(1);
            }
            Bench.interleaved(1, 0, inferWarmWork);
            Bench.Timing[] infer = Bench.interleaved(0, inferReps, inferWork);
            for (int i = 0; i < k; i++) {
                String p = prefixes.get(i);
                m.put(p + "train_windows_per_s", (double) BATCH * trainPer / train[i].medianSeconds());
                m.put(p + "train_cpu_per_wall", train[i].cpuPerWall());
                m.put(p + "infer_windows_per_s", (double) BATCH * inferPer / infer[i].medianSeconds());
                m.put(p + "infer_cpu_per_wall", infer[i].cpuPerWall());
                m.put(p + "loss_before", before[i]);
                m.put(p + "loss_after", after[i]);
                Bench.log("LSTM %s H=%d threads=%d: %d params, train %.1f windows/s, infer %.1f windows/s, loss %.4f -> "
                        + "%.4f", p, hidden, threads, benches.get(i).numParameters(), m.get(p + "train_windows_per_s"),
                        m.get(p + "infer_windows_per_s"), before[i], after[i]);
            }
            m.put("train_batches_timed", trainReps * trainPer);
            m.put("infer_batches_timed", inferReps * inferPer);
        } finally {
            for (SequenceAutoencoderBench b : benches) {
                b.close();
            }
        }
        return m;
    }
}
