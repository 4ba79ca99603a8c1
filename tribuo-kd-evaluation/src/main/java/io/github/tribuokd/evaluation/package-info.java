/**
 * Evaluation metrics for anomaly detectors and for knowledge-distillation reports.
 * <p>
 * Every metric in this package follows the definitions fixed in {@code docs/METRICS.md} (the project's
 * metric contract), so that numbers are comparable with the reference implementations the community uses:
 * <ul>
 *     <li>{@link io.github.tribuokd.evaluation.RocAuc} &mdash; ROC-AUC as the Mann&ndash;Whitney statistic with
 *     ties counted one half, numerically identical to scikit-learn {@code roc_auc_score}.</li>
 *     <li>{@link io.github.tribuokd.evaluation.AveragePrecision} &mdash; PR-AUC as a step sum over the distinct
 *     thresholds, numerically identical to scikit-learn {@code average_precision_score}.</li>
 *     <li>{@link io.github.tribuokd.evaluation.EarthMoversDistance} &mdash; Wasserstein-1 distance between two
 *     1-D empirical distributions, numerically identical to SciPy {@code scipy.stats.wasserstein_distance}.</li>
 *     <li>{@link io.github.tribuokd.evaluation.RandomScoreBaseline} &mdash; the seeded uniform random-score
 *     baseline that every evaluation reports beside the model.</li>
 *     <li>{@link io.github.tribuokd.evaluation.MetricInputs} &mdash; the shared input validation.</li>
 * </ul>
 * Conventions (METRICS.md): a <b>higher score means more anomalous</b>; labels are {@code 0} (normal) or
 * {@code 1} (anomalous) per time point or per example. All metrics run in {@code O(n log n)} time (one sort),
 * and invalid input (empty arrays, non-finite scores, labels other than 0/1, undefined metrics) raises an
 * {@link java.lang.IllegalArgumentException} with a message that says what is wrong and where, rather than
 * returning a silent default.
 */
package io.github.tribuokd.evaluation;
