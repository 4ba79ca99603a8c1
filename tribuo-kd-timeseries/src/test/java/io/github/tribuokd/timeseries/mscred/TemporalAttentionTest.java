package io.github.tribuokd.timeseries.mscred;


import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TemporalAttention}: the weights against a hand-computed example, their normalisation, and the backward pass
 * against central finite differences of a probe loss {@code L = Σ p·Ĥ_T}.
 */
public class TemporalAttentionTest {

    /**
     * Three maps of two values, χ = 1: H_1 = (1, 0), H_2 = (0, 1), H_3 = (1, 1); scores H_3·H_i = 1, 1, 2, so
     * α = (1, 1, e) / (2 + e) and Ĥ = (α_1 + α_3, α_2 + α_3).
     */
    @Test
    public void handComputedExample() {
        TemporalAttention att = new TemporalAttention(2, 1.0);
        float[] h = {1, 0, 0, 1, 1, 1}; // [steps 3, batch 1, D 2]
        float[] out = new float[2];
        float[] alpha = new float[3];
        att.forward(h, 3, 1, out, alpha);
        double e = Math.E;
        double a1 = 1 / (2 + e);
        double a3 = e / (2 + e);
        assertEquals(a1, alpha[0], 1e-7);
        assertEquals(a1, alpha[1], 1e-7);
        assertEquals(a3, alpha[2], 1e-7);
        assertEquals(a1 + a3, out[0], 1e-7);
        assertEquals(a1 + a3, out[1], 1e-7);
        // χ rescales the scores: with χ = 2 they are 0.5, 0.5, 1
        new TemporalAttention(2, 2.0).forward(h, 3, 1, out, alpha);
        double s = Math.exp(0.5) * 2 + Math.exp(1.0);
        assertEquals(Math.exp(0.5) / s, alpha[0], 1e-7);
        assertEquals(Math.exp(1.0) / s, alpha[2], 1e-7);
        assertEquals(5.0, new TemporalAttention(4).rescale());
    }

    @Test
    public void weightsArePositiveAndSumToOne() {
        int steps = 5, batch = 4, d = 30;
        float[] h = TestArrays.random(new SplittableRandom(3), steps * batch * d, 1.0);
        h[7] = 40f; // a large score (≈ 1600/χ): no overflow
        float[] out = new float[batch * d];
        float[] alpha = new float[batch * steps];
        new TemporalAttention(d).forward(h, steps, batch, out, alpha);
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            for (int i = 0; i < steps; i++) {
                float a = alpha[b * steps + i];
                assertTrue(a >= 0f && a <= 1f && Float.isFinite(a), "alpha " + a);
                sum += a;
            }
            assertEquals(1.0, sum, 1e-6);
        }
        for (float v : out) {
            assertTrue(Float.isFinite(v));
        }
        // one step: the output is that step's map, α = 1
        float[] one = new float[batch * d];
        float[] a1 = new float[batch];
        new TemporalAttention(d).forward(h, 1, batch, one, a1);
        assertArrayEquals(java.util.Arrays.copyOf(h, batch * d), one);
        assertArrayEquals(new float[]{1f, 1f, 1f, 1f}, a1);
    }

    @Test
    public void backwardMatchesFiniteDifferences() {
        int steps = 4, batch = 3, d = 7;
        float eps = 1e-3f;
        SplittableRandom rng = new SplittableRandom(5);
        TemporalAttention att = new TemporalAttention(d, 1.5);
        float[] h = TestArrays.random(rng, steps * batch * d, 1.0);
        float[] probe = TestArrays.random(rng, batch * d, 1.0);
        float[] out = new float[batch * d];
        float[] alpha = new float[batch * steps];
        att.forward(h, steps, batch, out, alpha);
        // the weights are not degenerate: the score path matters
        for (float a : alpha) {
            assertTrue(a > 0.01f && a < 0.99f, "alpha " + a);
        }
        float[] dH = new float[h.length];
        att.backward(h, alpha, probe, steps, batch, dH);
        for (int i = 0; i < h.length; i++) {
            float keep = h[i];
            h[i] = keep + eps;
            att.forward(h, steps, batch, out, alpha);
            double plus = dot(out, probe);
            h[i] = keep - eps;
            att.forward(h, steps, batch, out, alpha);
            double minus = dot(out, probe);
            h[i] = keep;
            TestArrays.assertClose((plus - minus) / (2 * eps), dH[i], "dH[" + i + "]");
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    public void misuseIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> new TemporalAttention(0));
        assertThrows(IllegalArgumentException.class, () -> new TemporalAttention(3, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new TemporalAttention(3, Double.NaN));
        TemporalAttention att = new TemporalAttention(3);
        assertThrows(IllegalArgumentException.class, () -> att.forward(new float[5], 2, 1, new float[3], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> att.forward(new float[6], 2, 1, new float[3], new float[1]));
        float[] h = new float[6];
        assertThrows(IllegalArgumentException.class, () -> att.backward(h, new float[2], new float[3], 2, 1, h));
    }
}
