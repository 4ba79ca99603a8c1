package io.github.tribuokd.evaluation;

import java.util.SplittableRandom;

/**
 * Seeded random label and score series for the property tests: random segment structures and tied scores.
 */
final class RandomSeries {

    private RandomSeries() {}

    /**
     * Labels with a random segment structure: alternating runs of 0s and 1s with random lengths, sometimes
     * starting with a segment, sometimes all zero or all one.
     */
    static int[] labels(SplittableRandom rng, int n) {
        int[] labels = new int[n];
        int style = rng.nextInt(10);
        if (style == 0) {
            return labels; // all zero
        }
        if (style == 1) {
            java.util.Arrays.fill(labels, 1);
            return labels;
        }
        int i = 0;
        int value = rng.nextInt(2);
        while (i < n) {
            int run = 1 + rng.nextInt(value == 1 ? 8 : 12);
            for (int k = 0; k < run && i < n; k++) {
                labels[i++] = value;
            }
            value = 1 - value;
        }
        return labels;
    }

    /**
     * Scores with many ties (a few distinct levels), or continuous scores, with a bump inside segments.
     */
    static double[] scores(SplittableRandom rng, int[] labels) {
        double[] scores = new double[labels.length];
        int levels = rng.nextBoolean() ? 1 + rng.nextInt(6) : 0;
        double bump = rng.nextDouble();
        for (int i = 0; i < labels.length; i++) {
            double s = levels == 0 ? rng.nextDouble() : rng.nextInt(levels) / (double) levels;
            scores[i] = s + (labels[i] == 1 && rng.nextBoolean() ? bump : 0.0);
            if (rng.nextInt(20) == 0) {
                scores[i] = -scores[i]; // negative scores too
            }
        }
        return scores;
    }

    /**
     * Every distinct score plus -Infinity and +Infinity: a superset of the thresholds giving distinct
     * prediction sets.
     */
    static double[] candidateThresholds(double[] scores) {
        double[] candidates = new double[scores.length + 2];
        System.arraycopy(scores, 0, candidates, 0, scores.length);
        candidates[scores.length] = Double.NEGATIVE_INFINITY;
        candidates[scores.length + 1] = Double.POSITIVE_INFINITY;
        return candidates;
    }
}
