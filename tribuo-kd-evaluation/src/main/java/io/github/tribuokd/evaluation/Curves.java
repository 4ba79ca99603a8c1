package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * ROC and precision-recall curves: one point per distinct score, taken as the threshold in decreasing order
 * (a point is predicted positive when its score is at least that distinct value, i.e. strictly above the next
 * lower one). They are the curves whose areas {@link RocAuc} (trapezoid, ties ½) and {@link AveragePrecision}
 * (step sum) measure; scikit-learn's {@code roc_curve} (without dropping intermediate points) and
 * {@code precision_recall_curve} give the same points.
 */
public final class Curves {

    private Curves() { }

    /** A curve: x and y coordinates, and the threshold of each point (NaN for an added end point). */
    public static final class Curve {
        private final double[] x;
        private final double[] y;
        private final double[] thresholds;

        Curve(double[] x, double[] y, double[] thresholds) {
            this.x = x;
            this.y = y;
            this.thresholds = thresholds;
        }

        /**
         * The x coordinates (FPR for ROC, recall for PR).
         * @return A copy.
         */
        public double[] x() {
            return x.clone();
        }

        /**
         * The y coordinates (TPR for ROC, precision for PR).
         * @return A copy.
         */
        public double[] y() {
            return y.clone();
        }

        /**
         * The score at which each point is reached (NaN for the added end point).
         * @return A copy.
         */
        public double[] thresholds() {
            return thresholds.clone();
        }

        /**
         * The number of points.
         * @return The size.
         */
        public int size() {
            return x.length;
        }
    }

    /**
     * The ROC curve, starting at (0, 0) and ending at (1, 1).
     * @param scores Scores (higher = more anomalous).
     * @param labels 0/1 labels.
     * @return (FPR, TPR) points.
     */
    public static Curve roc(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        MetricInputs.requireBothClasses(labels, "The ROC curve");
        long[][] counts = cumulative(scores, labels);
        long[] tp = counts[0], fp = counts[1];
        double[] distinct = distinctDescending(scores, labels);
        int m = tp.length;
        long p = tp[m - 1], n = fp[m - 1];
        double[] x = new double[m + 1], y = new double[m + 1], t = new double[m + 1];
        t[0] = Double.NaN;
        for (int i = 0; i < m; i++) {
            x[i + 1] = (double) fp[i] / n;
            y[i + 1] = (double) tp[i] / p;
            t[i + 1] = distinct[i];
        }
        return new Curve(x, y, t);
    }

    /**
     * The precision-recall curve in order of increasing recall, ending with the added point (recall 0,
     * precision 1) as scikit-learn does; precision and recall at each distinct threshold.
     * @param scores Scores (higher = more anomalous).
     * @param labels 0/1 labels with at least one positive.
     * @return (recall, precision) points.
     */
    public static Curve precisionRecall(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        if (Arrays.stream(labels).sum() == 0) {
            throw new IllegalArgumentException("The precision-recall curve needs at least one positive label");
        }
        long[][] counts = cumulative(scores, labels);
        long[] tp = counts[0], fp = counts[1];
        double[] distinct = distinctDescending(scores, labels);
        int m = tp.length;
        long p = tp[m - 1];
        double[] x = new double[m + 1], y = new double[m + 1], t = new double[m + 1];
        for (int i = 0; i < m; i++) {
            // index m-1-i: increasing recall as the threshold decreases
            int j = m - 1 - i;
            x[i] = (double) tp[j] / p;
            y[i] = (double) tp[j] / (tp[j] + fp[j]);
            t[i] = distinct[j];
        }
        x[m] = 0.0;
        y[m] = 1.0;
        t[m] = Double.NaN;
        return new Curve(x, y, t);
    }

    /** Cumulative TP and FP counts at each distinct score, scores in decreasing order. */
    private static long[][] cumulative(double[] scores, int[] labels) {
        int n = scores.length;
        int[] order = ArraySorting.argsort(scores);
        long[] tp = new long[n], fp = new long[n];
        int m = 0;
        long t = 0, f = 0;
        for (int k = n - 1; k >= 0; k--) {
            int i = order[k];
            if (labels[i] == 1) {
                t++;
            } else {
                f++;
            }
            if (k == 0 || scores[order[k - 1]] != scores[i]) {
                tp[m] = t;
                fp[m] = f;
                m++;
            }
        }
        return new long[][]{Arrays.copyOf(tp, m), Arrays.copyOf(fp, m)};
    }

    private static double[] distinctDescending(double[] scores, int[] labels) {
        double[] s = scores.clone();
        Arrays.sort(s);
        double[] out = new double[s.length];
        int m = 0;
        for (int k = s.length - 1; k >= 0; k--) {
            if (k == 0 || s[k - 1] != s[k]) {
                out[m++] = s[k];
            }
        }
        return Arrays.copyOf(out, m);
    }
}
