package io.github.tribuokd.benchmarks;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.MinibatchTraining;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Benchmark 5: how training time and memory grow with the hidden size, the window length and the series length.
 * <p>
 * Each configuration runs in a child JVM of its own (started by {@link BenchMain}) so that its peak resident set
 * ({@code VmHWM} of {@code /proc/self/status}) belongs to that configuration alone; the child also reports the live
 * Java heap after a full GC with the model and data still reachable, which is the memory the configuration really
 * needs (the RSS adds the JVM itself and the collector's slack).
 * <p>
 * Dense AE over windows: input width = window × 38, sizes {@code [in, H, 16, H, in]}, tanh, MSE, Adam 1e-3,
 * batch 256, one thread, warm-up epochs for at least 2 s then the median of five timed epochs; the series is cut into overlapping windows with stride 1 (the number of windows is the
 * series length here). The LSTM AE hook runs the same grid through {@link SequenceAutoencoderBench} once our
 * implementation is compiled in.
 */
public final class CostGrowthBenchmark {

    static final int FEATURES = 38;

    /** One point of the grid. */
    record Config(String varied, String model, int hidden, int window, int windows) {
        Map<String, String> args() {
            return Map.of("model", model, "hidden", Integer.toString(hidden), "window", Integer.toString(window),
                    "windows", Integer.toString(windows));
        }
    }

    private CostGrowthBenchmark() { }

    /** The grid: three sizes along each axis around a base configuration. */
    static List<Config> denseGrid() {
        List<Config> list = new ArrayList<>();
        int baseH = 64;
        int baseW = 10;
        int baseL = 20_000;
        for (int h : new int[] {32, 64, 128}) {
            list.add(new Config("hidden size", "dense", h, baseW, baseL));
        }
        for (int w : new int[] {5, 10, 20}) {
            list.add(new Config("window length", "dense", baseH, w, baseL));
        }
        for (int l : new int[] {10_000, 20_000, 40_000}) {
            list.add(new Config("series length", "dense", baseH, baseW, l));
        }
        return list;
    }

    /** The LSTM grid (window 100 base, batch 64), used once our LSTM autoencoder exists. */
    static List<Config> lstmGrid() {
        List<Config> list = new ArrayList<>();
        for (int h : new int[] {32, 64, 128}) {
            list.add(new Config("hidden size", "lstm", h, 100, 256));
        }
        for (int w : new int[] {50, 100, 200}) {
            list.add(new Config("window length", "lstm", 64, w, 256));
        }
        for (int l : new int[] {128, 256, 512}) {
            list.add(new Config("series length", "lstm", 64, 100, l));
        }
        return list;
    }

    /** Child entry point: one configuration. */
    static Map<String, Object> run(Map<String, String> args) throws Exception {
        String model = args.getOrDefault("model", "dense");
        int hidden = Bench.intArg(args, "hidden", 64);
        int window = Bench.intArg(args, "window", 10);
        int windows = Bench.intArg(args, "windows", 10_000);
        int epochs = Bench.intArg(args, "epochs", 5);
        Map<String, Object> m = Bench.result();
        float[] series = SyntheticData.series(windows - 1 + window, FEATURES, 46L);
        float[] x = SyntheticData.windows(series, FEATURES, window, windows, 1);
        series = null;
        m.put("data_bytes", (long) x.length * Float.BYTES);
        double[] secs = new double[epochs];
        long params;
        Object keepAlive;
        if (model.equals("dense")) {
            int in = window * FEATURES;
            FeedForwardNetwork net = new FeedForwardNetwork(new int[] {in, hidden, 16, hidden, in}, Activation.TANH,
                    Activation.IDENTITY);
            net.initialise(new SplittableRandom(3));
            params = net.numParameters();
            SplittableRandom rng = new SplittableRandom(5);
            AdamOptimiser adam = new AdamOptimiser(1e-3);
            // Warm-up until the JIT has settled: at least 3 epochs and 2 s, whatever the size.
            long w0 = System.nanoTime();
            for (int e = 0; e < 3 || System.nanoTime() - w0 < 2_000_000_000L; e++) {
                MinibatchTraining.train(net, x, x, windows, LossFunction.MSE, adam, 1, 256, rng, "cost", 1);
            }
            for (int e = 0; e < epochs; e++) {
                long t0 = System.nanoTime();
                MinibatchTraining.train(net, x, x, windows, LossFunction.MSE, adam, 1, 256, rng, "cost", 1);
                secs[e] = (System.nanoTime() - t0) / 1e9;
            }
            keepAlive = net;
        } else {
            SequenceAutoencoderBench b = LstmBench.oursOrNull();
            if (b == null) {
                m.put("pending", true);
                return m;
            }
            int batch = 64;
            b.setUp(FEATURES, window, hidden, batch, x, windows, 3L, 1);
            params = b.numParameters();
            int batches = windows / batch;
            b.trainBatches(1);
            for (int e = 0; e < epochs; e++) {
                long t0 = System.nanoTime();
                b.trainBatches(batches);
                secs[e] = (System.nanoTime() - t0) / 1e9;
            }
            keepAlive = b;
        }
        m.put("params", params);
        m.put("epoch_s", Bench.median(secs));
        System.gc();
        System.gc();
        m.put("live_heap_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        m.put("peak_rss_bytes", vmHwmBytes());
        Bench.consume(keepAlive.hashCode() + x.length);
        if (keepAlive instanceof AutoCloseable) {
            ((AutoCloseable) keepAlive).close();
        }
        return m;
    }

    /** Peak resident set size of this process (VmHWM), or -1 where /proc is unavailable. */
    static long vmHwmBytes() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1L;
        }
        return -1L;
    }
}
