package io.github.tribuokd.anomaly;

/**
 * The one count of this library's count rules: how many scores of a window lie strictly above a threshold.
 * <p>
 * Seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) (§2.1) flags a window when at least {@code c} of its points have a Mahalanobis score
 * {@code a_t > τ} ({@link MahalanobisWindowRule}, the evaluation module's {@code MahalanobisCountRule} and
 * {@code DriftCountRuleSearch}); seed {@code 002_*} (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) (eq. 4) scores an MSCRED input by the number of residual entries
 * with {@code |Υ| > τ} ({@code MSCREDModel}). Both counts are written here once. The comparison is strict, so a
 * NaN never counts. Stateless.
 */
public final class Counts {

    private Counts() {
    }

    /**
     * The number of scores strictly above {@code tau} (seed 000, §2.1: the points of a window with {@code a_t > τ}).
     * @param scores The scores.
     * @param tau The threshold.
     * @return The count.
     */
    public static int countAbove(double[] scores, double tau) {
        return countAbove(scores, 0, scores.length, tau);
    }

    /**
     * The number of scores in {@code [from, toExclusive)} strictly above {@code tau}.
     * @param scores The scores.
     * @param from The first index (inclusive).
     * @param toExclusive The end (exclusive).
     * @param tau The threshold.
     * @return The count.
     */
    public static int countAbove(double[] scores, int from, int toExclusive, double tau) {
        int count = 0;
        for (int i = from; i < toExclusive; i++) {
            if (scores[i] > tau) {
                count++;
            }
        }
        return count;
    }

    /**
     * The number of values in {@code [offset, offset + length)} whose absolute value is strictly above {@code tau}
     * (seed 002, eq. 4: the residual entries with {@code |Υ| > τ}).
     * @param values The values, for example a residual matrix {@code Υ} flattened.
     * @param offset The first index.
     * @param length The number of values.
     * @param tau The threshold.
     * @return The count.
     */
    public static int countAbsAbove(float[] values, int offset, int length, double tau) {
        int count = 0;
        for (int j = 0; j < length; j++) {
            if (Math.abs(values[offset + j]) > tau) {
                count++;
            }
        }
        return count;
    }
}
