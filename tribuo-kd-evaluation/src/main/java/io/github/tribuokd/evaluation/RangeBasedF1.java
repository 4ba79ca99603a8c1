package io.github.tribuokd.evaluation;

/**
 * Range-based precision, recall and F1 (Tatbul, Lee, Zdonik, Alam and Gottschlich, "Precision and Recall for Time
 * Series", NeurIPS 2018), with TSB-AD's parameters ({@code basic_metricor.range_recall_new} and
 * {@code metric_RF1}, Liu &amp; Paparrizos, NeurIPS 2024 Datasets and Benchmarks; {@code TheDatumOrg/TSB-AD} commit
 * 8763009): existence weight {@code α = 0.2} for recall and {@code α = 0} for precision, flat positional bias, and
 * the cardinality factor {@code γ = 1 / (number of overlapping ranges)}.
 * <p>
 * <b>Definition</b> (NeurIPS 2018, eqs. 1&ndash;6). With the real ranges {@code R_1..R_{N_r}} (maximal runs of
 * anomalous labels) and the predicted ranges {@code P_1..P_{N_p}} (maximal runs of predictions):
 * <pre>
 *     Recall_T(R_i, P)  = α · 1[R_i ∩ P ≠ ∅] + (1 − α) · γ(R_i, P) · |R_i ∩ P| / |R_i|
 *     Recall_T          = Σ_i Recall_T(R_i, P) / N_r                               (α = 0.2)
 *     Precision_T       = Σ_j γ(P_j, R) · |P_j ∩ R| / |P_j| / N_p                   (α = 0, roles swapped)
 *     F1_T              = 2 · Precision_T · Recall_T / (Precision_T + Recall_T)     (0 when both are 0)
 * </pre>
 * where {@code γ(A, B) = 1 / #(ranges of B overlapping A)} (0 when none) and the flat bias makes the overlap term
 * the fraction of the range's points that are covered.
 * <p>
 * <b>TSB-AD's conventions</b>, kept for comparability: ranges are found from changes of the 0/1 vector, so a
 * vector of <b>only</b> 1s has no range at all: predicting every point gives {@code Precision_T = 0} and hence
 * {@code F1_T = 0}; no prediction gives {@code Precision_T = 0}. The oracle figure
 * ({@link #bestOverThresholds}) is TSB-AD's "R-based-F1": the best F1 over its 100 thresholds
 * ({@link BestOverThresholds}). Cost {@code O(n)} at a threshold, {@code O(100 · n)} for the oracle.
 */
public final class RangeBasedF1 {

    /** TSB-AD's existence weight α of range recall (precision uses α = 0). */
    public static final double ALPHA = 0.2;

    /** The metric name. */
    public static final String NAME = "range-based F1";

    private RangeBasedF1() {}

    /**
     * Range-based precision, recall and F1 at one threshold; immutable.
     */
    public static final class Result {
        private final double precision;
        private final double recall;
        private final double f1;

        private Result(double precision, double recall) {
            this.precision = precision;
            this.recall = recall;
            this.f1 = precision + recall == 0 ? 0.0 : 2 * recall * precision / (precision + recall);
        }

        /** @return Range-based precision (α = 0). */
        public double precision() {
            return precision;
        }

        /** @return Range-based recall (α = 0.2). */
        public double recall() {
            return recall;
        }

        /** @return Range-based F1. */
        public double f1() {
            return f1;
        }

        @Override
        public String toString() {
            return "RangeBasedF1.Result(precision=" + precision + ", recall=" + recall + ", f1=" + f1 + ")";
        }
    }

    /**
     * Range-based precision, recall and F1 of the predictions {@code score > threshold}.
     * @param scores    The anomaly scores in time order, finite.
     * @param labels    The 0/1 labels in time order.
     * @param threshold The threshold (not NaN).
     * @return The result.
     * @throws IllegalArgumentException If the input is invalid.
     */
    public static Result at(double[] scores, int[] labels, double threshold) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        TsbAdConventions.checkThreshold(threshold);
        return new LabelSide(labels).score(Predictions.of(scores, threshold));
    }

    /**
     * Range-based precision, recall and F1 of 0/1 predictions.
     * @param predictions The 0/1 predictions in time order.
     * @param labels      The 0/1 labels in time order, same length.
     * @return The result.
     * @throws IllegalArgumentException If either vector is invalid or the lengths differ.
     */
    public static Result of(int[] predictions, int[] labels) {
        checkPredictions(predictions, labels);
        return new LabelSide(labels).score(Predictions.of(predictions));
    }

    /**
     * The oracle best range-based F1 over TSB-AD's 100 thresholds (its "R-based-F1" without given predictions).
     * @param scores The anomaly scores in time order, finite.
     * @param labels The 0/1 labels in time order.
     * @return The best F1 and its threshold, labelled oracle.
     * @throws IllegalArgumentException If the input is invalid.
     */
    public static BestOverThresholds bestOverThresholds(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        LabelSide real = new LabelSide(labels);
        double[] thresholds = TsbAdConventions.oracleThresholds(scores);
        double[] values = new double[thresholds.length];
        Predictions.Builder builder = new Predictions.Builder(scores, thresholds);
        for (int k = 0; k < thresholds.length; k++) {
            values[k] = real.score(builder.build(k)).f1();
        }
        return TsbAdConventions.pythonMax(NAME, thresholds, values);
    }

    /** Checks 0/1 predictions against labels. */
    static void checkPredictions(int[] predictions, int[] labels) {
        Segments.checkLabels(labels);
        if (predictions == null) {
            throw new IllegalArgumentException("predictions must not be null");
        }
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] != 0 && predictions[i] != 1) {
                throw new IllegalArgumentException("predictions must be 0 or 1, found predictions[" + i + "] = "
                        + predictions[i]);
            }
        }
        if (predictions.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("predictions and labels must have the same non-zero length, found "
                    + "predictions.length = " + predictions.length + ", labels.length = " + labels.length);
        }
    }

    /** The label side, computed once for many prediction vectors. */
    static final class LabelSide {
        private final Predictions labels;
        private final int[] ranges;

        LabelSide(int[] labels) {
            this.labels = Predictions.of(labels);
            this.ranges = this.labels.tsbAdRanges();
        }

        Result score(Predictions predictions) {
            int[] predRanges = predictions.tsbAdRanges();
            double recall = rangeRecall(ranges, predictions, predRanges, ALPHA);
            double precision = rangeRecall(predRanges, labels, ranges, 0.0);
            return new Result(precision, recall);
        }
    }

    /**
     * TSB-AD's {@code range_recall_new(real, pred, α)}: the mean over the real ranges of
     * {@code α · existence + (1 − α) · γ · coverage}, 0 when there is no real range.
     * @param real       The real ranges, flat {@code {start, endExclusive, ...}}.
     * @param predPoints The predicted points (for coverage and existence).
     * @param pred       The predicted ranges, flat (for the cardinality factor).
     * @param alpha      The existence weight.
     */
    static double rangeRecall(int[] real, Predictions predPoints, int[] pred, double alpha) {
        int nr = real.length / 2;
        if (nr == 0) {
            return 0.0;
        }
        int existence = 0;
        double overlap = 0.0;
        int j = 0; // first predicted range ending after the current real range's start
        for (int i = 0; i < nr; i++) {
            int s = real[2 * i];
            int end = real[2 * i + 1];
            int covered = predPoints.count(s, end);
            if (covered > 0) {
                existence++;
            }
            while (j < pred.length / 2 && pred[2 * j + 1] <= s) {
                j++;
            }
            int overlapping = 0;
            for (int q = j; q < pred.length / 2 && pred[2 * q] < end; q++) {
                overlapping++;
            }
            double cardinality = overlapping == 0 ? 0.0 : 1.0 / overlapping;
            overlap += ((double) covered / (end - s)) * cardinality;
        }
        double score = alpha * existence + (1 - alpha) * overlap;
        return score / nr;
    }
}
