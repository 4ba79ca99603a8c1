package io.github.tribuokd.evaluation;

/**
 * An immutable binary confusion matrix: true positives, false positives, false negatives and true negatives,
 * with the precision, recall and F1 of docs/EVALUATION.md ("Definitions", "Conventions").
 * <p>
 * Definitions, with no epsilon terms (OmniAnomaly adds {@code 1e-5} to the denominators and TranAD can return
 * NaN; this class does neither):
 * <ul>
 *     <li>{@code P = TP / (TP + FP)}, and {@code P = 0} when nothing is predicted positive
 *     ({@code TP + FP = 0});</li>
 *     <li>{@code R = TP / (TP + FN)}, and {@code R = 0} when there is no positive label ({@code TP + FN = 0};
 *     this library fixes this {@code 0/0} to zero so that F1 is defined, see docs/EVALUATION.md, "Conventions");</li>
 *     <li>{@code F1 = 2PR / (P + R)}, and {@code F1 = 0} when {@code P + R = 0}.</li>
 * </ul>
 * Every metric of this package that reports an F1 computes it through this class, so equal counts always give
 * bit-identical F1 values.
 */
public final class ConfusionCounts {

    private final long tp;
    private final long fp;
    private final long fn;
    private final long tn;

    /**
     * Creates a confusion matrix from its four counts.
     * @param tp The number of true positives (label 1, predicted positive).
     * @param fp The number of false positives (label 0, predicted positive).
     * @param fn The number of false negatives (label 1, predicted negative).
     * @param tn The number of true negatives (label 0, predicted negative).
     * @throws IllegalArgumentException If a count is negative.
     */
    public ConfusionCounts(long tp, long fp, long fn, long tn) {
        if (tp < 0 || fp < 0 || fn < 0 || tn < 0) {
            throw new IllegalArgumentException("confusion counts must be non-negative, found tp = " + tp
                    + ", fp = " + fp + ", fn = " + fn + ", tn = " + tn);
        }
        this.tp = tp;
        this.fp = fp;
        this.fn = fn;
        this.tn = tn;
    }

    /**
     * Counts the confusion matrix of boolean predictions against 0/1 labels.
     * @param predicted The predictions, {@code true} for predicted anomalous.
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @return The confusion counts.
     * @throws IllegalArgumentException If either array is null or empty, the lengths differ, or a label is not
     *                                  0 or 1 (the message gives the index and value).
     */
    public static ConfusionCounts of(boolean[] predicted, int[] labels) {
        checkPredictedAndLabels(predicted, labels);
        long tp = 0;
        long fp = 0;
        long positives = 0;
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            positives += label;
            if (predicted[i]) {
                if (label == 1) {
                    tp++;
                } else {
                    fp++;
                }
            }
        }
        long negatives = labels.length - positives;
        return new ConfusionCounts(tp, fp, positives - tp, negatives - fp);
    }

    /**
     * The number of true positives.
     * @return TP.
     */
    public long tp() {
        return tp;
    }

    /**
     * The number of false positives.
     * @return FP.
     */
    public long fp() {
        return fp;
    }

    /**
     * The number of false negatives.
     * @return FN.
     */
    public long fn() {
        return fn;
    }

    /**
     * The number of true negatives.
     * @return TN.
     */
    public long tn() {
        return tn;
    }

    /**
     * The total number of points, {@code TP + FP + FN + TN}.
     * @return The total count.
     */
    public long total() {
        return tp + fp + fn + tn;
    }

    /**
     * The precision {@code TP / (TP + FP)}, or 0 when nothing is predicted positive (docs/EVALUATION.md, "Conventions").
     * @return The precision in {@code [0, 1]}.
     */
    public double precision() {
        return precision(tp, fp);
    }

    /**
     * The recall {@code TP / (TP + FN)}, or 0 when there is no positive label.
     * @return The recall in {@code [0, 1]}.
     */
    public double recall() {
        return recall(tp, fn);
    }

    /**
     * The counts of two sets of decisions pooled (TP, FP, FN and TN summed), as the seed-000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) protocol pools the
     * machines of a table (seed {@code 000_*}, Table 1).
     * @param other The other counts.
     * @return The sums.
     */
    public ConfusionCounts plus(ConfusionCounts other) {
        return new ConfusionCounts(tp + other.tp, fp + other.fp, fn + other.fn, tn + other.tn);
    }

    /**
     * The F1 score {@code 2PR / (P + R)}, or 0 when {@code P + R = 0} (docs/EVALUATION.md; no epsilon terms).
     * @return The F1 score in {@code [0, 1]}.
     */
    public double f1() {
        return f1(tp, fp, fn);
    }

    /**
     * Precision from counts; see {@link #precision()}.
     */
    static double precision(long tp, long fp) {
        long predictedPositive = tp + fp;
        return predictedPositive == 0 ? 0.0 : (double) tp / predictedPositive;
    }

    /**
     * Recall from counts; see {@link #recall()}.
     */
    static double recall(long tp, long fn) {
        long positives = tp + fn;
        return positives == 0 ? 0.0 : (double) tp / positives;
    }

    /**
     * F1 from counts; see {@link #f1()}. The single place where this package computes an F1 value.
     */
    static double f1(long tp, long fp, long fn) {
        double p = precision(tp, fp);
        double r = recall(tp, fn);
        double sum = p + r;
        return sum == 0.0 ? 0.0 : 2.0 * p * r / sum;
    }

    /**
     * Checks boolean predictions against 0/1 labels.
     * @throws IllegalArgumentException If either array is null or empty, the lengths differ, or a label is not
     *                                  0 or 1.
     */
    static void checkPredictedAndLabels(boolean[] predicted, int[] labels) {
        if (predicted == null) {
            throw new IllegalArgumentException("predicted must not be null");
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        if (predicted.length == 0 || labels.length == 0) {
            throw new IllegalArgumentException("predicted and labels must not be empty, found predicted.length = "
                    + predicted.length + ", labels.length = " + labels.length);
        }
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("predicted and labels must have the same length, found "
                    + "predicted.length = " + predicted.length + ", labels.length = " + labels.length);
        }
        Segments.checkLabels(labels);
    }

    /**
     * Checks that a threshold is not NaN (infinite thresholds are allowed: {@code -Infinity} predicts every
     * point positive and {@code +Infinity} none).
     * @throws IllegalArgumentException If the threshold is NaN.
     */
    static void checkThreshold(double threshold) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must not be NaN");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConfusionCounts)) {
            return false;
        }
        ConfusionCounts that = (ConfusionCounts) o;
        return tp == that.tp && fp == that.fp && fn == that.fn && tn == that.tn;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(tp);
        h = 31 * h + Long.hashCode(fp);
        h = 31 * h + Long.hashCode(fn);
        h = 31 * h + Long.hashCode(tn);
        return h;
    }

    @Override
    public String toString() {
        return "ConfusionCounts(tp=" + tp + ", fp=" + fp + ", fn=" + fn + ", tn=" + tn
                + ", precision=" + precision() + ", recall=" + recall() + ", f1=" + f1() + ")";
    }
}
