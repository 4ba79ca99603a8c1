package io.github.tribuokd.anomaly;

import java.util.Arrays;

/**
 * Empirical quantiles with linear interpolation between order statistics (NumPy's default "linear" method):
 * for sorted values {@code v[0..n-1]}, {@code q ↦ v[⌊h⌋] + (h − ⌊h⌋)(v[⌊h⌋+1] − v[⌊h⌋])} with {@code h = q(n−1)}.
 * This is the "quantile of calibration scores" threshold rule of METRICS.md.
 */
public final class Quantiles {

    private Quantiles() { }

    /**
     * The q-quantile of the values.
     * @param values The values (not modified; must be finite and non-empty).
     * @param q The quantile in [0, 1].
     * @return The quantile.
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
        double h = q * (v.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }
}
