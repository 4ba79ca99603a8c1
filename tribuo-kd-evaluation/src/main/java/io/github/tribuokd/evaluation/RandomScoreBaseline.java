package io.github.tribuokd.evaluation;

import java.util.SplittableRandom;

/**
 * The random-score baseline of docs/EVALUATION.md ("Definitions").
 * <p>
 * Every evaluation reports, beside the model, the same metrics computed on uniform random scores drawn with a
 * fixed seed, because point-adjusted metrics reward random scores (docs/EVALUATION.md, "Why the random baseline stands beside every PA figure").
 * A metric on which the model does not clearly beat this baseline says nothing about the model.
 */
public final class RandomScoreBaseline {

    /**
     * Private constructor for a static utility class.
     */
    private RandomScoreBaseline() {}

    /**
     * Draws {@code n} independent scores uniformly from {@code [0, 1)}, using
     * {@link SplittableRandom#nextDouble()} of a {@code new SplittableRandom(seed)}; the same {@code n} and
     * seed always give the same scores.
     * @param n    The number of scores, non-negative.
     * @param seed The seed of the random number generator.
     * @return The random scores, in draw order.
     * @throws IllegalArgumentException If {@code n} is negative.
     */
    public static double[] uniformScores(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, found n = " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = rng.nextDouble();
        }
        return scores;
    }
}
