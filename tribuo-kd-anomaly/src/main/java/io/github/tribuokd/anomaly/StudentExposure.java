package io.github.tribuokd.anomaly;

/**
 * What a score-regression student sees besides the teacher's normal training data (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)). The
 * extra inputs go to the student's training set only; the teacher never trains on them, and the student's target
 * for each of them is the current teacher's (log) score.
 */
public enum StudentExposure {
    /** The normal training data only (§2.1, §2.2). */
    NONE,
    /**
     * Outlier exposure (§2.3): images of another, unrelated dataset (e.g. Fashion-MNIST for an MNIST teacher) are
     * blended into the student's training set.
     */
    OUTLIERS,
    /** Denoising as outlier exposure (§2.4): noisy copies {@code x + ε·N(0,1)} of the normal images. */
    NOISE
}
