package io.github.tribuokd.timeseries.mscred;


import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NormalisedMSE}, the NormMSE of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s equation (8): values, invariances and the gradient. */
public class NormalisedMSETest {

    /** a = (3, 4), b = (1, 0): u = (0.6, 0.8), v = (1, 0), L = (0.16 + 0.64) / 2 = 0.4. */
    @Test
    public void handComputedValue() {
        float[] a = {9, 3, 4};
        float[] b = {1, 0, 9};
        assertEquals(0.4, NormalisedMSE.lossAndGradient(a, 1, b, 0, 2, null, 0, 1.0), 1e-12);
        // the same direction at another length: zero loss
        assertEquals(0.0, NormalisedMSE.lossAndGradient(new float[]{3, 4}, 0, new float[]{0.3f, 0.4f}, 0, 2, null, 0,
                1.0), 1e-12);
    }

    @Test
    public void gradientMatchesFiniteDifferences() {
        int d = 11;
        float eps = 1e-3f;
        SplittableRandom rng = new SplittableRandom(4);
        float[] a = TestArrays.random(rng, d + 2, 1.0);
        float[] b = TestArrays.random(rng, d, 1.0);
        float[] grad = new float[d + 1];
        double scale = 3.0;
        NormalisedMSE.lossAndGradient(a, 2, b, 0, d, grad, 1, scale);
        assertEquals(0f, grad[0]);
        double along = 0;
        for (int j = 0; j < d; j++) {
            float keep = a[2 + j];
            a[2 + j] = keep + eps;
            double plus = NormalisedMSE.lossAndGradient(a, 2, b, 0, d, null, 0, 1.0);
            a[2 + j] = keep - eps;
            double minus = NormalisedMSE.lossAndGradient(a, 2, b, 0, d, null, 0, 1.0);
            a[2 + j] = keep;
            double numeric = scale * (plus - minus) / (2 * eps);
            assertEquals(numeric, grad[1 + j], 2e-3 * Math.abs(numeric) + 2e-5, "dA[" + j + "]");
            along += (double) grad[1 + j] * a[2 + j];
        }
        // scale invariance: the gradient is orthogonal to a
        assertEquals(0.0, along, 1e-6);
    }

    /** The gradient is added; the batch mean scales it by 1/batch. */
    @Test
    public void gradientAccumulatesAndBatchMeanScales() {
        int d = 6, batch = 3;
        SplittableRandom rng = new SplittableRandom(9);
        float[] a = TestArrays.random(rng, batch * d, 1.0);
        float[] b = TestArrays.random(rng, batch * d, 1.0);
        float[] single = new float[d];
        double l0 = NormalisedMSE.lossAndGradient(a, 0, b, 0, d, single, 0, 1.0);
        float[] grad = new float[batch * d];
        java.util.Arrays.fill(grad, 0.5f);
        double sum = 0;
        for (int e = 0; e < batch; e++) {
            sum += NormalisedMSE.lossAndGradient(a, e * d, b, e * d, d, null, 0, 1.0);
        }
        assertEquals(sum / batch, NormalisedMSE.meanLossAndGradient(a, b, batch, d, grad, 2.0), 1e-12);
        for (int j = 0; j < d; j++) {
            assertEquals(0.5f + 2f * single[j] / batch, grad[j], 1e-6, "grad[" + j + "]");
        }
        assertTrue(l0 >= 0 && l0 <= 4.0 / d); // ‖u − v‖² ≤ 4
    }

    /** An all-zero student map (or teacher map) gives a finite loss and gradient, not NaN. */
    @Test
    public void zeroMapsAreGuarded() {
        float[] zero = new float[4];
        float[] b = {1, 2, 2, 0};
        float[] grad = new float[4];
        double l = NormalisedMSE.lossAndGradient(zero, 0, b, 0, 4, grad, 0, 1.0);
        assertEquals(0.25, l, 1e-12); // u = 0, ‖v‖² / d
        for (float g : grad) {
            assertTrue(Float.isFinite(g));
        }
        float[] g2 = new float[4];
        assertEquals(0.25, NormalisedMSE.lossAndGradient(b, 0, zero, 0, 4, g2, 0, 1.0), 1e-12);
        for (float g : g2) {
            assertTrue(Float.isFinite(g));
        }
        assertThrows(IllegalArgumentException.class,
                () -> NormalisedMSE.lossAndGradient(b, 0, b, 0, 0, null, 0, 1.0));
    }
}
