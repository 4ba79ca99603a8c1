package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * PA%K, the point-adjust variant of Kim et al., AAAI 2022 ("Towards a Rigorous Evaluation of Time-series
 * Anomaly Detection"), as fixed in docs/EVALUATION.md ("Definitions", PA%K).
 * <p>
 * A true segment of length {@code n} (see {@link Segments}) is filled, i.e. all its points count as predicted
 * positive, only if the number of its points predicted positive ({@code score > θ}) is <b>strictly greater</b>
 * than {@code K/100 · n}; otherwise its points keep their point-wise predictions. Points outside true segments
 * are unchanged. {@code K = 0} is point-adjust ({@link PointAdjustment}, full-segment mode) and {@code K = 100}
 * is no adjustment ({@link PointwiseF1}). The comparison is done exactly in integer arithmetic,
 * {@code 100 · predicted > K · n}.
 * <p>
 * The report figure is F1 for {@code K = 0, 10, ..., 100} and the area under F1(K) with {@code K/100} on
 * {@code [0, 1]} by the trapezoid rule ({@link #at(double[], int[], double)}).
 * <p>
 * Cost: one {@code O(n)} pass counts the predicted points of every segment and the point-wise counts outside
 * segments; each K then costs {@code O(#segments)}.
 */
public final class PaKF1 {

    /**
     * The K values of the standard report: 0, 10, ..., 100.
     */
    private static final int[] STANDARD_KS = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

    /**
     * Private constructor for a static utility class.
     */
    private PaKF1() {}

    /**
     * The PA%K F1 over the standard K values and the area under it; immutable (accessors return copies).
     */
    public static final class Result {
        private final int[] ks;
        private final double[] f1;
        private final double area;

        private Result(int[] ks, double[] f1, double area) {
            this.ks = ks;
            this.f1 = f1;
            this.area = area;
        }

        /**
         * The K values, {@code {0, 10, ..., 100}}.
         * @return A copy of the K values.
         */
        public int[] ks() {
            return ks.clone();
        }

        /**
         * The PA%K F1 at each K of {@link #ks()}, in the same order.
         * @return A copy of the F1 values.
         */
        public double[] f1() {
            return f1.clone();
        }

        /**
         * The area under F1(K) with {@code K/100} on {@code [0, 1]}, by the trapezoid rule (docs/EVALUATION.md).
         * @return The area in {@code [0, 1]}.
         */
        public double area() {
            return area;
        }

        @Override
        public String toString() {
            return "PaKF1.Result(ks=" + Arrays.toString(ks) + ", f1=" + Arrays.toString(f1) + ", area=" + area + ")";
        }
    }

    /**
     * Computes the PA%K F1 at one threshold and one K.
     * @param scores    The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @param threshold The threshold θ; a point is predicted anomalous when {@code score > θ} (strict).
     * @param k         The percentage K, in {@code [0, 100]}.
     * @return The PA%K F1.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}), the
     *                                  threshold is NaN, or K is outside {@code [0, 100]}.
     */
    public static double f1(double[] scores, int[] labels, double threshold, int k) {
        return counts(scores, labels, threshold, k).f1();
    }

    /**
     * Computes the PA%K confusion counts at one threshold and one K.
     * @param scores    The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @param threshold The threshold θ; a point is predicted anomalous when {@code score > θ} (strict).
     * @param k         The percentage K, in {@code [0, 100]}.
     * @return The confusion counts after PA%K adjustment.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}), the
     *                                  threshold is NaN, or K is outside {@code [0, 100]}.
     */
    public static ConfusionCounts counts(double[] scores, int[] labels, double threshold, int k) {
        checkK(k);
        return new Tally(scores, labels, threshold).counts(k);
    }

    /**
     * Computes the PA%K F1 for {@code K = 0, 10, ..., 100} and the trapezoid area under F1(K).
     * @param scores    The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @param threshold The threshold θ; a point is predicted anomalous when {@code score > θ} (strict).
     * @return The F1 per K and the area.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}) or the
     *                                  threshold is NaN.
     */
    public static Result at(double[] scores, int[] labels, double threshold) {
        Tally tally = new Tally(scores, labels, threshold);
        int[] ks = STANDARD_KS.clone();
        double[] f1 = new double[ks.length];
        for (int j = 0; j < ks.length; j++) {
            f1[j] = tally.counts(ks[j]).f1();
        }
        double area = 0.0;
        for (int j = 1; j < ks.length; j++) {
            area += (ks[j] - ks[j - 1]) / 100.0 * (f1[j] + f1[j - 1]) / 2.0;
        }
        return new Result(ks, f1, area);
    }

    private static void checkK(int k) {
        if (k < 0 || k > 100) {
            throw new IllegalArgumentException("K must be in [0, 100], found K = " + k);
        }
    }

    /**
     * The per-segment predicted counts and the counts outside segments, gathered in one pass.
     */
    private static final class Tally {
        private final long fp;
        private final long tn;
        private final int[] lengths;
        private final int[] hits;

        Tally(double[] scores, int[] labels, double threshold) {
            MetricInputs.checkScoresAndLabels(scores, labels);
            ConfusionCounts.checkThreshold(threshold);
            int[] segments = Segments.flat(labels);
            int count = segments.length / 2;
            lengths = new int[count];
            hits = new int[count];
            long negativesPredicted = 0;
            long negatives = 0;
            int s = 0;
            int i = 0;
            int n = scores.length;
            while (i < n) {
                if (labels[i] == 0) {
                    negatives++;
                    if (scores[i] > threshold) {
                        negativesPredicted++;
                    }
                    i++;
                } else {
                    int start = i;
                    int hit = 0;
                    while (i < n && labels[i] == 1) {
                        if (scores[i] > threshold) {
                            hit++;
                        }
                        i++;
                    }
                    lengths[s] = i - start;
                    hits[s] = hit;
                    s++;
                }
            }
            fp = negativesPredicted;
            tn = negatives - negativesPredicted;
        }

        ConfusionCounts counts(int k) {
            long tp = 0;
            long positives = 0;
            for (int s = 0; s < lengths.length; s++) {
                long length = lengths[s];
                positives += length;
                if (100L * hits[s] > (long) k * length) {
                    tp += length;
                } else {
                    tp += hits[s];
                }
            }
            return new ConfusionCounts(tp, fp, positives - tp, tn);
        }
    }
}
