package io.github.tribuokd.evaluation;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Input validation shared by the metrics of this package.
 * <p>
 * The conventions are those of {@code docs/EVALUATION.md} ("Conventions"): scores are finite doubles where a higher score means
 * more anomalous, and labels are {@code 0} (normal) or {@code 1} (anomalous). Every check throws an
 * {@link IllegalArgumentException} whose message names the offending fact (lengths, index and value, or
 * class counts), so that a caller never gets a silent default value for invalid input. An index is the 0-based
 * position in the arrays, i.e. the row of the data in time order; callers that know which model, file or data set
 * the arrays come from add it with {@link #describing(String, Supplier)}.
 */
public final class MetricInputs {

    /**
     * Private constructor for a static utility class.
     */
    private MetricInputs() {}

    /**
     * Checks that the scores and labels form a valid input for a binary anomaly metric.
     * <p>
     * The arrays must be non-null, non-empty and of the same length; every score must be finite (neither NaN
     * nor infinite) and every label must be {@code 0} or {@code 1}.
     * @param scores The anomaly scores (higher means more anomalous).
     * @param labels The ground-truth labels, {@code 1} for anomalous and {@code 0} for normal.
     * @throws IllegalArgumentException If either array is null or empty, if the lengths differ (the message
     *                                  gives both lengths), if a score is NaN or infinite (the message gives
     *                                  its index and value), or if a label is not 0 or 1 (the message gives
     *                                  its index and value).
     */
    public static void checkScoresAndLabels(double[] scores, int[] labels) {
        if (scores == null) {
            throw new IllegalArgumentException("scores must not be null");
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        if (scores.length == 0 || labels.length == 0) {
            throw new IllegalArgumentException("scores and labels must not be empty, found scores.length = "
                    + scores.length + ", labels.length = " + labels.length);
        }
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels must have the same length, found scores.length = "
                    + scores.length + ", labels.length = " + labels.length);
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("scores must be finite, found scores[" + i + "] = " + scores[i]);
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels must be 0 or 1, found labels[" + i + "] = " + labels[i]);
            }
        }
    }

    /**
     * Runs a metric computation and names its inputs in any error: an {@link IllegalArgumentException} from the
     * computation is rethrown as one whose message starts with {@code inputs} (e.g. {@code "scores of model 'm'
     * on file data.csv"}), with the original as its cause. The checks of this class know arrays only; this is how
     * the evaluators and commands add the model, the file and the data set, so that "scores[17] = NaN" or "only
     * one class" says of what.
     *
     * @param inputs      What the scores and labels are, in words.
     * @param computation The computation.
     * @param <T>         The result type.
     * @return The result of the computation.
     * @throws IllegalArgumentException If the computation throws one; the message is prefixed with {@code inputs}.
     */
    public static <T> T describing(String inputs, Supplier<T> computation) {
        try {
            return computation.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(inputs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that both classes are present in the labels.
     * <p>
     * Metrics such as ROC-AUC are undefined when only one class is present (docs/EVALUATION.md, "Conventions": never return 0.5
     * silently"); this check turns that case into a clear exception.
     * @param labels     The labels, assumed already validated to be 0 or 1 (see
     *                   {@link #checkScoresAndLabels(double[], int[])}).
     * @param metricName The metric's name, used in the exception message.
     * @throws IllegalArgumentException If the labels are null, or if they contain no positive ({@code 1}) or
     *                                  no negative ({@code 0}) label; the message gives both counts.
     */
    public static void requireBothClasses(int[] labels, String metricName) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        long positives = countPositives(labels);
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException(metricName + " is undefined when only one class is present: found "
                    + positives + " positive (label 1) and " + negatives + " negative (label 0) examples");
        }
    }

    /**
     * Counts the labels equal to {@code 1}.
     * @param labels The labels.
     * @return The number of positive labels.
     */
    static int countPositives(int[] labels) {
        int positives = 0;
        for (int label : labels) {
            if (label == 1) {
                positives++;
            }
        }
        return positives;
    }

    /**
     * Splits the scores by label into two ascending sorted arrays.
     * <p>
     * Negative zero is mapped to positive zero so that the two zeros form a single tie group, as they do in
     * NumPy comparisons.
     * @param scores The validated scores.
     * @param labels The validated labels.
     * @return A two-element array: the sorted scores of the negatives (label 0), then of the positives (label 1).
     */
    static double[][] sortedByClass(double[] scores, int[] labels) {
        int positives = countPositives(labels);
        double[] neg = new double[labels.length - positives];
        double[] pos = new double[positives];
        int n = 0;
        int p = 0;
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i] + 0.0; // -0.0 + 0.0 == +0.0
            if (labels[i] == 1) {
                pos[p++] = s;
            } else {
                neg[n++] = s;
            }
        }
        Arrays.sort(neg);
        Arrays.sort(pos);
        return new double[][]{neg, pos};
    }
}
