package io.github.tribuokd.benchmarks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timing helpers shared by every benchmark: warm-up, timed repetitions, medians, and the process CPU time
 * (CPU/wall tells how many cores a run really used, which is how thread settings are verified).
 */
final class Bench {

    /** The prefix of the one line a child process prints with its results. */
    static final String RESULT_PREFIX = "@@RESULT ";

    static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private Bench() { }

    /** A piece of work to time. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /**
     * The result of timing one piece of work several times.
     * @param medianSeconds Median wall time of one repetition.
     * @param cpuPerWall Median (process CPU time / wall time) of the repetitions: about the number of busy cores.
     * @param seconds Every repetition's wall time.
     */
    record Timing(double medianSeconds, double cpuPerWall, double[] seconds) {
        double minSeconds() {
            return Arrays.stream(seconds).min().orElse(Double.NaN);
        }

        double maxSeconds() {
            return Arrays.stream(seconds).max().orElse(Double.NaN);
        }
    }

    /**
     * Runs {@code warmups} untimed repetitions, then {@code reps} timed ones.
     * @param warmups Untimed runs.
     * @param reps Timed runs.
     * @param work The work.
     * @return The median and the spread.
     */
    static Timing time(int warmups, int reps, Work work) {
        try {
            for (int i = 0; i < warmups; i++) {
                work.run();
            }
            double[] secs = new double[reps];
            double[] cpu = new double[reps];
            for (int i = 0; i < reps; i++) {
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                work.run();
                long t1 = System.nanoTime();
                long c1 = processCpuNanos();
                secs[i] = (t1 - t0) / 1e9;
                cpu[i] = (c1 - c0) / (double) Math.max(1, t1 - t0);
            }
            return new Timing(median(secs), median(cpu), secs);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Times several pieces of work with their repetitions interleaved (rep 1 of each, then rep 2 of each, ...), so
     * that the drift of a shared, noisy machine hits every side alike.
     * @param warmups Untimed rounds.
     * @param reps Timed rounds.
     * @param works The work items.
     * @return One timing per work item, in order.
     */
    static Timing[] interleaved(int warmups, int reps, Work... works) {
        try {
            for (int w = 0; w < warmups; w++) {
                for (Work work : works) {
                    work.run();
                }
            }
            double[][] secs = new double[works.length][reps];
            double[][] cpu = new double[works.length][reps];
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < works.length; i++) {
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    works[i].run();
                    long t1 = System.nanoTime();
                    long c1 = processCpuNanos();
                    secs[i][r] = (t1 - t0) / 1e9;
                    cpu[i][r] = (c1 - c0) / (double) Math.max(1, t1 - t0);
                }
            }
            Timing[] out = new Timing[works.length];
            for (int i = 0; i < works.length; i++) {
                out[i] = reps == 0 ? null : new Timing(median(secs[i]), median(cpu[i]), secs[i]);
            }
            return out;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double median(double[] values) {
        return io.github.tribuokd.anomaly.Quantiles.median(values);
    }

    /** libc's clock_gettime through JNA (which DJL brings along), or null where that is unavailable. */
    private static final com.sun.jna.Function CLOCK_GETTIME = clockGettime();
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    private static com.sun.jna.Function clockGettime() {
        try {
            com.sun.jna.Function f = com.sun.jna.Function.getFunction("c", "clock_gettime");
            com.sun.jna.Memory ts = new com.sun.jna.Memory(16);
            return f.invokeInt(new Object[] {CLOCK_PROCESS_CPUTIME_ID, ts}) == 0 ? f : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * CPU time of the whole process (all threads, native ones included), in nanoseconds. Uses
     * {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} (nanosecond resolution); the JDK's own
     * {@code getProcessCpuTime()} is built on {@code times()} and counts in 10 ms ticks, too coarse for short
     * repetitions.
     */
    static long processCpuNanos() {
        if (CLOCK_GETTIME != null) {
            com.sun.jna.Memory ts = new com.sun.jna.Memory(16);
            if (CLOCK_GETTIME.invokeInt(new Object[] {CLOCK_PROCESS_CPUTIME_ID, ts}) == 0) {
                return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
            }
        }
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return 0L;
    }

    /** Bytes allocated so far on the Java heap by the current thread (-1 if unsupported). */
    static long threadAllocatedBytes() {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        if (t instanceof com.sun.management.ThreadMXBean) {
            return ((com.sun.management.ThreadMXBean) t).getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1L;
    }

    /** A map for a child's JSON result, with insertion order kept. */
    static Map<String, Object> result() {
        return new LinkedHashMap<>();
    }

    /** Adds a timing to a result map under a prefix. */
    static void put(Map<String, Object> m, String prefix, Timing t) {
        m.put(prefix + "_median_s", t.medianSeconds());
        m.put(prefix + "_min_s", t.minSeconds());
        m.put(prefix + "_max_s", t.maxSeconds());
        m.put(prefix + "_cpu_per_wall", t.cpuPerWall());
    }

    /** Prints the child's one result line on stdout. */
    static void emit(Map<String, Object> m) {
        System.out.println(RESULT_PREFIX + GSON.toJson(m));
        System.out.flush();
    }

    /** Keeps the JIT from removing a computation. */
    static volatile double sink;

    static void consume(double v) {
        sink += v;
    }

    static int intArg(Map<String, String> args, String key, int def) {
        String v = args.get(key);
        return v == null ? def : Integer.parseInt(v);
    }

    static String log(String fmt, Object... args) {
        String s = String.format(fmt, args);
        System.err.println("[bench] " + s);
        System.err.flush();
        return s;
    }
}
