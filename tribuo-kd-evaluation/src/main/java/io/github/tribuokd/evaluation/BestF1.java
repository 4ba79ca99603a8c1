package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * The best F1 over <b>all</b> thresholds, with a threshold that attains it (docs/EVALUATION.md, "Best F1 (oracle
 * threshold)"), for point-wise F1 ({@link PointwiseF1}) and for point-adjusted F1 ({@link PointAdjustment},
 * full-segment mode; Xu et al., WWW 2018).
 * <p>
 * <b>This is an oracle figure</b>: the threshold is chosen with the test labels, so it is an upper bound on what
 * a deployable threshold achieves, and every report must label it as such ({@link Result#oracle()}).
 * <p>
 * The search is exact, not a grid (OmniAnomaly's {@code bf_search} samples a grid, an approximation): the
 * scores are sorted once ({@code O(n log n)}, primitive arrays) and the distinct scores are swept in descending
 * order while accumulating TP and FP; every distinct prediction set {@code {score > θ}} is visited once.
 * Exact best PA-F1: the scores inside each true segment are replaced by that segment's maximum; then the PA F1
 * of the original scores at θ equals the point-wise F1 of the adjusted scores at θ, and the same sweep applies.
 * <p>
 * <b>Threshold convention</b> ("the next lower distinct score", no midpoints): when the best cut predicts
 * every point whose (adjusted) score is {@code >= v}, the returned threshold is the largest distinct (adjusted)
 * score strictly below {@code v}, or {@link Double#NEGATIVE_INFINITY} when no score lies below {@code v}
 * (everything predicted positive). Predicting {@code score > threshold} therefore reproduces the best cut
 * exactly: {@code PointwiseF1.at(scores, labels, r.threshold()).f1() == r.f1()} for {@link #pointwise}, and
 * {@code PointAdjustment.at(scores, labels, r.threshold()).f1() == r.f1()} on the <i>original</i> scores for
 * {@link #pointAdjusted}. For point-adjust, the (adjusted) distinct scores are the scores outside segments and
 * the segment maxima, all of which are original scores. Ties in F1 are broken towards the highest threshold
 * (fewest points predicted positive). When no threshold gives a positive F1 (in particular when there is no
 * positive label, where F1 is 0 at every threshold), the result is F1 = 0 at the threshold equal to the maximum
 * score, which predicts nothing positive (no false positives).
 */
public final class BestF1 {

    /**
     * Private constructor for a static utility class.
     */
    private BestF1() {}

    /**
     * An oracle best-F1 result; immutable.
     */
    public static final class Result {
        private final double threshold;
        private final ConfusionCounts counts;

        private Result(double threshold, ConfusionCounts counts) {
            this.threshold = threshold;
            this.counts = counts;
        }

        /**
         * The best F1 over all thresholds.
         * @return The best F1 in {@code [0, 1]}.
         */
        public double f1() {
            return counts.f1();
        }

        /**
         * A threshold attaining {@link #f1()} when predicting {@code score > threshold}: the next lower distinct
         * score below the best cut, or {@link Double#NEGATIVE_INFINITY} when everything is predicted positive,
         * or the maximum score when the best F1 is 0 (see the class documentation).
         * @return The threshold.
         */
        public double threshold() {
            return threshold;
        }

        /**
         * The precision at the best threshold.
         * @return The precision.
         */
        public double precision() {
            return counts.precision();
        }

        /**
         * The recall at the best threshold.
         * @return The recall.
         */
        public double recall() {
            return counts.recall();
        }

        /**
         * The confusion counts at the best threshold.
         * @return The confusion counts.
         */
        public ConfusionCounts counts() {
            return counts;
        }

        /**
         * Always {@code true}: the threshold was chosen with the test labels, so this is an oracle figure
         * (docs/EVALUATION.md) and must be labelled so in every report.
         * @return {@code true}.
         */
        public boolean oracle() {
            return true;
        }

        @Override
        public String toString() {
            return "BestF1.Result(oracle, f1=" + f1() + ", threshold=" + threshold + ", precision=" + precision()
                    + ", recall=" + recall() + ", counts=" + counts + ")";
        }
    }

    /**
     * Finds the best point-wise F1 over all thresholds (oracle: uses the test labels).
     * @param scores The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @return The best F1 and a threshold attaining it (see the class documentation for the convention).
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}).
     */
    public static Result pointwise(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        double[][] split = MetricInputs.sortedByClass(scores, labels);
        return sweep(split[0], split[1]);
    }

    /**
     * Finds the best point-adjusted F1 (full-segment PA) over all thresholds (oracle: uses the test labels).
     * @param scores The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @return The best PA F1 and a threshold attaining it on the original scores (see the class documentation).
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}).
     */
    public static Result pointAdjusted(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        int positives = MetricInputs.countPositives(labels);
        double[] neg = new double[labels.length - positives];
        double[] pos = new double[positives];
        int n = scores.length;
        int a = 0;
        int b = 0;
        int i = 0;
        while (i < n) {
            if (labels[i] == 0) {
                neg[a++] = scores[i] + 0.0; // -0.0 + 0.0 == +0.0
                i++;
            } else {
                int start = i;
                double max = scores[i];
                while (i < n && labels[i] == 1) {
                    max = Math.max(max, scores[i]);
                    i++;
                }
                Arrays.fill(pos, b, b + (i - start), max + 0.0);
                b += i - start;
            }
        }
        Arrays.sort(neg);
        Arrays.sort(pos);
        return sweep(neg, pos);
    }

    /**
     * Sweeps the distinct values of two ascending arrays (negatives and positives) from the top.
     */
    /**
     * The best point-wise F1 from the scores of each class, each sorted ascending (as
     * {@link MetricInputs#sortedByClass} gives them): lets several metrics share one sort.
     */
    static Result sweep(double[] neg, double[] pos) {
        long positives = pos.length;
        long negatives = neg.length;
        int i = neg.length - 1;
        int j = pos.length - 1;
        // Start from "predict nothing": F1 = 0 at the maximum score.
        double bestThreshold = Math.max(i >= 0 ? neg[i] : Double.NEGATIVE_INFINITY,
                j >= 0 ? pos[j] : Double.NEGATIVE_INFINITY);
        double bestF1 = 0.0;
        long bestTp = 0;
        long bestFp = 0;
        long tp = 0;
        long fp = 0;
        while (i >= 0 || j >= 0) {
            double v = top(neg, i, pos, j);
            while (i >= 0 && neg[i] == v) {
                fp++;
                i--;
            }
            while (j >= 0 && pos[j] == v) {
                tp++;
                j--;
            }
            double f1 = ConfusionCounts.f1(tp, fp, positives - tp);
            if (f1 > bestF1) {
                bestF1 = f1;
                bestTp = tp;
                bestFp = fp;
                bestThreshold = (i >= 0 || j >= 0) ? top(neg, i, pos, j) : Double.NEGATIVE_INFINITY;
            }
        }
        return new Result(bestThreshold,
                new ConfusionCounts(bestTp, bestFp, positives - bestTp, negatives - bestFp));
    }

    /**
     * The largest value not yet consumed (at least one must remain).
     */
    private static double top(double[] neg, int i, double[] pos, int j) {
        if (i < 0) {
            return pos[j];
        } else if (j < 0) {
            return neg[i];
        } else {
            return Math.max(neg[i], pos[j]);
        }
    }
}
