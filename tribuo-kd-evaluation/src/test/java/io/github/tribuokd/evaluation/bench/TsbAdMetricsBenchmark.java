package io.github.tribuokd.evaluation.bench;

import io.github.tribuokd.evaluation.AffiliationMetrics;
import io.github.tribuokd.evaluation.AnomalyMetrics;
import io.github.tribuokd.evaluation.EventBasedF1;
import io.github.tribuokd.evaluation.RangeBasedF1;
import io.github.tribuokd.evaluation.Segments;
import io.github.tribuokd.evaluation.VolumeUnderSurface;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Timing benchmark of TSB-AD's metrics (issue 24) on a 1,000,000-point series: VUS-ROC/VUS-PR for several sliding
 * windows, range-based, event-based and affiliation F1 at a threshold and as oracles over 100 thresholds, and the
 * whole {@link AnomalyMetrics#compute} (every metric of the library for the scores and the random baseline). A
 * plain {@code main} program, not a JUnit test, and not shipped; every metric runs on the calling thread.
 * <p>
 * The series is {@link MetricsBenchmark}'s (seeded): about 4% anomalies in segments of 1&ndash;200 points, scores
 * uniform plus a bump inside segments. Each figure is the median of 5 repetitions after 3 warm-up runs.
 * <p>
 * Run with (see BENCHMARKS.md):
 * <pre>
 * mvn -B -q -o -pl tribuo-kd-evaluation -am test-compile &amp;&amp; java -cp \
 *   tribuo-kd-evaluation/target/classes:tribuo-kd-evaluation/target/test-classes \
 *   io.github.tribuokd.evaluation.bench.TsbAdMetricsBenchmark
 * </pre>
 */
public final class TsbAdMetricsBenchmark {

    private static final int N = 1_000_000;
    private static final long SEED = 20240601L;
    private static final int WARMUP = 3;
    private static final int REPETITIONS = 5;
    private static final double THRESHOLD = 0.9;

    /** Accumulates results so that the JIT cannot drop the work. */
    private static double sink;

    private TsbAdMetricsBenchmark() {}

    /** One timed task. */
    private interface Task {
        double run();
    }

    /**
     * Runs the benchmark.
     * @param args Ignored.
     */
    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(SEED);
        int[] labels = new int[N];
        int i = rng.nextInt(4824);
        while (i < N) {
            int length = 1 + rng.nextInt(200);
            for (int k = i; k < Math.min(N, i + length); k++) {
                labels[k] = 1;
            }
            i += length + 1 + rng.nextInt(4824);
        }
        double[] scores = new double[N];
        for (int k = 0; k < N; k++) {
            scores[k] = rng.nextDouble() + (labels[k] == 1 ? 0.3 + 0.4 * rng.nextDouble() : 0.0);
        }
        int positives = Arrays.stream(labels).sum();
        System.out.printf(Locale.ROOT, "series: n = %d, anomalous points = %d (%.2f%%), segments = %d, "
                        + "available processors = %d%n", N, positives, 100.0 * positives / N,
                Segments.of(labels).length, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "median of %d repetitions after %d warm-up runs, ms:%n", REPETITIONS, WARMUP);
        for (int window : new int[]{0, 10, 100, 250}) {
            time("VUS-ROC + VUS-PR, W = " + window, () -> {
                VolumeUnderSurface.Result r = VolumeUnderSurface.compute(scores, labels, window);
                return r.vusRoc() + r.vusPr();
            });
        }
        time("range-based F1 at a threshold", () -> RangeBasedF1.at(scores, labels, THRESHOLD).f1());
        time("event-based F1 at a threshold", () -> EventBasedF1.at(scores, labels, THRESHOLD).f1());
        time("affiliation F at a threshold", () -> AffiliationMetrics.at(scores, labels, THRESHOLD).f());
        time("best range-based F1 (oracle, 100 thr.)", () -> RangeBasedF1.bestOverThresholds(scores, labels).value());
        time("best event-based F1 (oracle, 100 thr.)", () -> EventBasedF1.bestOverThresholds(scores, labels).value());
        time("best affiliation F (oracle, 100 thr.)",
                () -> AffiliationMetrics.bestOverThresholds(scores, labels).value());
        time("AnomalyMetrics.compute, W = 100", () -> AnomalyMetrics.compute(scores, labels, THRESHOLD, 1L).vusPr());
        System.out.println("  (AnomalyMetrics.compute: every metric of the library, TSB-AD's included, for the scores "
                + "and for the random baseline)");
        VolumeUnderSurface.Result r = VolumeUnderSurface.compute(scores, labels, 100);
        System.out.printf(Locale.ROOT, "VUS-ROC %.6f, VUS-PR %.6f (W = 100); checksum %.6f%n", r.vusRoc(), r.vusPr(),
                sink);
    }

    private static void time(String name, Task task) {
        for (int w = 0; w < WARMUP; w++) {
            sink += task.run();
        }
        long[] times = new long[REPETITIONS];
        for (int rep = 0; rep < REPETITIONS; rep++) {
            long start = System.nanoTime();
            sink += task.run();
            times[rep] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "  %-42s %9.1f%n", name, times[REPETITIONS / 2] / 1e6);
    }
}
