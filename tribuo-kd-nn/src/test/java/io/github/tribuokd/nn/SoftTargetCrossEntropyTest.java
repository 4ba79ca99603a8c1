package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SoftTargetCrossEntropyTest {

    private static final int ROWS = 5;
    private static final int K = 4;

    private static float[] randomLogits(SplittableRandom rng, int n, double spread) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) ((rng.nextDouble() * 2 - 1) * spread);
        }
        return z;
    }

    /** The loss written out from its definition, in double, one term at a time. */
    private static double reference(float[] zs, int[] y, float[] zt, double alpha, double t, double lambda) {
        double total = 0;
        for (int r = 0; r < y.length; r++) {
            double[] p = new double[K], q = new double[K], s = new double[K];
            double zp = 0, zq = 0, zsum = 0;
            for (int j = 0; j < K; j++) {
                p[j] = Math.exp(zs[r * K + j]);
                q[j] = Math.exp(zs[r * K + j] / t);
                s[j] = Math.exp(zt[r * K + j] / t);
                zp += p[j];
                zq += q[j];
                zsum += s[j];
            }
            double hard = -Math.log(p[y[r]] / zp);
            double soft = 0, imitation = 0;
            for (int j = 0; j < K; j++) {
                soft -= s[j] / zsum * Math.log(q[j] / zq);
                imitation -= s[j] / zsum * Math.log(p[j] / zp);
            }
            total += (1 - alpha - lambda) * hard + alpha * t * t * soft + lambda * imitation;
        }
        return total;
    }

    @Test
    void valueMatchesDefinition() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] zs = randomLogits(rng, ROWS * K, 3);
        float[] zt = randomLogits(rng, ROWS * K, 5);
        int[] y = {0, 3, 2, 1, 3};
        for (double[] c : new double[][]{{0, 1, 0}, {0.7, 3, 0}, {0.3, 0.5, 0.4}, {1, 2, 0}, {0, 2, 1}}) {
            SoftTargetCrossEntropy loss = new SoftTargetCrossEntropy(c[0], c[1], c[2]);
            double got = loss.lossAndGradient(zs, y, zt, null, ROWS, K, ROWS);
            assertEquals(reference(zs, y, zt, c[0], c[1], c[2]), got, 1e-9, java.util.Arrays.toString(c));
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        int[] y = {1, 0, 3, 2, 2};
        for (double[] c : new double[][]{{0, 1, 0}, {0.9, 4, 0}, {0.5, 2, 0.25}, {0, 3, 0.6}}) {
            SoftTargetCrossEntropy loss = new SoftTargetCrossEntropy(c[0], c[1], c[2]);
            float[] zs = randomLogits(rng, ROWS * K, 3);
            float[] zt = randomLogits(rng, ROWS * K, 4);
            float[] g = new float[ROWS * K];
            int normaliser = 8; // as for a shard of a larger batch
            loss.lossAndGradient(zs, y, zt, g, ROWS, K, normaliser);
            for (int i = 0; i < zs.length; i++) {
                float keep = zs[i];
                zs[i] = keep + 1e-3f;
                double hi = zs[i];
                double up = loss.lossAndGradient(zs, y, zt, null, ROWS, K, normaliser);
                zs[i] = keep - 1e-3f;
                double lo = zs[i];
                double down = loss.lossAndGradient(zs, y, zt, null, ROWS, K, normaliser);
                zs[i] = keep;
                double numeric = (up - down) / (hi - lo) / normaliser;
                assertEquals(numeric, g[i], 1e-4 * Math.abs(numeric) + 2e-5,
                        "logit " + i + " for " + java.util.Arrays.toString(c));
            }
        }
    }

    @Test
    void probabilityZeroTeacherAndHardOnlyNeedNoTeacher() {
        float[] zs = {1f, 2f, 0.5f};
        float[] zt = {0f, Float.NEGATIVE_INFINITY, 1f}; // ln p with p_1 = 0
        int[] y = {2};
        SoftTargetCrossEntropy loss = new SoftTargetCrossEntropy(0.5, 2, 0);
        float[] g = new float[3];
        double l = loss.lossAndGradient(zs, y, zt, g, 1, 3, 1);
        assertEquals(true, Double.isFinite(l));
        for (float v : g) {
            assertEquals(true, Float.isFinite(v));
        }
        // α = λ = 0 without a teacher: plain cross-entropy, and the same bits as with a teacher weighted 0
        SoftTargetCrossEntropy hard = SoftTargetCrossEntropy.hardLabels();
        float[] g1 = new float[3], g2 = new float[3];
        double l1 = hard.lossAndGradient(zs, y, null, g1, 1, 3, 1);
        double l2 = hard.lossAndGradient(zs, y, new float[]{3f, -1f, 2f}, g2, 1, 3, 1);
        assertArrayEquals(g1, g2);
        assertEquals(l1, l2);
        double e0 = Math.exp(1), e1 = Math.exp(2), e2 = Math.exp(0.5);
        assertEquals(-Math.log(e2 / (e0 + e1 + e2)), l1, 1e-12);
    }

    @Test
    void refusals() {
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetCrossEntropy(-0.1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetCrossEntropy(0.6, 1, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetCrossEntropy(0.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetCrossEntropy(0.5, Double.NaN, 0));
        SoftTargetCrossEntropy loss = new SoftTargetCrossEntropy(0.5, 2, 0);
        assertThrows(IllegalArgumentException.class,
                () -> loss.lossAndGradient(new float[]{1, 2}, new int[]{0}, null, null, 1, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> loss.lossAndGradient(new float[]{1, 2}, new int[]{2}, new float[]{0, 0}, null, 1, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> loss.lossAndGradient(new float[]{Float.NaN, 2}, new int[]{0}, new float[]{0, 0}, null, 1, 2, 1));
    }
}
