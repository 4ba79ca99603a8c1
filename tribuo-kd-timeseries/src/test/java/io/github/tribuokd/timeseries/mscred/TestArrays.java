package io.github.tribuokd.timeseries.mscred;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random test buffers and the finite-difference tolerance shared by the MSCRED network part tests. */
final class TestArrays {

    private TestArrays() {
    }

    /** {@code n} values uniform in {@code [-scale, scale)}. */
    static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** A central finite difference against the analytic gradient: 2% relative plus 2e-3 absolute. */
    static void assertClose(double numeric, double analytic, String what) {
        double tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3;
        assertTrue(Math.abs(numeric - analytic) <= tol,
                what + ": finite difference " + numeric + " vs backward " + analytic);
    }
}
