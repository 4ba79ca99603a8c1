package io.github.tribuokd.evaluation;

/**
 * Point-adjust (PA) of Xu et al., WWW 2018 ("Unsupervised Anomaly Detection via Variational Auto-Encoder for
 * Seasonal KPIs in Web Applications"), as fixed in docs/EVALUATION.md ("Definitions").
 * <p>
 * For every true segment (a maximal run of consecutive {@code 1} labels, see {@link Segments}): if at least one
 * point of the segment is predicted positive, every point of the segment counts as predicted positive. Points
 * outside true segments are unchanged. Precision, recall and F1 are then computed point-wise on the adjusted
 * predictions (see {@link ConfusionCounts}).
 * <p>
 * PA F1 is high even for random scores (docs/EVALUATION.md, "Why the random baseline stands beside every PA figure"), so it must always be
 * reported beside point-wise F1, the PA%K area ({@link PaKF1}), ROC-AUC, PR-AUC and the random-score baseline.
 */
public final class PointAdjustment {

    /**
     * How segments are filled.
     */
    public enum Mode {
        /**
         * The definition of docs/EVALUATION.md and the default: a segment with at least one predicted point is filled
         * completely, from its first to its last point.
         */
        FULL_SEGMENT,
        /**
         * Compatibility mode reproducing the community implementation, OmniAnomaly
         * {@code eval_methods.py::adjust_predicts}, bug included. That function scans the points in order; at the
         * first predicted point {@code i} of a true segment it fills backwards with {@code for j in range(i, 0, -1)}
         * (stopping at the first normal label) and then fills forwards to the end of the segment. Because
         * {@code range(i, 0, -1)} stops at {@code j = 1}, <b>index 0 is never filled</b>: the result differs from
         * {@link #FULL_SEGMENT} exactly when the series starts with a true segment (label 1 at index 0), the
         * point at index 0 is not predicted, and a later point of that segment is; then index 0 stays
         * unpredicted (a false negative). Everywhere else the two modes agree. Use only to reproduce published
         * numbers; docs/EVALUATION.md defines PA as {@link #FULL_SEGMENT}.
         */
        COMMUNITY_INDEX0_BUG
    }

    /**
     * Private constructor for a static utility class.
     */
    private PointAdjustment() {}

    /**
     * Applies point-adjust to boolean predictions, in {@code O(n)}.
     * @param predicted The point-wise predictions, {@code true} for predicted anomalous (not modified).
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @param mode      How segments are filled ({@link Mode#FULL_SEGMENT} is the docs/EVALUATION.md definition).
     * @return A new array of adjusted predictions.
     * @throws IllegalArgumentException If an array is null or empty, the lengths differ, a label is not 0 or 1,
     *                                  or the mode is null.
     */
    public static boolean[] adjust(boolean[] predicted, int[] labels, Mode mode) {
        ConfusionCounts.checkPredictedAndLabels(predicted, labels);
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        boolean[] adjusted = predicted.clone();
        if (mode == Mode.FULL_SEGMENT) {
            int[] segments = Segments.flat(labels);
            for (int s = 0; s < segments.length; s += 2) {
                int start = segments[s];
                int end = segments[s + 1];
                boolean hit = false;
                for (int i = start; i < end && !hit; i++) {
                    hit = predicted[i];
                }
                if (hit) {
                    for (int i = start; i < end; i++) {
                        adjusted[i] = true;
                    }
                }
            }
        } else {
            // Faithful transcription of OmniAnomaly adjust_predicts (bug included, see Mode.COMMUNITY_INDEX0_BUG).
            boolean anomalyState = false;
            for (int i = 0; i < adjusted.length; i++) {
                boolean actual = labels[i] == 1;
                if (actual && adjusted[i] && !anomalyState) {
                    anomalyState = true;
                    for (int j = i; j > 0; j--) { // Python: for j in range(i, 0, -1): never reaches j = 0
                        if (labels[j] != 1) {
                            break;
                        }
                        adjusted[j] = true;
                    }
                } else if (!actual) {
                    anomalyState = false;
                }
                if (anomalyState) {
                    adjusted[i] = true;
                }
            }
        }
        return adjusted;
    }

    /**
     * Computes the point-adjusted confusion counts at a threshold with the docs/EVALUATION.md definition
     * ({@link Mode#FULL_SEGMENT}).
     * @param scores    The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @param threshold The threshold θ; a point is predicted anomalous when {@code score > θ} (strict).
     * @return The confusion counts after point-adjust; call {@link ConfusionCounts#f1()} for PA F1.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}) or the
     *                                  threshold is NaN.
     */
    public static ConfusionCounts at(double[] scores, int[] labels, double threshold) {
        return at(scores, labels, threshold, Mode.FULL_SEGMENT);
    }

    /**
     * Computes the point-adjusted confusion counts at a threshold with the given fill mode.
     * @param scores    The anomaly scores, finite, where a higher score means more anomalous.
     * @param labels    The labels, {@code 1} for anomalous and {@code 0} for normal, same length.
     * @param threshold The threshold θ; a point is predicted anomalous when {@code score > θ} (strict).
     * @param mode      How segments are filled ({@link Mode#FULL_SEGMENT} is the docs/EVALUATION.md definition).
     * @return The confusion counts after point-adjust; call {@link ConfusionCounts#f1()} for PA F1.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}), the
     *                                  threshold is NaN, or the mode is null.
     */
    public static ConfusionCounts at(double[] scores, int[] labels, double threshold, Mode mode) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        ConfusionCounts.checkThreshold(threshold);
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        if (mode == Mode.FULL_SEGMENT) {
            // Fused O(n) pass without allocating the prediction arrays.
            long tp = 0;
            long fn = 0;
            long fp = 0;
            long tn = 0;
            int n = scores.length;
            int i = 0;
            while (i < n) {
                if (labels[i] == 0) {
                    if (scores[i] > threshold) {
                        fp++;
                    } else {
                        tn++;
                    }
                    i++;
                } else {
                    int start = i;
                    boolean hit = false;
                    while (i < n && labels[i] == 1) {
                        hit |= scores[i] > threshold;
                        i++;
                    }
                    if (hit) {
                        tp += i - start;
                    } else {
                        fn += i - start;
                    }
                }
            }
            return new ConfusionCounts(tp, fp, fn, tn);
        }
        boolean[] predicted = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            predicted[i] = scores[i] > threshold;
        }
        return ConfusionCounts.of(adjust(predicted, labels, mode), labels);
    }
}
