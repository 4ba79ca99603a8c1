package io.github.tribuokd.anomaly;

import java.util.SplittableRandom;

/**
 * The random source of a trainer after a given number of training invocations: a
 * {@code SplittableRandom(seed)} split once per earlier invocation, Tribuo's convention for reproducible
 * {@code setInvocationCount}.
 */
public final class SeededInvocations {

    private SeededInvocations() { }

    /**
     * The random source after {@code invocations} training runs.
     * @param seed The trainer's seed.
     * @param invocations The number of earlier invocations (non-negative).
     * @return {@code SplittableRandom(seed)} split {@code invocations} times.
     */
    public static SplittableRandom after(long seed, int invocations) {
        if (invocations < 0) {
            throw new IllegalArgumentException("The invocation count must be non-negative, found " + invocations);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < invocations; i++) {
            rng.split();
        }
        return rng;
    }
}
