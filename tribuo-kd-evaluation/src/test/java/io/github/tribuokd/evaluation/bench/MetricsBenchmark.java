package io.github.tribuokd.evaluation.bench;

import io.github.tribuokd.evaluation.AveragePrecision;
import io.github.tribuokd.evaluation.BestF1;
import io.github.tribuokd.evaluation.EarthMoversDistance;
import io.github.tribuokd.evaluation.PaKF1;
import io.github.tribuokd.evaluation.PointAdjustment;
import io.github.tribuokd.evaluation.PointwiseF1;
import io.github.tribuokd.evaluation.RocAuc;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Timing benchmark of the time-series anomaly metrics on a 1,000,000-point series (a plain {@code main}
 * program, not a JUnit test, and not shipped).
 * <p>
 * The series is seeded: labels with about 4% anomalies in random segments of length 1&ndash;200, scores uniform in
 * {@code [0, 1)} plus a bump inside segments. After warm-up iterations, every metric is timed over 5 repetitions
 * and the median per-metric and total times are printed in milliseconds.
 * <p>
 * Run with:
 * <pre>
 * mvn -q -B -o -pl tribuo-kd-evaluation test-compile &amp;&amp; java -cp \
 *   tribuo-kd-evaluation/target/classes:tribuo-kd-evaluation/target/test-classes \
 *   io.github.tribuokd.evaluation.bench.MetricsBenchmark
 * </pre>
 */
public final class MetricsBenchmark {

    private static final int N = 1_000_000;
    private static final long SEED = 20240601L;
    private static final int WARMUP = 5;
    private static final int REPETITIONS = 5;
    private static final double THRESHOLD = 0.9;

    private static final String[] NAMES = {
        "point-wise F1", "PA F1", "PA%K (K=0..100) + area", "best F1 point-wise", "best F1 PA",
        "ROC-AUC", "PR-AUC (AP)", "EMD inliers/outliers"
    };

    /** Accumulates results so that the JIT cannot drop the work. */
    private static double sink;

    private MetricsBenchmark() {}

    /**
     * Runs the benchmark.
     * @param args Ignored.
     */
    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(SEED);
        int[] labels = new int[N];
        // Gaps between segments have mean ~2412, segments mean length ~100.5: ~4% anomalous points.
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
        int positives = 0;
        for (int label : labels) {
            positives += label;
        }
        System.out.printf(Locale.ROOT, "series: n = %d, anomalous points = %d (%.2f%%), segments = %d, "
                        + "available processors = %d%n", N, positives, 100.0 * positives / N,
                io.github.tribuokd.evaluation.Segments.of(labels).length, Runtime.getRuntime().availableProcessors());

        for (int w = 0; w < WARMUP; w++) {
            runAll(scores, labels, new long[NAMES.length]);
        }
        long[][] times = new long[REPETITIONS][NAMES.length];
        long[] totals = new long[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long start = System.nanoTime();
            runAll(scores, labels, times[r]);
            totals[r] = System.nanoTime() - start;
        }
        System.out.printf(Locale.ROOT, "median of %d repetitions after %d warm-up runs:%n", REPETITIONS, WARMUP);
        for (int m = 0; m < NAMES.length; m++) {
            long[] column = new long[REPETITIONS];
            for (int r = 0; r < REPETITIONS; r++) {
                column[r] = times[r][m];
            }
            System.out.printf(Locale.ROOT, "  %-26s %9.2f ms%n", NAMES[m], median(column) / 1e6);
        }
        System.out.printf(Locale.ROOT, "  %-26s %9.2f ms%n", "TOTAL (all metrics)", median(totals) / 1e6);
        // The library's one-call entry point: every metric above for the scores AND for the seeded random
        // baseline (uniform scores thresholded to flag as many points), as the evaluate command runs it.
        long[] oneCall = new long[REPETITIONS];
        for (int w = 0; w < WARMUP; w++) {
            sink += io.github.tribuokd.evaluation.AnomalyMetrics.compute(scores, labels, THRESHOLD, 1L).rocAuc();
        }
        for (int r = 0; r < REPETITIONS; r++) {
            long start = System.nanoTime();
            sink += io.github.tribuokd.evaluation.AnomalyMetrics.compute(scores, labels, THRESHOLD, 1L).rocAuc();
            oneCall[r] = System.nanoTime() - start;
        }
        System.out.printf(Locale.ROOT, "  %-26s %9.2f ms%n", "AnomalyMetrics.compute", median(oneCall) / 1e6);
        System.out.printf(Locale.ROOT, "    (all of the above except EMD, for the scores and the random baseline)%n");
        System.out.printf(Locale.ROOT, "(checksum %.6f)%n", sink);
    }

    private static void runAll(double[] scores, int[] labels, long[] times) {
        long t = System.nanoTime();
        sink += PointwiseF1.at(scores, labels, THRESHOLD).f1();
        t = lap(times, 0, t);
        sink += PointAdjustment.at(scores, labels, THRESHOLD).f1();
        t = lap(times, 1, t);
        sink += PaKF1.at(scores, labels, THRESHOLD).area();
        t = lap(times, 2, t);
        sink += BestF1.pointwise(scores, labels).f1();
        t = lap(times, 3, t);
        sink += BestF1.pointAdjusted(scores, labels).f1();
        t = lap(times, 4, t);
        sink += RocAuc.compute(scores, labels);
        t = lap(times, 5, t);
        sink += AveragePrecision.compute(scores, labels);
        t = lap(times, 6, t);
        int positives = 0;
        for (int label : labels) {
            positives += label;
        }
        double[] inliers = new double[labels.length - positives];
        double[] outliers = new double[positives];
        int a = 0;
        int b = 0;
        for (int k = 0; k < labels.length; k++) {
            if (labels[k] == 1) {
                outliers[b++] = scores[k];
            } else {
                inliers[a++] = scores[k];
            }
        }
        sink += EarthMoversDistance.between(inliers, outliers);
        lap(times, 7, t);
    }

    private static long lap(long[] times, int metric, long start) {
        long now = System.nanoTime();
        times[metric] = now - start;
        return now;
    }

    private static double median(long[] values) {
        return io.github.tribuokd.anomaly.Quantiles.median(Arrays.stream(values).asDoubleStream().toArray());
    }
}
