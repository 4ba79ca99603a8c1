package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.github.tribuokd.timeseries.SignatureMatrixTestSupport.assertClose;
import static io.github.tribuokd.timeseries.SignatureMatrixTestSupport.randomValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncrementalSignatureMatrixTest {

    @Test
    void handExample() {
        // the example of SignatureMatricesTest.handExample, pushed point by point
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(new int[]{2, 3}, 2);
        float third = (float) (1.0 / 3);
        m.push(new float[]{1, 2});
        assertEquals(0, m.time());
        assertArrayEquals(new float[]{0.5f, 1, 1, 2, third, (float) (2.0 / 3), (float) (2.0 / 3), (float) (4.0 / 3)},
                m.current(), 0f);
        m.push(new float[]{3, -1});
        assertArrayEquals(new float[]{5, -0.5f, -0.5f, 2.5f, (float) (10.0 / 3), -third, -third, (float) (5.0 / 3)},
                m.current(), 0f);
        m.push(new float[]{0, 4});
        assertArrayEquals(new float[]{4.5f, -1.5f, -1.5f, 8.5f, (float) (10.0 / 3), -third, -third, 7},
                m.current(), 0f);
        assertEquals(3, m.numPushed());
    }

    @Test
    void matchesDirectComputationAtEveryTime() {
        int n = 5;
        int steps = 400;
        int[] scales = {1, 3, 7, 10};
        float[] values = randomValues(steps, n, 21);
        SignatureMatrices config = new SignatureMatrices(scales, 1, 1);
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(config, n);
        float[] direct = new float[config.stackSize(n)];
        float[] incremental = new float[direct.length + 4];
        for (int t = 0; t < steps; t++) {
            m.push(values, t * n);
            config.compute(values, steps, n, t, direct, 0);
            m.current(incremental, 4);
            assertClose(direct, 0, incremental, 4, direct.length, 1e-5, "t = " + t);
        }
    }

    /**
     * 100,000 pushes of random data with MSCRED's scales: at every time the stack still agrees with eq. 1
     * computed from scratch (no drift). In practice the floats are identical here (largest error 0).
     */
    @Test
    void noDriftAfter100000Pushes() {
        int n = 4;
        int steps = 100_000;
        float[] values = randomValues(steps, n, 42);
        SignatureMatrices config = new SignatureMatrices(); // {10, 30, 60}
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(config, n);
        float[] direct = new float[config.stackSize(n)];
        float[] incremental = new float[direct.length];
        double worst = 0;
        for (int t = 0; t < steps; t++) {
            m.push(values, t * n);
            config.compute(values, steps, n, t, direct, 0);
            m.current(incremental, 0);
            worst = Math.max(worst, assertClose(direct, 0, incremental, 0, direct.length, 1e-5, "t = " + t));
        }
        assertTrue(worst < 1e-6, "largest relative error " + worst);
    }

    /**
     * At the last point of each block (t ≡ ℓ - 1 mod ℓ) the documented result is exactly the plain double
     * sum over the window, oldest point first, divided by ℓ and rounded to float.
     */
    @Test
    void exactAtBlockEnds() {
        int n = 3;
        int scale = 7;
        int steps = 300;
        float[] values = randomValues(steps, n, 8);
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(new int[]{scale}, n);
        for (int t = 0; t < steps; t++) {
            m.push(values, t * n);
            if (t % scale != scale - 1) {
                continue;
            }
            float[] stack = m.current();
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double sum = 0;
                    for (int tau = t - scale + 1; tau <= t; tau++) {
                        sum += (double) values[tau * n + i] * values[tau * n + j];
                    }
                    assertEquals((float) (sum / scale), stack[i * n + j], "t = " + t + ", (" + i + ", " + j + ")");
                }
            }
        }
    }

    /**
     * A burst of values of 10⁶ followed by values of about 10⁻³: 2·max(ℓ) points after the burst the
     * stacks match eq. 1 again. A textbook running sum (S += new - old) fails this: it keeps the rounding
     * error of the burst, which the test shows too.
     */
    @Test
    void forgetsLargeValuesAfterTheyLeave() {
        int n = 3;
        int[] scales = {10, 30, 60};
        int burst = 300;
        int steps = 1000;
        float[] values = randomValues(steps, n, 77);
        for (int e = 0; e < values.length; e++) {
            values[e] *= e < burst * n ? 1e6f : 1e-3f;
        }
        SignatureMatrices config = new SignatureMatrices(scales, 1, 1);
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(config, n);
        double[] naive = new double[n * n]; // running sum for scale 60 only
        float[] direct = new float[config.stackSize(n)];
        float[] incremental = new float[direct.length];
        double naiveWorst = 0;
        for (int t = 0; t < steps; t++) {
            m.push(values, t * n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    naive[i * n + j] += (double) values[t * n + i] * values[t * n + j];
                    if (t >= 60) {
                        naive[i * n + j] -= (double) values[(t - 60) * n + i] * values[(t - 60) * n + j];
                    }
                }
            }
            if (t >= burst + 2 * 60) {
                config.compute(values, steps, n, t, direct, 0);
                m.current(incremental, 0);
                assertClose(direct, 0, incremental, 0, direct.length, 1e-5, "t = " + t);
                for (int e = 0; e < n * n; e++) {
                    double exact = direct[2 * n * n + e];
                    naiveWorst = Math.max(naiveWorst, Math.abs(naive[e] / 60 - exact) / Math.abs(exact));
                }
            }
        }
        assertTrue(naiveWorst > 1e-3, "the naive running sum was expected to fail here, worst " + naiveWorst);
    }

    @Test
    void memoryIsBounded() {
        int n = 7;
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(new SignatureMatrices(), n);
        long expected = (60L * n + 3L * 3 * n * n + 2L * n) * Double.BYTES + 3 * Integer.BYTES;
        assertEquals(expected, m.stateBytes());
        assertEquals(60, m.ringCapacity());
        float[] values = randomValues(11_000, n, 4);
        for (int t = 0; t < 1_000; t++) {
            m.push(values, t * n);
        }
        long afterFirst = m.stateBytes();
        for (int t = 1_000; t < 11_000; t++) {
            m.push(values, t * n);
        }
        assertEquals(afterFirst, m.stateBytes());
        assertEquals(expected, m.stateBytes());
        assertEquals(60, m.ringCapacity());
        assertEquals(11_000, m.numPushed());
    }

    @Test
    void refusesBadPointsAndKeepsItsState() {
        int n = 4;
        float[] values = randomValues(50, n, 6);
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(new int[]{3, 5}, n);
        IncrementalSignatureMatrix clean = new IncrementalSignatureMatrix(new int[]{3, 5}, n);
        IllegalStateException empty = assertThrows(IllegalStateException.class, m::current);
        assertTrue(empty.getMessage().contains("no point"), empty.getMessage());
        for (int t = 0; t < 7; t++) {
            m.push(values, t * n);
            clean.push(values, t * n);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.push(new float[3]));
        assertTrue(e.getMessage().contains("point 7") && e.getMessage().contains("has 3 values, expected 4"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.push(new float[]{1, 2, Float.NaN, 4}));
        assertTrue(e.getMessage().contains("point 7") && e.getMessage().contains("variable 2 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.push(new float[]{Float.NEGATIVE_INFINITY, 2, 3, 4}));
        assertTrue(e.getMessage().contains("variable 0 is -Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.push(new float[10], 7));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.push(new float[10], -1));
        assertThrows(NullPointerException.class, () -> m.push(null));
        assertEquals(7, m.numPushed());
        // the refused points changed nothing
        for (int t = 7; t < 50; t++) {
            m.push(values, t * n);
            clean.push(values, t * n);
            assertArrayEquals(clean.current(), m.current(), 0f);
        }
        assertThrows(IllegalArgumentException.class, () -> m.current(new float[2 * n * n], 1));
        assertThrows(IllegalArgumentException.class, () -> new IncrementalSignatureMatrix(new int[]{5, 3}, n));
        assertThrows(IllegalArgumentException.class, () -> new IncrementalSignatureMatrix(new int[]{5}, 0));
    }

    @Test
    void resetAndCopy() {
        int n = 3;
        float[] a = randomValues(120, n, 1);
        float[] b = randomValues(120, n, 2);
        int[] scales = {4, 9};
        IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(scales, n);
        for (int t = 0; t < 120; t++) {
            m.push(a, t * n);
        }
        float[] atEnd = m.current();
        IncrementalSignatureMatrix snapshot = m.copy();
        assertArrayEquals(atEnd, snapshot.current(), 0f);
        assertEquals(m.numPushed(), snapshot.numPushed());
        // pushing to the copy leaves the original alone, and the same pushes give the same bits
        snapshot.push(b, 0);
        assertArrayEquals(atEnd, m.current(), 0f);
        m.push(b, 0);
        assertArrayEquals(m.current(), snapshot.current(), 0f);

        m.reset();
        assertEquals(0, m.numPushed());
        assertEquals(-1, m.time());
        assertThrows(IllegalStateException.class, m::current);
        IncrementalSignatureMatrix fresh = new IncrementalSignatureMatrix(scales, n);
        for (int t = 0; t < 120; t++) {
            m.push(b, t * n);
            fresh.push(b, t * n);
            assertArrayEquals(fresh.current(), m.current(), 0f, "t = " + t);
        }
        assertFalse(Arrays.equals(atEnd, m.current()));
    }
}
