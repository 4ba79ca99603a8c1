package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class EarthMoversDistanceTest {

    private static final double TOL = 1e-12;

    @Test
    public void goldenValues() {
        assertEquals(5.0, EarthMoversDistance.between(new double[]{0, 1, 3}, new double[]{5, 6, 8}), TOL);
        assertEquals(0.25, EarthMoversDistance.between(new double[]{0, 1}, new double[]{3, 1},
                new double[]{0, 1}, new double[]{2, 2}), TOL);
        assertEquals(4.078133143804786, EarthMoversDistance.between(
                new double[]{3.4, 3.9, 7.5, 7.8}, new double[]{1.4, 0.9, 3.1, 7.2},
                new double[]{4.5, 1.4}, new double[]{3.2, 3.5}), TOL);
        assertEquals(1.0 / 3.0, EarthMoversDistance.between(new double[]{1, 1, 2}, new double[]{1, 2, 2}), TOL);
        assertEquals(2.5, EarthMoversDistance.between(new double[]{0, 0, 0, 10}, new double[]{0, 10}), TOL);
    }

    @Test
    public void singlePoints() {
        assertEquals(3.5, EarthMoversDistance.between(new double[]{-1}, new double[]{2.5}), TOL);
        assertEquals(0.0, EarthMoversDistance.between(new double[]{-0.0}, new double[]{0.0}), TOL);
    }

    @Test
    public void symmetricAndZeroOnIdenticalSamples() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 30; trial++) {
            double[] u = randomSample(rng, 1 + rng.nextInt(200), trial % 2 == 0);
            double[] v = randomSample(rng, 1 + rng.nextInt(200), trial % 3 == 0);
            double[] uw = randomWeights(rng, u.length);
            double[] vw = randomWeights(rng, v.length);
            assertEquals(EarthMoversDistance.between(u, v), EarthMoversDistance.between(v, u), TOL);
            assertEquals(EarthMoversDistance.between(u, uw, v, vw), EarthMoversDistance.between(v, vw, u, uw), TOL);
            assertEquals(0.0, EarthMoversDistance.between(u, u.clone()), TOL);
            assertEquals(0.0, EarthMoversDistance.between(u, uw, u.clone(), uw.clone()), TOL);
            // Shuffled copy is the same distribution.
            assertEquals(0.0, EarthMoversDistance.between(u, shuffled(rng, u)), TOL);
            assertTrue(EarthMoversDistance.between(u, v) >= 0);
        }
    }

    @Test
    public void equalSizeUnweightedIsMeanAbsoluteDifferenceOfSortedSamples() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rng.nextInt(300);
            double[] u = randomSample(rng, n, trial % 2 == 0);
            double[] v = randomSample(rng, n, trial % 3 == 0);
            double[] us = u.clone();
            double[] vs = v.clone();
            Arrays.sort(us);
            Arrays.sort(vs);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.abs(us[i] - vs[i]);
            }
            assertEquals(sum / n, EarthMoversDistance.between(u, v), 1e-10);
        }
    }

    @Test
    public void weightsBehaveAsMultiplicities() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int trial = 0; trial < 20; trial++) {
            double[] u = randomSample(rng, 1 + rng.nextInt(50), true);
            double[] v = randomSample(rng, 1 + rng.nextInt(50), false);
            double[] uw = new double[u.length];
            double[] vw = new double[v.length];
            double[] unitU = new double[u.length];
            double[] unitV = new double[v.length];
            Arrays.fill(unitU, 1.0);
            Arrays.fill(unitV, 2.5); // any constant: weights are normalised
            int totalU = 0;
            for (int i = 0; i < u.length; i++) {
                uw[i] = 1 + rng.nextInt(4);
                totalU += (int) uw[i];
            }
            int totalV = 0;
            for (int i = 0; i < v.length; i++) {
                vw[i] = rng.nextInt(4); // zeros allowed
                totalV += (int) vw[i];
            }
            vw[0] += 1;
            totalV += 1;
            double[] uRep = replicate(u, uw, totalU);
            double[] vRep = replicate(v, vw, totalV);
            assertEquals(EarthMoversDistance.between(uRep, vRep), EarthMoversDistance.between(u, uw, v, vw), 1e-10);
            assertEquals(EarthMoversDistance.between(u, v), EarthMoversDistance.between(u, unitU, v, unitV), 1e-10);
        }
    }

    @Test
    public void badSamplesThrowNamingArgumentAndIndex() {
        assertMessage(() -> EarthMoversDistance.between(null, new double[]{1}), "u", "null");
        assertMessage(() -> EarthMoversDistance.between(new double[]{1}, null), "v", "null");
        assertMessage(() -> EarthMoversDistance.between(new double[0], new double[]{1}), "u", "empty");
        assertMessage(() -> EarthMoversDistance.between(new double[]{1}, new double[0]), "v", "empty");
        assertMessage(() -> EarthMoversDistance.between(new double[]{1, Double.NaN}, new double[]{1}), "u[1]", "NaN");
        assertMessage(() -> EarthMoversDistance.between(new double[]{1}, new double[]{0, 2, Double.POSITIVE_INFINITY}),
                "v[2]", "Infinity");
        assertMessage(() -> EarthMoversDistance.between(new double[]{1}, new double[]{1},
                new double[]{Double.NEGATIVE_INFINITY}, new double[]{1}), "v[0]", "-Infinity");
    }

    @Test
    public void badWeightsThrowNamingArgumentAndIndex() {
        double[] two = {0, 1};
        double[] ones = {1, 1};
        assertMessage(() -> EarthMoversDistance.between(two, null, two, ones), "uWeights", "null");
        assertMessage(() -> EarthMoversDistance.between(two, ones, two, null), "vWeights", "null");
        assertMessage(() -> EarthMoversDistance.between(two, new double[]{1}, two, ones),
                "uWeights.length = 1", "u.length = 2");
        assertMessage(() -> EarthMoversDistance.between(two, ones, two, new double[]{1, 1, 1}),
                "vWeights.length = 3", "v.length = 2");
        assertMessage(() -> EarthMoversDistance.between(two, new double[]{1, -0.5}, two, ones),
                "uWeights[1]", "-0.5", "non-negative");
        assertMessage(() -> EarthMoversDistance.between(two, ones, two, new double[]{Double.NaN, 1}),
                "vWeights[0]", "NaN");
        assertMessage(() -> EarthMoversDistance.between(two, ones, two, new double[]{1, Double.POSITIVE_INFINITY}),
                "vWeights[1]", "Infinity");
        assertMessage(() -> EarthMoversDistance.between(two, new double[]{0, 0}, two, ones), "uWeights", "zero");
        assertMessage(() -> EarthMoversDistance.between(two, ones, two, new double[]{0, -0.0}), "vWeights", "zero");
        assertMessage(() -> EarthMoversDistance.between(two, new double[]{Double.MAX_VALUE, Double.MAX_VALUE}, two, ones),
                "uWeights", "infinity");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... facts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fact : facts) {
            assertTrue(e.getMessage().contains(fact), () -> "message '" + e.getMessage() + "' lacks '" + fact + "'");
        }
    }

    private static double[] randomSample(SplittableRandom rng, int n, boolean ties) {
        double[] sample = new double[n];
        double shift = rng.nextDouble() * 4 - 2;
        for (int i = 0; i < n; i++) {
            sample[i] = ties ? rng.nextInt(8) * 0.5 + shift : rng.nextGaussian() * 3 + shift;
        }
        return sample;
    }

    private static double[] randomWeights(SplittableRandom rng, int n) {
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = rng.nextDouble() * 5;
        }
        weights[0] += 0.1;
        return weights;
    }

    private static double[] shuffled(SplittableRandom rng, double[] values) {
        double[] copy = values.clone();
        for (int i = copy.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return copy;
    }

    private static double[] replicate(double[] values, double[] counts, int total) {
        double[] out = new double[total];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            for (int c = 0; c < (int) counts[i]; c++) {
                out[k++] = values[i];
            }
        }
        return out;
    }
}
