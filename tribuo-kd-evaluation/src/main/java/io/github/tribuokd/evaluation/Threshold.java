package io.github.tribuokd.evaluation;

/**
 * A fitted decision threshold on anomaly scores.
 * <p>
 * Conventions (docs/EVALUATION.md, "Conventions"): a <b>higher score means more anomalous</b>, and a point is flagged as
 * anomalous when its score is <b>strictly greater</b> than the threshold, {@code score > value()}.
 * <p>
 * Implementations are immutable once fitted and record how they were fitted in a {@link ThresholdProvenance}:
 * <ul>
 *     <li>{@link QuantileThreshold} &mdash; the q-quantile of calibration scores of held-out normal data;</li>
 *     <li>{@link PotThreshold} &mdash; the peaks-over-threshold (POT) extreme-value threshold of Siffer, Fouque,
 *     Termier and Largou&euml;t, "Anomaly Detection in Streams with Extreme Value Theory", KDD 2017;</li>
 *     <li>{@link MahalanobisCountRule} &mdash; the Mahalanobis score threshold {@code τ} of seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md),
 *     eq. 1, with its window count rule.</li>
 * </ul>
 */
public interface Threshold {

    /**
     * The fitted threshold value {@code θ}; a score is anomalous when {@code score > θ}.
     * @return The threshold value.
     */
    double value();

    /**
     * Whether a score is anomalous under this threshold, that is {@code score > value()} (strict, docs/EVALUATION.md).
     * A {@code NaN} score compares false and is therefore never anomalous.
     * @param score The anomaly score, where a higher score means more anomalous.
     * @return True when {@code score > value()}.
     */
    default boolean isAnomalous(double score) {
        return score > value();
    }

    /**
     * Describes how this threshold was fitted: the rule's class, its settings and its fitted values.
     * @return The provenance of this threshold.
     */
    ThresholdProvenance provenance();
}
