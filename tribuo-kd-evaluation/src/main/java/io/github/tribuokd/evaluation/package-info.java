/**
 * Time-series anomaly evaluation for Tribuo: metrics, thresholds, an {@code Evaluator} and reports.
 * <p>
 * Every definition follows the project's metric contract ({@code docs/EVALUATION.md}), so that numbers are
 * comparable with the papers and with the reference implementations the community uses:
 * <ul>
 *     <li>Threshold-dependent: {@link io.github.tribuokd.evaluation.PointwiseF1},
 *     {@link io.github.tribuokd.evaluation.PointAdjustment} (full-segment fill; the community's index-0 bug only as
 *     a named compatibility mode), {@link io.github.tribuokd.evaluation.PaKF1} (PA%K and its area), all on
 *     {@link io.github.tribuokd.evaluation.ConfusionCounts} and {@link io.github.tribuokd.evaluation.Segments}.</li>
 *     <li>Threshold-free: {@link io.github.tribuokd.evaluation.RocAuc}, {@link io.github.tribuokd.evaluation.AveragePrecision},
 *     {@link io.github.tribuokd.evaluation.BestF1} (exact oracle best F1, point-wise and point-adjusted),
 *     {@link io.github.tribuokd.evaluation.Curves}; {@link io.github.tribuokd.evaluation.EarthMoversDistance} between
 *     score distributions.</li>
 *     <li>The metrics of TSB-AD (Liu &amp; Paparrizos, NeurIPS 2024), reproducing its reference code's conventions:
 *     {@link io.github.tribuokd.evaluation.VolumeUnderSurface} (VUS-ROC, VUS-PR; threshold-free, with a sliding
 *     window), {@link io.github.tribuokd.evaluation.RangeBasedF1}, {@link io.github.tribuokd.evaluation.EventBasedF1}
 *     and {@link io.github.tribuokd.evaluation.AffiliationMetrics} (at a threshold, and as the oracle
 *     {@link io.github.tribuokd.evaluation.BestOverThresholds}).</li>
 *     <li>Thresholds: {@link io.github.tribuokd.evaluation.QuantileThreshold},
 *     {@link io.github.tribuokd.evaluation.PotThreshold} (POT/SPOT, Siffer et al. 2017, with
 *     {@link io.github.tribuokd.evaluation.GeneralizedParetoFit}), {@link io.github.tribuokd.evaluation.MahalanobisCountRule}
 *     (seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)); each reports how it was fitted ({@link io.github.tribuokd.evaluation.ThresholdProvenance}).</li>
 *     <li>Seed 000's detector and protocol: {@link io.github.tribuokd.evaluation.MahalanobisCountRuleTrainer} (an LSTM
 *     autoencoder deciding by the Mahalanobis count rule, calibrated by
 *     {@link io.github.tribuokd.evaluation.CalibratedCountRule}), {@link io.github.tribuokd.evaluation.LabelledSplit}
 *     and {@link io.github.tribuokd.evaluation.CountRuleEvaluation} (rules N, V, D and G, with
 *     {@link io.github.tribuokd.evaluation.DriftNormaliser} and
 *     {@link io.github.tribuokd.evaluation.DriftCountRuleSearch}).</li>
 *     <li>Beside a teacher and its student: {@link io.github.tribuokd.evaluation.FidelityProbe} (fidelity without
 *     labels) and {@link io.github.tribuokd.evaluation.WindowBaselines} (detectors without deep learning).</li>
 *     <li>Everything at once, with the seeded {@link io.github.tribuokd.evaluation.RandomScoreBaseline} beside it:
 *     {@link io.github.tribuokd.evaluation.AnomalyMetrics}; for Tribuo models
 *     {@link io.github.tribuokd.evaluation.TimeSeriesAnomalyEvaluator} (with {@code EvaluationProvenance}); teacher vs
 *     student: {@link io.github.tribuokd.evaluation.DistillationEvaluation}. Reports as Markdown and JSON
 *     ({@link io.github.tribuokd.evaluation.Json}).</li>
 *     <li>Seed 001's and seed 002's protocols, which need these metrics and so live here rather than beside their
 *     models: {@link io.github.tribuokd.evaluation.OneClassImageExperiment} (Pol et al., "Knowledge Distillation for
 *     Anomaly Detection", arXiv 2023: one-class image teacher and students, ROC-AUC and EMD) and
 *     {@link io.github.tribuokd.evaluation.MSCREDSeriesExperiment} (Kim's LTA students of an MSCRED teacher, Zhang
 *     et al., AAAI 2019, on one series), with {@link io.github.tribuokd.evaluation.NaiveSeriesBaselines} beside the
 *     latter.</li>
 * </ul>
 * Conventions: a <b>higher score means more anomalous</b>; a point is predicted anomalous when its score is
 * strictly above the threshold; labels are 0/1 per time point, in time order. Metrics run in {@code O(n log n)}
 * (one sort); invalid input (empty, non-finite, labels other than 0/1, a single class where two are needed) raises
 * an {@link java.lang.IllegalArgumentException} that says what is wrong and where. This module depends on
 * tribuo-core, tribuo-anomaly-core, tribuo-kd-anomaly and tribuo-kd-timeseries (never the reverse).
 */
package io.github.tribuokd.evaluation;
