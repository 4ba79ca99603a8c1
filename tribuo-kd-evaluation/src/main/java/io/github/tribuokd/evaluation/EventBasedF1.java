package io.github.tribuokd.evaluation;

/**
 * Event-based F1: event-wise recall with point-wise precision, TSB-AD's "Event-based-F1"
 * ({@code basic_metricor.metric_EventF1PA}, Liu &amp; Paparrizos, NeurIPS 2024 Datasets and Benchmarks;
 * {@code TheDatumOrg/TSB-AD} commit 8763009), the composite F-score of Garg et al., "An Evaluation of Anomaly
 * Detection and Diagnosis in Multivariate Time Series", IEEE TNNLS 2021 (their composite F-score).
 * <p>
 * <b>Definition.</b> A true event (a maximal run of anomalous labels) is detected when at least one of its points is
 * predicted. With {@code E} events of which {@code TP_e} are detected, and point-wise precision
 * {@code Prec_t = TP / (TP + FP)} (0 when nothing is predicted):
 * <pre>
 *     Rec_e = TP_e / E,     F1_event = 2 · Rec_e · Prec_t / (Rec_e + Prec_t + 1e-15)
 * </pre>
 * <b>TSB-AD's conventions</b>, kept for comparability: the {@code 1e-15} in the denominator, and its
 * {@code _get_events} ends an event that runs to the last point of the series <b>one point early</b> (at
 * {@code n − 2}): such an event is detected only by a prediction before the last point, and a one-point event at
 * the last index is never detected. The oracle figure ({@link #bestOverThresholds}) is the best F1 over TSB-AD's
 * 100 thresholds ({@link BestOverThresholds}). Cost {@code O(n)} at a threshold, {@code O(100 · n)} for the oracle.
 */
public final class EventBasedF1 {

    /** The metric name. */
    public static final String NAME = "event-based F1";

    private EventBasedF1() {}

    /**
     * Event-wise recall, point-wise precision and their F1; immutable.
     */
    public static final class Result {
        private final double precision;
        private final double recall;
        private final double f1;

        private Result(double precision, double recall) {
            this.precision = precision;
            this.recall = recall;
            this.f1 = 2 * recall * precision / (recall + precision + TsbAdConventions.EPS);
        }

        /** @return Point-wise precision (0 when nothing is predicted). */
        public double precision() {
            return precision;
        }

        /** @return Event-wise recall: the fraction of true events with at least one predicted point. */
        public double recall() {
            return recall;
        }

        /** @return The event-based F1. */
        public double f1() {
            return f1;
        }

        @Override
        public String toString() {
            return "EventBasedF1.Result(precision=" + precision + ", recall=" + recall + ", f1=" + f1 + ")";
        }
    }

    /**
     * The event-based F1 of the predictions {@code score > threshold}.
     * @param scores    The anomaly scores in time order, finite.
     * @param labels    The 0/1 labels in time order, with at least one anomalous point.
     * @param threshold The threshold (not NaN).
     * @return The result.
     * @throws IllegalArgumentException If the input is invalid or there is no anomalous point.
     */
    public static Result at(double[] scores, int[] labels, double threshold) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        TsbAdConventions.checkThreshold(threshold);
        TsbAdConventions.requirePositive(labels, NAME);
        return new LabelSide(labels).score(Predictions.of(scores, threshold));
    }

    /**
     * The event-based F1 of 0/1 predictions.
     * @param predictions The 0/1 predictions in time order.
     * @param labels      The 0/1 labels in time order, same length, with at least one anomalous point.
     * @return The result.
     * @throws IllegalArgumentException If the input is invalid or there is no anomalous point.
     */
    public static Result of(int[] predictions, int[] labels) {
        RangeBasedF1.checkPredictions(predictions, labels);
        TsbAdConventions.requirePositive(labels, NAME);
        return new LabelSide(labels).score(Predictions.of(predictions));
    }

    /**
     * The oracle best event-based F1 over TSB-AD's 100 thresholds.
     * @param scores The anomaly scores in time order, finite.
     * @param labels The 0/1 labels in time order, with at least one anomalous point.
     * @return The best F1 and its threshold, labelled oracle.
     * @throws IllegalArgumentException If the input is invalid or there is no anomalous point.
     */
    public static BestOverThresholds bestOverThresholds(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        TsbAdConventions.requirePositive(labels, NAME);
        LabelSide truth = new LabelSide(labels);
        double[] thresholds = TsbAdConventions.oracleThresholds(scores);
        double[] values = new double[thresholds.length];
        Predictions.Builder builder = new Predictions.Builder(scores, thresholds);
        for (int k = 0; k < thresholds.length; k++) {
            values[k] = truth.score(builder.build(k)).f1();
        }
        return TsbAdConventions.pythonMax(NAME, thresholds, values);
    }

    /**
     * TSB-AD's {@code _get_events}: flat {@code {start, endInclusive, ...}}, where an event reaching the last
     * point ends at {@code n − 2}.
     */
    static int[] events(int[] labels) {
        int[] events = Segments.flat(labels);
        for (int g = 0; g < events.length / 2; g++) {
            int endExclusive = events[2 * g + 1];
            events[2 * g + 1] = endExclusive == labels.length ? labels.length - 2 : endExclusive - 1;
        }
        return events;
    }

    /** The label side (segments and TSB-AD's events), computed once for many prediction vectors. */
    static final class LabelSide {
        private final int[] segments;
        private final int[] events;

        LabelSide(int[] labels) {
            this.segments = Segments.flat(labels);
            this.events = events(labels);
        }

        Result score(Predictions predictions) {
            int numEvents = events.length / 2;
            int detected = 0;
            for (int g = 0; g < numEvents; g++) {
                int start = events[2 * g];
                int end = events[2 * g + 1];
                if (end >= start && predictions.count(start, end + 1) > 0) {
                    detected++;
                }
            }
            long tp = 0;
            for (int g = 0; g < segments.length / 2; g++) {
                tp += predictions.count(segments[2 * g], segments[2 * g + 1]);
            }
            long predicted = predictions.total();
            double precision = predicted == 0 ? 0.0 : (double) tp / predicted;
            return new Result(precision, (double) detected / numEvents);
        }
    }
}
