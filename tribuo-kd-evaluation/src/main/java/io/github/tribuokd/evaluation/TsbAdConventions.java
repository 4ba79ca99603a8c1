package io.github.tribuokd.evaluation;

/**
 * Package-private helpers that reproduce the conventions of TSB-AD's evaluation code (Liu &amp; Paparrizos,
 * NeurIPS 2024 Datasets and Benchmarks; {@code TheDatumOrg/TSB-AD}, {@code TSB_AD/evaluation}, commit 8763009), so
 * that {@link VolumeUnderSurface}, {@link RangeBasedF1}, {@link EventBasedF1} and {@link AffiliationMetrics} give
 * the same numbers as the reference on the same inputs.
 */
final class TsbAdConventions {

    /** The number of thresholds of TSB-AD's oracle ("best over thresholds") figures. */
    static final int ORACLE_THRESHOLDS = 100;

    /** The {@code eps} TSB-AD adds to F-score denominators ({@code basic_metricor.eps}). */
    static final double EPS = 1e-15;

    private TsbAdConventions() {}

    /**
     * NumPy's {@code np.linspace(start, stop, num)} in double precision: {@code step = (stop - start) / (num - 1)},
     * {@code y_k = k * step + start}, the last value set to {@code stop}; a zero step multiplies
     * {@code k / (num - 1)} by the difference instead (NumPy's denormal guard).
     */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        int div = num - 1;
        double delta = stop - start;
        double step = delta / div;
        for (int k = 0; k < num; k++) {
            y[k] = (step == 0.0 ? ((double) k / div) * delta : k * step) + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /**
     * TSB-AD's oracle thresholds: {@code np.linspace(score.min(), score.max(), 100)}, with which a point is
     * predicted anomalous when {@code score > threshold}.
     */
    static double[] oracleThresholds(double[] scores) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        return linspace(min, max, ORACLE_THRESHOLDS);
    }

    /**
     * TSB-AD's "best over thresholds": Python's {@code max} of the values (the first maximum wins; a NaN first
     * value stays, a later NaN never wins) and the threshold at which it first occurs.
     */
    static BestOverThresholds pythonMax(String metric, double[] thresholds, double[] values) {
        double best = values[0];
        int at = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > best) {
                best = values[k];
                at = k;
            }
        }
        return new BestOverThresholds(metric, best, thresholds[at], thresholds.length);
    }

    /** Checks that a threshold is not NaN. */
    static void checkThreshold(double threshold) {
        ConfusionCounts.checkThreshold(threshold);
    }

    /** Checks that there is at least one positive label. */
    static void requirePositive(int[] labels, String metric) {
        if (MetricInputs.countPositives(labels) == 0) {
            throw new IllegalArgumentException(metric + " is undefined without positive labels: found 0 positive "
                    + "(label 1) and " + labels.length + " negative (label 0) points");
        }
    }
}
