/**
 * Knowledge-distillation anomaly detectors for Tribuo: teacher autoencoders, students, distillation trainers.
 * <p>
 * Conventions: a higher score means more anomalous; every score documents its scale; a model predicts
 * {@code ANOMALOUS} when its score is strictly above its threshold. Teachers are {@code Trainer<Event>}s
 * ({@link io.github.tribuokd.anomaly.DenseAutoencoderTrainer}); students that regress a score are any
 * {@code Trainer<Regressor>} ({@link io.github.tribuokd.anomaly.MLPRegressionTrainer} or Tribuo's own);
 * {@link io.github.tribuokd.anomaly.ScoreDistillationTrainer} implements the score-regression distillation of
 * Pol et al. (seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)). Models serialize with protobuf and, where their student allows, export to ONNX.
 * <p>
 * Seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)'s decision rule lives here so that a deployed model can decide: {@link
 * io.github.tribuokd.anomaly.MahalanobisDistance} (eq. 1, the one implementation of the Mahalanobis score) and
 * {@link io.github.tribuokd.anomaly.MahalanobisWindowRule} (τ and the count c), which an
 * {@link io.github.tribuokd.anomaly.LSTMAutoencoderModel} carries, serializes and exports to ONNX. The count of
 * scores above a threshold, on which seed 000's and seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s count rules decide, is
 * {@link io.github.tribuokd.anomaly.Counts}.
 * <p>
 * Student–teacher discrepancy detectors (seed 004's multiresolution knowledge distillation: Salehi et al.,
 * "Multiresolution Knowledge Distillation for Anomaly Detection", CVPR 2021): a
 * {@link io.github.tribuokd.anomaly.FeatureTeacher} (the dense {@link io.github.tribuokd.anomaly.AutoencoderModel}'s
 * encoder layers) is distilled by {@link io.github.tribuokd.anomaly.FeatureDistillationTrainer} into a student that
 * matches its features at several layers; {@link io.github.tribuokd.anomaly.FeatureDistillationModel} scores a row by
 * the student's total loss {@code L_total = L_val + λ·L_dir} on it.
 */
package io.github.tribuokd.anomaly;
