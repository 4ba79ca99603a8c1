package io.github.tribuokd.evaluation;

/**
 * Area under the ROC curve (ROC-AUC) for binary anomaly labels.
 * <p>
 * Definition (docs/EVALUATION.md, "Definitions", ROC-AUC): the Mann&ndash;Whitney statistic with ties counted one half, that is the
 * fraction of (positive, negative) pairs in which the positive example has the higher score, where a tied pair
 * counts one half:
 * <pre>
 *     AUC = ( #{(p, n) : s_p &gt; s_n} + &frac12; #{(p, n) : s_p = s_n} ) / (P &middot; N)
 * </pre>
 * This equals the trapezoidal area under the ROC curve and is numerically identical to scikit-learn
 * {@code roc_auc_score(labels, scores)}. It is invariant under any strictly increasing transform of the scores.
 * <p>
 * The implementation sorts once ({@code O(n log n)}) and sums, over each group of tied scores, the average
 * ranks of the positives (equivalently: positives in the group times the negatives strictly below, plus one
 * half of positives times negatives inside the group). The pair count is accumulated exactly in integer
 * arithmetic and divided once.
 */
public final class RocAuc {

    /**
     * The metric name used in exception messages.
     */
    public static final String NAME = "ROC-AUC";

    /**
     * Private constructor for a static utility class.
     */
    private RocAuc() {}

    /**
     * Computes the ROC-AUC of the scores against the labels.
     * @param scores The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels The labels, {@code 1} for anomalous and {@code 0} for normal, same length as the scores.
     * @return The ROC-AUC in {@code [0, 1]}, identical to scikit-learn {@code roc_auc_score}.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}), or if only
     *                                  one class is present, where ROC-AUC is undefined (never 0.5 silently).
     */
    public static double compute(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        MetricInputs.requireBothClasses(labels, NAME);
        double[][] split = MetricInputs.sortedByClass(scores, labels);
        return fromSorted(split[0], split[1]);
    }

    /**
     * ROC-AUC from the scores of each class, each sorted ascending (as {@link MetricInputs#sortedByClass} gives
     * them), both non-empty: lets several metrics share one sort.
     */
    static double fromSorted(double[] neg, double[] pos) {
        // twiceU = 2 * (pairs with positive above negative) + (tied pairs), exact in a long.
        long twiceU = 0;
        long negBelow = 0;
        int i = 0; // into neg
        int j = 0; // into pos
        while (j < pos.length) {
            double v = (i < neg.length && neg[i] < pos[j]) ? neg[i] : pos[j];
            long negTied = 0;
            while (i < neg.length && neg[i] == v) {
                negTied++;
                i++;
            }
            long posTied = 0;
            while (j < pos.length && pos[j] == v) {
                posTied++;
                j++;
            }
            twiceU += posTied * (2 * negBelow + negTied);
            negBelow += negTied;
        }
        return twiceU / (2.0 * pos.length * neg.length);
    }
}
