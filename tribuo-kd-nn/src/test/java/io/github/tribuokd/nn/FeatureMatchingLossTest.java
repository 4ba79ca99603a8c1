package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MKD losses (Salehi et al., CVPR 2021): golden values on hand-computed vectors and gradients against central
 * finite differences in double precision.
 */
public class FeatureMatchingLossTest {

    @Test
    public void cosineDirectionGoldenValues() {
        // cos((1, 0), (1, 1)) = 1/√2 ; cos((3, 4), (4, 3)) = 24/25 ; parallel 0 ; opposite 2 ; orthogonal 1
        assertEquals(1 - 1 / Math.sqrt(2), CosineDirectionLoss.loss(new float[]{1, 0}, 0, new float[]{1, 1}, 0, 2),
                1e-12);
        assertEquals(0.04, CosineDirectionLoss.loss(new float[]{3, 4}, 0, new float[]{4, 3}, 0, 2), 1e-12);
        assertEquals(0.0, CosineDirectionLoss.loss(new float[]{1, 2, 3}, 0, new float[]{2, 4, 6}, 0, 3), 1e-12);
        assertEquals(2.0, CosineDirectionLoss.loss(new float[]{1, 2, 3}, 0, new float[]{-1, -2, -3}, 0, 3), 1e-12);
        assertEquals(1.0, CosineDirectionLoss.loss(new float[]{0, 5}, 0, new float[]{7, 0}, 0, 2), 1e-12);
        // offsets: the row [9, 3, 4] from element 1
        assertEquals(0.04, CosineDirectionLoss.loss(new float[]{9, 3, 4}, 1, new float[]{4, 3}, 0, 2), 1e-12);
    }

    @Test
    public void zeroVectorsAreSafe() {
        float[] a = {0.6f, 0.8f};
        float[] zero = {0f, 0f};
        float[] g = new float[2];
        double d = CosineDirectionLoss.lossAndGradient(a, 0, zero, 0, 2, 1.0, g, 0);
        assertEquals(1.0, d, 1e-12, "a zero student vector is orthogonal to everything");
        // ∂D/∂b = −a / (n_a ε): finite
        assertEquals(-0.6 / CosineDirectionLoss.EPSILON, g[0], 1e-3 / CosineDirectionLoss.EPSILON);
        assertTrue(Float.isFinite(g[1]));
        float[] g2 = new float[2];
        assertEquals(1.0, CosineDirectionLoss.lossAndGradient(zero, 0, zero, 0, 2, 1.0, g2, 0), 1e-12);
        assertEquals(0f, g2[0]);
        assertEquals(0f, g2[1]);
    }

    @Test
    public void nearlyParallelVectorsKeepTheirRelativePrecision() {
        // b = a + δ·u with u ⟂ a: 1 − cos ≈ δ²/2 = 5e-11 at δ = 1e-5; the naive 1 − a·b/(n_a n_b) in double keeps
        // about 6 digits of it, the written-out sum keeps them all (ε² = 1e-12 is visible at this scale, as documented)
        float[] a = {1f, 0f};
        float[] b = {1f, 1e-5f};
        // exactly: 1 − 1/sqrt((1 + ε²)(1 + δ² + ε²)) = −expm1(−½ log1p(x)), x = 2ε² + δ² + ε²(δ² + ε²)
        double e2 = CosineDirectionLoss.EPSILON * CosineDirectionLoss.EPSILON;
        double d2 = (double) b[1] * b[1];
        double expected = -Math.expm1(-0.5 * Math.log1p(2 * e2 + d2 + e2 * (d2 + e2)));
        double got = CosineDirectionLoss.loss(a, 0, b, 0, 2);
        assertEquals(expected, got, 1e-6 * expected);
    }

    @Test
    public void featureMatchingGoldenValue() {
        // two rows, layers of widths 2 and 1, λ = 0.5
        // row 0: layer 0 t = (1, 0), s = (1, 1): value 1/2, direction 1 − 1/√2; layer 1 t = 2, s = 1: value 1, dir 0
        // row 1: layer 0 t = (3, 4), s = (4, 3): value 2/2, direction 0.04; layer 1 t = −1, s = 1: value 4, dir 2
        float[][] t = {{1, 0, 3, 4}, {2, -1}};
        float[][] s = {{1, 1, 4, 3}, {1, 1}};
        FeatureMatchingLoss loss = new FeatureMatchingLoss(new int[]{2, 1}, 0.5);
        double[] out = new double[3];
        loss.score(t, s, 2, out, 1);
        double row0 = 0.5 + 0.5 * (1 - 1 / Math.sqrt(2)) + 1;
        double row1 = 1 + 0.5 * 0.04 + 4 + 0.5 * 2;
        assertEquals(0.0, out[0]);
        assertEquals(row0, out[1], 1e-9);
        assertEquals(row1, out[2], 1e-9);
        float[][] g = {new float[4], new float[2]};
        assertEquals(row0 + row1, loss.lossAndGradient(t, s, g, 2, 2), 1e-9);
        // value part of ∂/∂s for layer 1, row 0: 2 (1 − 2) / 1 / normaliser 2 = −1; direction of a scalar is flat
        assertEquals(-1.0, g[1][0], 1e-6);
    }

    @Test
    public void gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(42);
        int[] widths = {5, 3, 4};
        int rows = 3;
        int normaliser = 7;
        FeatureMatchingLoss loss = new FeatureMatchingLoss(widths, 0.7);
        float[][] t = new float[widths.length][];
        float[][] s = new float[widths.length][];
        float[][] g = new float[widths.length][];
        for (int i = 0; i < widths.length; i++) {
            t[i] = GradientCheckTest.random(rng, rows * widths[i], 1.0);
            s[i] = GradientCheckTest.random(rng, rows * widths[i], 1.0);
            g[i] = new float[rows * widths[i]];
        }
        loss.lossAndGradient(t, s, g, rows, normaliser);
        float h = 1e-3f;
        for (int i = 0; i < widths.length; i++) {
            for (int k = 0; k < s[i].length; k++) {
                float keep = s[i][k];
                float up = keep + h;
                float down = keep - h;
                s[i][k] = up;
                double plus = total(loss, t, s, rows);
                s[i][k] = down;
                double minus = total(loss, t, s, rows);
                s[i][k] = keep;
                double numeric = (plus - minus) / ((double) up - down) / normaliser;
                assertEquals(numeric, g[i][k], 1e-3 * Math.max(Math.abs(numeric), 1e-2),
                        "layer " + i + " element " + k);
            }
        }
        // the training form's summed loss equals the scores' sum
        assertEquals(total(loss, t, s, rows), loss.lossAndGradient(t, s, g, rows, normaliser), 1e-9);
    }

    private static double total(FeatureMatchingLoss loss, float[][] t, float[][] s, int rows) {
        double[] out = new double[rows];
        loss.score(t, s, rows, out, 0);
        double sum = 0;
        for (double v : out) {
            sum += v;
        }
        return sum;
    }

    @Test
    public void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureMatchingLoss(new int[]{2}, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new FeatureMatchingLoss(new int[]{2}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new FeatureMatchingLoss(new int[0], 1));
        assertThrows(IllegalArgumentException.class, () -> new FeatureMatchingLoss(new int[]{0}, 1));
        FeatureMatchingLoss loss = new FeatureMatchingLoss(new int[]{2}, 1);
        assertThrows(IllegalArgumentException.class,
                () -> loss.score(new float[2][], new float[1][], 1, new double[1], 0));
    }
}
