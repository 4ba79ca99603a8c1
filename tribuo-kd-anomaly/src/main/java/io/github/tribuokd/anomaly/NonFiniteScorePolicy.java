package io.github.tribuokd.anomaly;

/**
 * What a detector of this library does with an input it cannot score as a number: an input value that is NaN,
 * infinite or beyond the float32 range the models compute in, or a score that comes out NaN or infinite (an
 * overflow inside the model). Such an input is never reported as normal: {@code score > threshold} is false for
 * NaN, so letting a NaN score through would silently make it EXPECTED.
 * <p>
 * The policy is a scoring setting of one model instance ({@code withNonFiniteScorePolicy} returns a copy); it is
 * not written to model files, so a loaded model starts with {@link #REFUSE}.
 */
public enum NonFiniteScorePolicy {
    /**
     * Refuse with an {@link IllegalArgumentException} (a bad input value) or an {@link IllegalStateException} (a
     * score that is not finite) naming the example, row or window, and the feature or the score (the default).
     */
    REFUSE,
    /**
     * Flag the example, row or window ANOMALOUS: its score is {@link Double#POSITIVE_INFINITY}, which is above any
     * threshold and ranks first. For a stream of sensor readings where a broken sensor must raise an alarm rather
     * than stop the scoring.
     */
    ANOMALOUS
}
