package io.github.tribuokd.benchmarks;

import dev.ludovic.netlib.blas.BLAS;
import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark 3: square SGEMM {@code C = A·B} (row-major, float32), GFLOP/s = 2n³ / time. Ours: the Vector API and the
 * plain-Java kernels, on one thread and on two threads that each compute half of C's rows (rows are independent, so
 * the result is exactly the one-thread result). OpenBLAS: dev.ludovic.netlib's JNI binding to the system
 * {@code libblas.so.3}, whose thread count is fixed by {@code OPENBLAS_NUM_THREADS} when the library loads, so the
 * runner measures each OpenBLAS setting in its own JVM.
 */
final class SgemmBench {

    static final int[] SIZES = {512, 2048};

    private SgemmBench() { }

    static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    /**
     * Warms a call up (at least one call and about 0.3 s) and returns how many calls make about 0.25 s.
     */
    static int calibrate(Bench.Work call) throws Exception {
        long start = System.nanoTime();
        int warm = 0;
        while (warm < 1 || System.nanoTime() - start < 300_000_000L) {
            call.run();
            warm++;
        }
        double single = (System.nanoTime() - start) / 1e9 / warm;
        return (int) Math.max(1, Math.round(0.25 / single));
    }

    /** Repeats a call {@code calls} times. */
    static Bench.Work times(int calls, Bench.Work call) {
        return () -> {
            for (int i = 0; i < calls; i++) {
                call.run();
            }
        };
    }

    /**
     * One thread setting t, in one JVM started with {@code OPENBLAS_NUM_THREADS=t}: ours (Vector API and plain Java)
     * on t threads and OpenBLAS, repetitions interleaved.
     */
    static Map<String, Object> run(Map<String, String> args) throws Exception {
        int threads = Bench.intArg(args, "threads", 1);
        Map<String, Object> m = Bench.result();
        BLAS blas = BLAS.getInstance();
        String impl = blas.getClass().getName();
        m.put("netlib_impl", impl);
        m.put("OPENBLAS_NUM_THREADS", String.valueOf(System.getenv("OPENBLAS_NUM_THREADS")));
        m.put("native_lib", System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3"));
        openBlasInfo(m);
        m.put("vector_name", Kernels.vectorApi().name());
        m.put("plain_name", Kernels.plainJava().name());
        Bench.log("netlib BLAS implementation: %s; OpenBLAS: %s, %s thread(s)", impl, m.get("openblas_config"),
                m.get("openblas_threads"));
        boolean nativeBlas = impl.endsWith("JNIBLAS");
        if (!nativeBlas) {
            m.put("blas_error", "netlib picked " + impl + ", not the native JNIBLAS: is libblas.so.3 (libopenblas0) "
                    + "installed?");
        }
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "sgemm-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int n : SIZES) {
                float[] a = random(n * n, 1);
                float[] b = random(n * n, 2);
                float[] ref = new float[n * n];
                Kernels.vectorApi().gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, ref, 0, n);
                float[][] c = new float[3][n * n];
                int half = n / 2;
                MatrixKernels[] kernels = {Kernels.vectorApi(), Kernels.plainJava()};
                Bench.Work[] calls = new Bench.Work[nativeBlas ? 3 : 2];
                for (int k = 0; k < 2; k++) {
                    MatrixKernels kern = kernels[k];
                    float[] ck = c[k];
                    calls[k] = threads == 1
                            ? () -> kern.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, ck, 0, n)
                            : () -> {
                                Future<?> f = pool.submit(() -> kern.gemm(false, false, n - half, n, n, 1f, a,
                                        half * n, n, b, 0, n, 0f, ck, half * n, n));
                                kern.gemm(false, false, half, n, n, 1f, a, 0, n, b, 0, n, 0f, ck, 0, n);
                                f.get();
                            };
                }
                if (nativeBlas) {
                    // Row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ.
                    calls[2] = () -> blas.sgemm("N", "N", n, n, n, 1f, b, n, a, n, 0f, c[2], n);
                }
                int[] per = new int[calls.length];
                Bench.Work[] works = new Bench.Work[calls.length];
                for (int i = 0; i < calls.length; i++) {
                    per[i] = calibrate(calls[i]);
                    works[i] = times(per[i], calls[i]);
                }
                Bench.Timing[] t = Bench.interleaved(0, n >= 2048 ? 5 : 7, works);
                String[] names = {"vector", "plain", "openblas"};
                for (int i = 0; i < calls.length; i++) {
                    double g = 2.0 * n * n * n * per[i] / t[i].medianSeconds() / 1e9;
                    m.put(names[i] + "_" + n + "_gflops", g);
                    m.put(names[i] + "_" + n + "_cpu_per_wall", t[i].cpuPerWall());
                    m.put(names[i] + "_" + n + "_max_rel_diff", maxRelDiff(c[i], ref));
                    Bench.log("SGEMM n=%d %s, %d thread(s): %.1f GFLOP/s (CPU/wall %.2f)", n, names[i], threads, g,
                            t[i].cpuPerWall());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return m;
    }

    /** Reads OpenBLAS's own view of itself through JNA (which DJL brings along); best effort. */
    private static void openBlasInfo(Map<String, Object> m) {
        try {
            com.sun.jna.NativeLibrary lib = com.sun.jna.NativeLibrary.getInstance(
                    System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3"));
            m.put("openblas_config", lib.getFunction("openblas_get_config").invokeString(new Object[0], false));
            m.put("openblas_core", lib.getFunction("openblas_get_corename").invokeString(new Object[0], false));
            m.put("openblas_threads", lib.getFunction("openblas_get_num_threads").invokeInt(new Object[0]));
        } catch (Throwable t) {
            String msg = String.valueOf(t.getMessage()).split("\\R", 2)[0];
            m.put("openblas_config", "unknown (" + t.getClass().getSimpleName() + ": " + msg + ")");
        }
    }

    static double maxRelDiff(float[] x, float[] ref) {
        double max = 0;
        double scale = 0;
        for (float v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - ref[i]) / scale);
        }
        return max;
    }
}
