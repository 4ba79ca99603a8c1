package io.github.tribuokd.timeseries;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared helpers of the signature-matrix tests: random series and a relative comparison.
 */
final class SignatureMatrixTestSupport {

    private SignatureMatrixTestSupport() {
    }

    /**
     * Random row-major values: variable v is {@code 2 + (1 + v % 3) · N(0, 1)}, so the matrices have a
     * non-zero mean part and entries of different sizes.
     */
    static float[] randomValues(int numSteps, int numVariables, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] values = new float[numSteps * numVariables];
        for (int t = 0; t < numSteps; t++) {
            for (int v = 0; v < numVariables; v++) {
                values[t * numVariables + v] = (float) (2.0 + (1 + v % 3) * gaussian(rng));
            }
        }
        return values;
    }

    static MultivariateSeries randomSeries(int numSteps, int numVariables, long seed) {
        return new MultivariateSeries("random-" + seed, numSteps, numVariables,
                randomValues(numSteps, numVariables, seed));
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17.
        double u = 1.0 - rng.nextDouble();
        double w = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * w);
    }

    /**
     * Asserts that {@code actual[actualOffset + e]} equals {@code expected[expectedOffset + e]} to
     * {@code relative} for {@code e} in {@code [0, size)}: {@code |a - e| <= relative · max(|e|, floor)},
     * where the floor is 1e-6 of the largest |entry| of the expected block (so that entries that are
     * nearly zero through cancellation are compared at the scale of the matrix, not of their own size).
     *
     * @return The largest relative error found.
     */
    static double assertClose(float[] expected, int expectedOffset, float[] actual, int actualOffset, int size,
                              double relative, String where) {
        double maxAbs = 0;
        for (int e = 0; e < size; e++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected[expectedOffset + e]));
        }
        double floor = 1e-6 * maxAbs;
        double worst = 0;
        for (int e = 0; e < size; e++) {
            double x = expected[expectedOffset + e];
            double a = actual[actualOffset + e];
            double error = Math.abs(a - x) / Math.max(Math.abs(x), Math.max(floor, Double.MIN_NORMAL));
            if (!(error <= relative)) {
                fail(where + ": element " + e + " is " + a + ", expected " + x + " (relative error " + error
                        + " > " + relative + ")");
            }
            worst = Math.max(worst, error);
        }
        return worst;
    }
}
