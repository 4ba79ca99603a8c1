package io.github.tribuokd.anomaly.exposure;

import java.util.SplittableRandom;

/**
 * Standard normal numbers from a {@link SplittableRandom} by the polar Box–Muller method (Marsaglia), the second
 * number of each pair kept for the next call: deterministic for a given source.
 */
final class Gaussian {

    private final SplittableRandom rng;
    private double spare;
    private boolean hasSpare;

    Gaussian(SplittableRandom rng) {
        this.rng = rng;
    }

    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u, v, s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }
}
