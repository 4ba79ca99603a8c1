package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.timeseries.MultivariateSeries;

/**
 * Two detectors that learn nothing, scored beside the MSCRED models so that a reader can tell what a trained model
 * adds over the data's plainest signals:
 * <ul>
 *     <li><b>distance from the training mean</b>: {@code s_t = Σ_j ((x_t^j − μ^j) / σ^j)²}, μ and σ the per-variable
 *     mean and standard deviation of the training series ({@code σ} floored at {@code 1e-3} for constant
 *     variables);</li>
 *     <li><b>local change</b>: {@code s_t = ‖x_t − mean(x_{t−W}, …, x_{t−1})‖₂}, the distance of a point from the mean
 *     of the {@code W} points before it (fewer at the start; {@code s_0 = 0}).</li>
 * </ul>
 * On the channel-concatenated MSL and SMAP series of seed {@code 002_*} (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) these two bracket the difficulty of the
 * protocol: a model that judges every point against one notion of normal behaviour ranks points no better than the
 * first (docs/RESULTS.md). Used by {@link MSCREDSeriesExperiment}. Stateless.
 */
public final class NaiveSeriesBaselines {

    private NaiveSeriesBaselines() {
    }

    /**
     * Squared standardised distance of every test point from the training mean.
     * @param train The training series (non-empty).
     * @param test  The scored series, with the same variables.
     * @return One score per test point.
     */
    public static double[] distanceFromTrainingMean(MultivariateSeries train, MultivariateSeries test) {
        int n = train.numVariables();
        if (test.numVariables() != n) {
            throw new IllegalArgumentException("NaiveSeriesBaselines: the test series has " + test.numVariables()
                    + " variables, the training series " + n);
        }
        FeatureStandardizer standardizer = FeatureStandardizer.fit(train.valuesView(), train.numSteps(), n, 1e-3);
        float[] mean = standardizer.mean(), scale = standardizer.scale();
        double[] scores = new double[test.numSteps()];
        for (int t = 0; t < scores.length; t++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double z = (test.value(t, j) - mean[j]) / scale[j];
                s += z * z;
            }
            scores[t] = s;
        }
        return scores;
    }

    /**
     * Distance of every point from the mean of the {@code window} points before it (a running sum; O(n) per point).
     * @param series The scored series.
     * @param window {@code W} ≥ 1.
     * @return One score per point.
     */
    public static double[] localChange(MultivariateSeries series, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("NaiveSeriesBaselines: window must be at least 1, found " + window);
        }
        int n = series.numVariables(), steps = series.numSteps();
        double[] sum = new double[n];
        double[] scores = new double[steps];
        for (int t = 0; t < steps; t++) {
            int count = Math.min(t, window);
            if (count > 0) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    double d = series.value(t, j) - sum[j] / count;
                    s += d * d;
                }
                scores[t] = Math.sqrt(s);
            }
            for (int j = 0; j < n; j++) {
                sum[j] += series.value(t, j);
                if (t >= window) {
                    sum[j] -= series.value(t - window, j);
                }
            }
        }
        return scores;
    }
}
