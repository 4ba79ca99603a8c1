package io.github.tribuokd.anomaly;

/**
 * What an unsupervised trainer does with training examples labelled ANOMALOUS. Teachers learn what normal looks
 * like (seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md): "an unlabelled dataset ... free from outliers"), so anomalous examples must not be fitted.
 */
public enum AnomalousLabelPolicy {
    /** Refuse the dataset with an error naming the first anomalous example (the default). */
    REJECT,
    /** Drop the anomalous examples and log how many were dropped. */
    DROP
}
