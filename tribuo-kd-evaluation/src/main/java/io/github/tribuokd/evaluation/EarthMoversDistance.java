package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * Earth Mover's Distance (Wasserstein-1) between two 1-D empirical distributions.
 * <p>
 * Definition (docs/EVALUATION.md, "Definitions", EMD): for samples {@code u} and {@code v} with
 * optional non-negative weights (normalised to sum to one),
 * <pre>
 *     W1(u, v) = &int; |F_u(x) &minus; F_v(x)| dx
 * </pre>
 * where {@code F_u}, {@code F_v} are the right-continuous empirical CDFs. The integral is evaluated exactly over
 * the merged sorted values: between consecutive distinct values x<sub>k</sub> &lt; x<sub>k+1</sub> both CDFs are constant,
 * so W1 = &Sigma;<sub>k</sub> |F_u(x<sub>k</sub>) &minus; F_v(x<sub>k</sub>)| &middot; (x<sub>k+1</sub> &minus; x<sub>k</sub>). This is numerically identical
 * to SciPy {@code scipy.stats.wasserstein_distance(u, v, uWeights, vWeights)}. The samples may have different
 * sizes; the distance is symmetric, zero for identical samples and, for two unweighted samples of equal size,
 * equals the mean of |sorted(u)<sub>i</sub> &minus; sorted(v)<sub>i</sub>|.
 * <p>
 * In distillation reports (seed {@code 001_*} (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)) EMD compares the teacher's and the student's score
 * distributions, separately on the inliers and on the outliers of the test set.
 * <p>
 * The implementation sorts each sample once ({@code O(n log n)}) and sweeps the merged values.
 */
public final class EarthMoversDistance {

    /**
     * Private constructor for a static utility class.
     */
    private EarthMoversDistance() {}

    /**
     * Computes the Wasserstein-1 distance between two unweighted samples (every value has weight one).
     * Equivalent to SciPy {@code wasserstein_distance(u, v)}.
     * @param u The first sample, non-empty and finite.
     * @param v The second sample, non-empty and finite; its size may differ from {@code u}'s.
     * @return The Wasserstein-1 distance, non-negative.
     * @throws IllegalArgumentException If a sample is null or empty, or a value is NaN or infinite (the
     *                                  message names the argument and index).
     */
    public static double between(double[] u, double[] v) {
        checkValues(u, "u");
        checkValues(v, "v");
        double[] us = sortedCopy(u);
        double[] vs = sortedCopy(v);
        return sweep(us, null, us.length, vs, null, vs.length);
    }

    /**
     * Computes the Wasserstein-1 distance between two weighted samples; each sample's weights are normalised to
     * sum to one. Equivalent to SciPy {@code wasserstein_distance(u, v, uWeights, vWeights)}.
     * @param u        The first sample, non-empty and finite.
     * @param uWeights The weights of {@code u}: same length, finite, non-negative, not all zero.
     * @param v        The second sample, non-empty and finite; its size may differ from {@code u}'s.
     * @param vWeights The weights of {@code v}: same length, finite, non-negative, not all zero.
     * @return The Wasserstein-1 distance, non-negative.
     * @throws IllegalArgumentException If a sample or weight array is null or empty, a weight array's length
     *                                  differs from its sample's, a value or weight is NaN or infinite, a
     *                                  weight is negative (the message names the argument and index), or the
     *                                  weights of a sample are all zero or sum to infinity.
     */
    public static double between(double[] u, double[] uWeights, double[] v, double[] vWeights) {
        checkValues(u, "u");
        checkWeights(uWeights, "uWeights", u.length, "u");
        checkValues(v, "v");
        checkWeights(vWeights, "vWeights", v.length, "v");

        int[] uOrder = ArraySorting.argsort(u);
        double[] us = new double[u.length];
        double[] uw = new double[u.length];
        double uTotal = permuteAndTotal(u, uWeights, uOrder, us, uw);
        checkTotal(uTotal, "uWeights");

        int[] vOrder = ArraySorting.argsort(v);
        double[] vs = new double[v.length];
        double[] vw = new double[v.length];
        double vTotal = permuteAndTotal(v, vWeights, vOrder, vs, vw);
        checkTotal(vTotal, "vWeights");

        return sweep(us, uw, uTotal, vs, vw, vTotal);
    }

    /**
     * Integrates {@code |F_a - F_b|} over the merged sorted values.
     * @param a      The first sample, sorted ascending.
     * @param aw     The weights of {@code a} in the same order, or null for unit weights.
     * @param aTotal The total weight of {@code a}.
     * @param b      The second sample, sorted ascending.
     * @param bw     The weights of {@code b} in the same order, or null for unit weights.
     * @param bTotal The total weight of {@code b}.
     * @return The Wasserstein-1 distance.
     */
    private static double sweep(double[] a, double[] aw, double aTotal, double[] b, double[] bw, double bTotal) {
        double distance = 0.0;
        double aCum = 0.0;
        double bCum = 0.0;
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            double x = nextValue(a, i, b, j);
            while (i < a.length && a[i] == x) {
                aCum += aw == null ? 1.0 : aw[i];
                i++;
            }
            while (j < b.length && b[j] == x) {
                bCum += bw == null ? 1.0 : bw[j];
                j++;
            }
            if (i < a.length || j < b.length) {
                double next = nextValue(a, i, b, j);
                distance += Math.abs(aCum / aTotal - bCum / bTotal) * (next - x);
            }
        }
        return distance;
    }

    /**
     * The smallest value not yet consumed in either sorted sample (at least one must remain).
     */
    private static double nextValue(double[] a, int i, double[] b, int j) {
        if (i >= a.length) {
            return b[j];
        } else if (j >= b.length) {
            return a[i];
        } else {
            return Math.min(a[i], b[j]);
        }
    }

    /**
     * Copies the values in the given order, along with their weights, and returns the total weight summed in
     * sorted order. Negative zero is mapped to positive zero.
     */
    private static double permuteAndTotal(double[] values, double[] weights, int[] order,
                                          double[] sortedValues, double[] sortedWeights) {
        double total = 0.0;
        for (int k = 0; k < order.length; k++) {
            sortedValues[k] = values[order[k]] + 0.0;
            sortedWeights[k] = weights[order[k]];
            total += sortedWeights[k];
        }
        return total;
    }

    /**
     * Returns a sorted copy of the values with negative zero mapped to positive zero.
     */
    private static double[] sortedCopy(double[] values) {
        double[] copy = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            copy[k] = values[k] + 0.0;
        }
        Arrays.sort(copy);
        return copy;
    }

    /**
     * Checks that a sample is non-null, non-empty and finite.
     */
    private static void checkValues(double[] values, String name) {
        if (values == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw new IllegalArgumentException(name + " must be finite, found " + name + "[" + k + "] = "
                        + values[k]);
            }
        }
    }

    /**
     * Checks that a weight array is non-null, matches its sample's length, and is finite and non-negative.
     */
    private static void checkWeights(double[] weights, String name, int expectedLength, String sampleName) {
        if (weights == null) {
            throw new IllegalArgumentException(name + " must not be null (use between(" + sampleName
                    + ", v) for unweighted samples)");
        }
        if (weights.length != expectedLength) {
            throw new IllegalArgumentException(name + " must have the same length as " + sampleName + ", found "
                    + name + ".length = " + weights.length + ", " + sampleName + ".length = " + expectedLength);
        }
        for (int k = 0; k < weights.length; k++) {
            if (!Double.isFinite(weights[k])) {
                throw new IllegalArgumentException(name + " must be finite, found " + name + "[" + k + "] = "
                        + weights[k]);
            }
            if (weights[k] < 0) {
                throw new IllegalArgumentException(name + " must be non-negative, found " + name + "[" + k + "] = "
                        + weights[k]);
            }
        }
    }

    /**
     * Checks that a sample's total weight is positive and finite.
     */
    private static void checkTotal(double total, String name) {
        if (total <= 0) {
            throw new IllegalArgumentException(name + " must not be all zero (the weights are normalised by their sum)");
        }
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException(name + " sum to infinity; rescale the weights");
        }
    }
}
