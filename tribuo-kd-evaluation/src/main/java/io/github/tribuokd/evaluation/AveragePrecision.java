package io.github.tribuokd.evaluation;

/**
 * Average precision (the PR-AUC figure used by the project).
 * <p>
 * Definition (docs/EVALUATION.md, "Definitions", PR-AUC): with the distinct score values taken as thresholds
 * in decreasing order, and {@code P_n}, {@code R_n} the precision and recall when every example with score
 * {@code >=} the n-th threshold is predicted positive,
 * <pre>
 *     AP = &Sigma;_n (R_n &minus; R_{n&minus;1}) &middot; P_n,     R_0 = 0
 * </pre>
 * a step sum, not a trapezoid (the trapezoid over-estimates PR-AUC). This is numerically identical to
 * scikit-learn {@code average_precision_score(labels, scores)}. Tied scores form one threshold, so a tie group
 * enters with the precision of the whole group.
 * <p>
 * The implementation sorts once ({@code O(n log n)}) and sweeps the tie groups from the highest score down.
 */
public final class AveragePrecision {

    /**
     * The metric name used in exception messages.
     */
    public static final String NAME = "Average precision";

    /**
     * Private constructor for a static utility class.
     */
    private AveragePrecision() {}

    /**
     * Computes the average precision of the scores against the labels.
     * @param scores The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels The labels, {@code 1} for anomalous and {@code 0} for normal, same length as the scores.
     * @return The average precision in {@code (0, 1]}, identical to scikit-learn {@code average_precision_score}.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}), or if there
     *                                  is no positive label, where recall and so AP are undefined.
     */
    public static double compute(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        int positives = MetricInputs.countPositives(labels);
        if (positives == 0) {
            throw new IllegalArgumentException(NAME + " is undefined without positive labels: found 0 positive "
                    + "(label 1) and " + labels.length + " negative (label 0) examples");
        }
        double[][] split = MetricInputs.sortedByClass(scores, labels);
        return fromSorted(split[0], split[1]);
    }

    /**
     * Average precision from the scores of each class, each sorted ascending (as
     * {@link MetricInputs#sortedByClass} gives them), with at least one positive: lets metrics share one sort.
     */
    static double fromSorted(double[] neg, double[] pos) {
        int positives = pos.length;
        double sum = 0.0;
        long tp = 0;
        long fp = 0;
        int i = neg.length - 1;
        int j = pos.length - 1;
        while (j >= 0) {
            double v = (i >= 0 && neg[i] > pos[j]) ? neg[i] : pos[j];
            long negTied = 0;
            while (i >= 0 && neg[i] == v) {
                negTied++;
                i--;
            }
            long posTied = 0;
            while (j >= 0 && pos[j] == v) {
                posTied++;
                j--;
            }
            tp += posTied;
            fp += negTied;
            if (posTied > 0) {
                // (R_n - R_{n-1}) * P_n with R_n - R_{n-1} = posTied / positives; the division by positives is
                // done once at the end.
                sum += posTied * ((double) tp / (tp + fp));
            }
        }
        // Thresholds below the lowest positive add no recall, so the sweep may stop there.
        // Each term is at most posTied (P_n <= 1, and rounding is monotone), so sum <= positives exactly and the
        // ratio is <= 1: summing posTied / positives instead gives 1.0000000000000002 for 9 positives ranked
        // first. The min is a guard, not a correction.
        return Math.min(1.0, sum / positives);
    }
}
