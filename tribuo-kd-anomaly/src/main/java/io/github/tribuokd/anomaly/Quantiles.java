package io.github.tribuokd.anomaly;

import java.util.Arrays;

/**
 * The library's one empirical quantile: linear interpolation between order statistics, NumPy's default
 * {@code numpy.quantile(x, q, method="linear")} (Hyndman and Fan's type 7). For values sorted ascending as
 * {@code v_0 ≤ … ≤ v_{n−1}}:
 * <pre>
 *     h = q·(n − 1),   j = ⌊h⌋,   k = min(j + 1, n − 1),   quantile = v_j + (h − j)·(v_k − v_j)
 * </pre>
 * so {@code q = 0} gives the minimum, {@code q = 1} the maximum and {@code q = 0.5} the median (the midpoint of the
 * two middle values when n is even).
 * <p>
 * The floating-point evaluation is exactly the formula above, in that order, for every q: it is the arithmetic every
 * trainer's threshold has used since the first release, so model files keep their thresholds bit for bit. (NumPy
 * evaluates {@code v_k − (1 − g)·(v_k − v_j)} when {@code g = h − j ≥ 0.5}; the two can differ in the last bit, never
 * by more than one rounding of the interpolation.)
 * <p>
 * This is the "quantile of calibration scores" threshold rule of EVALUATION.md. Every quantile, percentile and
 * median the library computes from data goes through this class: trainers' thresholds, MSCRED's τ and count
 * threshold, the evaluation module's {@code QuantileThreshold}, POT's initial threshold, the count rules' τ and
 * {@code c}, and the drift normaliser's moving median.
 */
public final class Quantiles {

    /**
     * The interpolation rule in words, as recorded in threshold provenance.
     */
    public static final String INTERPOLATION_RULE = "linear (numpy default): h = q*(n-1)";

    private Quantiles() { }

    /**
     * The q-quantile of the values (linear interpolation; see the class documentation).
     * @param values The values (not modified; must be finite and non-empty).
     * @param q The quantile in [0, 1].
     * @return The quantile.
     * @throws IllegalArgumentException If there are no values, {@code q} is not in [0, 1], or a value is not finite.
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Cannot take a quantile of no values");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("Quantile must be in [0, 1], found " + q);
        }
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("Value " + i + " is not finite: " + v[i]);
            }
        }
        Arrays.sort(v);
        return quantileOfSorted(v, 0, v.length, q);
    }

    /**
     * The median, {@code quantile(values, 0.5)}.
     * @param values The values (not modified; must be finite and non-empty).
     * @return The median.
     * @throws IllegalArgumentException If there are no values or a value is not finite.
     */
    public static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /**
     * The q-quantile of values already sorted ascending (no copy, no sort, no checks of the values): for callers
     * that take several quantiles of one sorted array, or sort into their own scratch buffer.
     * @param sorted Finite values sorted ascending, at least one.
     * @param q The quantile in [0, 1].
     * @return The quantile.
     * @throws IllegalArgumentException If the array is empty or {@code q} is not in [0, 1].
     */
    public static double quantileOfSorted(double[] sorted, double q) {
        return quantileOfSorted(sorted, 0, sorted.length, q);
    }

    /**
     * The q-quantile of the ascending run {@code sorted[from .. to − 1]} (no copy, no sort, no checks of the
     * values).
     * @param sorted An array whose elements {@code from} to {@code to − 1} are finite and sorted ascending.
     * @param from The first index of the run (inclusive).
     * @param to The end of the run (exclusive), greater than {@code from}.
     * @param q The quantile in [0, 1].
     * @return The quantile.
     * @throws IllegalArgumentException If the run is empty or out of the array, or {@code q} is not in [0, 1].
     */
    public static double quantileOfSorted(double[] sorted, int from, int to, double q) {
        if (from < 0 || to > sorted.length || to <= from) {
            throw new IllegalArgumentException("Cannot take a quantile of the run [" + from + ", " + to
                    + ") of an array of length " + sorted.length);
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("Quantile must be in [0, 1], found " + q);
        }
        int n = to - from;
        double h = q * (n - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, n - 1);
        double a = sorted[from + lo];
        return a + (h - lo) * (sorted[from + hi] - a);
    }
}
