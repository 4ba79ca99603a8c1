package io.github.tribuokd.evaluation;

/**
 * Point-wise precision, recall and F1 at a fixed threshold (docs/EVALUATION.md, "Definitions").
 * <p>
 * Each time point is predicted anomalous when {@code score > threshold} (strict) and compared with its own
 * label; no segment adjustment. See {@link ConfusionCounts} for the exact formulas (no epsilon terms).
 */
public final class PointwiseF1 {

    /**
     * Private constructor for a static utility class.
     */
    private PointwiseF1() {}

    /**
     * Computes the point-wise confusion counts at a threshold, in one {@code O(n)} pass.
     * @param scores    The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @param threshold The threshold θ; a point is predicted anomalous when {@code score > θ}. Infinite values
     *                  are allowed ({@code -Infinity} predicts every point anomalous).
     * @return The confusion counts; call {@link ConfusionCounts#f1()} for the F1 score.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}) or the
     *                                  threshold is NaN.
     */
    public static ConfusionCounts at(double[] scores, int[] labels, double threshold) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        ConfusionCounts.checkThreshold(threshold);
        long tp = 0;
        long fp = 0;
        long positives = 0;
        for (int i = 0; i < scores.length; i++) {
            int label = labels[i];
            positives += label;
            if (scores[i] > threshold) {
                if (label == 1) {
                    tp++;
                } else {
                    fp++;
                }
            }
        }
        long negatives = scores.length - positives;
        return new ConfusionCounts(tp, fp, positives - tp, negatives - fp);
    }
}
