package io.github.tribuokd.evaluation;

/**
 * Spearman's rank correlation ρ between two paired samples: the Pearson correlation of their ranks, ties taking
 * the mean of the ranks they span (the "average" method of {@code scipy.stats.spearmanr}).
 * <pre>
 *     ρ(x, y) = cov(r(x), r(y)) / (sd(r(x)) · sd(r(y)))
 * </pre>
 * In distillation reports it measures how well a student keeps its teacher's ranking of inputs, which is what
 * ROC-AUC and PR-AUC depend on: ρ = 1 when the student orders every pair of inputs as the teacher does, whatever
 * its scale. Sorting makes it {@code O(n log n)}.
 */
public final class RankCorrelation {

    private RankCorrelation() { }

    /**
     * Spearman's ρ of paired samples.
     * @param x The first sample, finite.
     * @param y The second sample, finite, as long as {@code x}.
     * @return ρ in [−1, 1]; NaN when either sample is constant (its ranks have no spread).
     * @throws IllegalArgumentException If the samples are null, empty, of different lengths, or hold a NaN or an
     *                                  infinity (the message names the argument and index).
     */
    public static double spearman(double[] x, double[] y) {
        check(x, "x");
        check(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("Spearman's rho needs paired samples, found " + x.length + " and "
                    + y.length + " values");
        }
        return pearson(ranks(x), ranks(y));
    }

    /**
     * The ranks 1..n of the values, ties sharing the mean of their ranks.
     * @param values The values, finite.
     * @return The ranks.
     */
    public static double[] ranks(double[] values) {
        int n = values.length;
        int[] order = ArraySorting.argsort(values);
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = mean;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
    }

    private static void check(double[] values, String name) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("Spearman's rho needs a non-empty sample " + name);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Sample " + name + " has the non-finite value " + values[i]
                        + " at index " + i);
            }
        }
    }
}
