package io.github.tribuokd.anomaly;

/**
 * How a teacher's anomaly score becomes a student's regression target, and back.
 * <p>
 * Pol et al. (seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.1) "apply log transformation to teacher loss to facilitate student learning": scores
 * of normal data peak near zero with a long tail, and the log makes the targets roughly normal.
 */
public enum ScoreTransform {
    /**
     * Target {@code y = ln(S + ε)}; back to the teacher's scale with {@code S = exp(y) − ε}, saturating at
     * {@code Double.MAX_VALUE} (a student far outside its training range can predict a log score beyond 709, whose
     * exponential overflows; the ranking of scores is kept).
     */
    LOG,
    /** Target {@code y = S}. */
    RAW;

    /**
     * Teacher score to student target.
     * @param score The teacher's score.
     * @param epsilon ε of {@link #LOG}.
     * @return The target.
     */
    public double toTarget(double score, double epsilon) {
        return this == LOG ? Math.log(score + epsilon) : score;
    }

    /**
     * Student output to the teacher's scale.
     * @param target The student's output.
     * @param epsilon ε of {@link #LOG}.
     * @return The score in the teacher's scale.
     */
    public double toScore(double target, double epsilon) {
        if (this == LOG) {
            double s = Math.exp(target) - epsilon;
            return s == Double.POSITIVE_INFINITY ? Double.MAX_VALUE : s;
        }
        return target;
    }
}
