package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.github.tribuokd.timeseries.SignatureMatrixTestSupport.assertClose;
import static io.github.tribuokd.timeseries.SignatureMatrixTestSupport.randomSeries;
import static io.github.tribuokd.timeseries.SignatureMatrixTestSupport.randomValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureMatricesTest {

    /**
     * Two variables, scales {2, 3}, x_0 = (1, 2), x_1 = (3, -1), x_2 = (0, 4). Outer products:
     * <pre>
     *   x_0 x_0ᵀ = [[1, 2], [2, 4]]   x_1 x_1ᵀ = [[9, -3], [-3, 1]]   x_2 x_2ᵀ = [[0, 0], [0, 16]]
     * </pre>
     * t = 0 (zero padding: only x_0 exists, still divided by ℓ):
     *   ℓ=2: [[1, 2], [2, 4]] / 2 = [[0.5, 1], [1, 2]];   ℓ=3: [[1, 2], [2, 4]] / 3
     * t = 1: x_0 x_0ᵀ + x_1 x_1ᵀ = [[10, -1], [-1, 5]]
     *   ℓ=2: [[5, -0.5], [-0.5, 2.5]];                    ℓ=3: [[10, -1], [-1, 5]] / 3
     * t = 2: ℓ=2: x_1 x_1ᵀ + x_2 x_2ᵀ = [[9, -3], [-3, 17]] / 2 = [[4.5, -1.5], [-1.5, 8.5]]
     *        ℓ=3: all three = [[10, -1], [-1, 21]] / 3 = [[10/3, -1/3], [-1/3, 7]]
     */
    @Test
    void handExample() {
        MultivariateSeries series = new MultivariateSeries("hand", 3, 2, new float[]{1, 2, 3, -1, 0, 4});
        SignatureMatrices config = new SignatureMatrices(new int[]{2, 3}, 1, 1);
        float third = (float) (1.0 / 3);
        // layout [scales, n, n]: scale 2 first, then scale 3
        assertArrayEquals(new float[]{0.5f, 1, 1, 2, third, (float) (2.0 / 3), (float) (2.0 / 3), (float) (4.0 / 3)},
                config.compute(series, 0), 0f);
        assertArrayEquals(new float[]{5, -0.5f, -0.5f, 2.5f, (float) (10.0 / 3), -third, -third, (float) (5.0 / 3)},
                config.compute(series, 1), 0f);
        assertArrayEquals(new float[]{4.5f, -1.5f, -1.5f, 8.5f, (float) (10.0 / 3), -third, -third, 7},
                config.compute(series, 2), 0f);
        // the raw-array form writes at an offset and leaves the rest alone
        float[] dst = new float[11];
        Arrays.fill(dst, -9f);
        config.compute(series.valuesView(), 3, 2, 2, dst, 2);
        assertEquals(-9f, dst[0]);
        assertEquals(-9f, dst[1]);
        assertEquals(-9f, dst[10]);
        assertArrayEquals(config.compute(series, 2), Arrays.copyOfRange(dst, 2, 10), 0f);
    }

    /**
     * Eq. 1 written out independently: for each scale, sum the products of the window oldest point first,
     * skipping times before 0.
     */
    private static float[] reference(float[] values, int n, int[] scales, int t) {
        float[] out = new float[scales.length * n * n];
        for (int k = 0; k < scales.length; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int tau = t - scales[k] + 1; tau <= t; tau++) {
                        if (tau >= 0) {
                            sum += (double) values[tau * n + i] * values[tau * n + j];
                        }
                    }
                    out[(k * n + i) * n + j] = (float) (sum / scales[k]);
                }
            }
        }
        return out;
    }

    @Test
    void directMatchesEquationOneEverywhere() {
        int n = 4;
        int steps = 80;
        int[] scales = {1, 3, 10, 25};
        float[] values = randomValues(steps, n, 11);
        SignatureMatrices config = new SignatureMatrices(scales, 5, 2);
        float[] dst = new float[config.stackSize(n)];
        for (int t = 0; t < steps; t++) {
            config.compute(values, steps, n, t, dst, 0);
            assertClose(reference(values, n, scales, t), 0, dst, 0, dst.length, 1e-6, "t = " + t);
            // symmetric
            for (int k = 0; k < scales.length; k++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(dst[(k * n + i) * n + j], dst[(k * n + j) * n + i]);
                    }
                }
            }
        }
    }

    @Test
    void defaultsAndDerivedTimes() {
        SignatureMatrices config = new SignatureMatrices();
        assertArrayEquals(new int[]{10, 30, 60}, config.scales());
        assertEquals(10, config.gap());
        assertEquals(5, config.steps());
        assertEquals(3, config.numScales());
        assertEquals(60, config.maxScale());
        assertEquals(30, config.scale(1));
        assertEquals(59, config.firstMatrixTime());
        assertEquals(59 + 4 * 10, config.firstValidTime());
        assertEquals(3 * 55 * 55, config.stackSize(55));
        assertEquals(5 * 3 * 55 * 55, config.inputSize(55));
        assertEquals(new SignatureMatrices(new int[]{10, 30, 60}, 10, 5), config);
        assertEquals(config.hashCode(), new SignatureMatrices().hashCode());
        assertNotEquals(new SignatureMatrices(new int[]{10, 30, 60}, 10, 4), config);

        SignatureMatrices custom = new SignatureMatrices(new int[]{2, 5}, 3, 4);
        assertEquals(4, custom.firstMatrixTime());
        assertEquals(4 + 3 * 3, custom.firstValidTime());
        // the scales array is copied on the way in and out
        int[] scales = {2, 5};
        SignatureMatrices copied = new SignatureMatrices(scales, 1, 1);
        scales[0] = 99;
        copied.scales()[1] = 99;
        assertArrayEquals(new int[]{2, 5}, copied.scales());
        // matrix-time counts
        assertEquals(0, config.numMatrices(59, 59));
        assertEquals(1, config.numMatrices(60, 59));
        assertEquals(1, config.numMatrices(69, 59));
        assertEquals(2, config.numMatrices(70, 59));
    }

    @Test
    void configurationErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SignatureMatrices(new int[]{10, 60, 30}, 10, 5));
        assertTrue(e.getMessage().contains("strictly increasing") && e.getMessage().contains("scales[2] = 30")
                && e.getMessage().contains("out of order"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices(new int[]{10, 10}, 10, 5));
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices(new int[]{0, 10}, 10, 5));
        assertTrue(e.getMessage().contains("scales[0] = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices(new int[]{-3}, 10, 5));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices(new int[0], 10, 5));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices(new int[]{10}, 0, 5));
        assertTrue(e.getMessage().contains("gap must be at least 1, found 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices(new int[]{10}, 10, 0));
        assertTrue(e.getMessage().contains("steps must be at least 1, found 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SignatureMatrices(new int[]{10}, Integer.MAX_VALUE, 3));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new SignatureMatrices(null, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices().stackSize(0));
        assertThrows(IllegalArgumentException.class, () -> new SignatureMatrices().stackSize(30_000));
        assertThrows(IndexOutOfBoundsException.class, () -> new SignatureMatrices().scale(3));
    }

    @Test
    void computeErrors() {
        SignatureMatrices config = new SignatureMatrices(new int[]{2, 3}, 1, 1);
        MultivariateSeries series = new MultivariateSeries("s", 3, 2, new float[6]);
        assertThrows(IndexOutOfBoundsException.class, () -> config.compute(series, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> config.compute(series, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config.compute(new float[6], 3, 2, 0, new float[7], 0));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config.compute(new float[5], 3, 2, 0, new float[8], 0));
        assertTrue(e.getMessage().contains("expected 3 x 2 = 6 values, found 5"), e.getMessage());
        float[] bad = {1, 2, 3, 4, 5, Float.NaN};
        e = assertThrows(IllegalArgumentException.class, () -> config.compute(bad, 3, 2, 2, new float[8], 0));
        assertTrue(e.getMessage().contains("time step 2, variable 1") && e.getMessage().contains("NaN"),
                e.getMessage());
        float[] inf = {1, Float.POSITIVE_INFINITY, 3, 4, 5, 6};
        e = assertThrows(IllegalArgumentException.class, () -> config.compute(inf, 3, 2, 1, new float[8], 0));
        assertTrue(e.getMessage().contains("time step 0, variable 1"), e.getMessage());
    }

    @Test
    void batchEqualsPerTimeComputeOnAnyNumberOfThreads() {
        int n = 5;
        MultivariateSeries series = randomSeries(503, n, 3);
        SignatureMatrices config = new SignatureMatrices(new int[]{4, 10, 16}, 7, 3);
        SignatureMatrixSequence sequence = config.build(series);
        assertEquals(15, sequence.firstTime());
        int count = (503 - 1 - 15) / 7 + 1;
        assertEquals(count, sequence.count());
        assertEquals(count * config.stackSize(n), sequence.valuesView().length);
        int[] times = sequence.times();
        for (int k = 0; k < count; k++) {
            assertEquals(15 + 7 * k, times[k]);
            assertEquals(times[k], sequence.time(k));
            float[] expected = config.compute(series, times[k]);
            assertArrayEquals(expected, sequence.stack(k, null, 0), 0f, "stack " + k);
        }
        for (int threads : new int[]{2, 3, 64}) {
            SignatureMatrixSequence parallel = config.build(series, 15, threads);
            assertArrayEquals(sequence.valuesView(), parallel.valuesView(), 0f, threads + " threads");
        }
        // a first time before max(scales) - 1 gives zero-padded stacks, as compute does
        SignatureMatrixSequence early = config.build(series, 2, 2);
        assertEquals((503 - 1 - 2) / 7 + 1, early.count());
        assertArrayEquals(config.compute(series, 2), early.stack(0, null, 0), 0f);
        float[] padded = early.stack(1, new float[config.stackSize(n) + 3], 3);
        assertArrayEquals(config.compute(series, 9), Arrays.copyOfRange(padded, 3, padded.length), 0f);
    }

    @Test
    void sequenceInputsAreContiguousStacks() {
        int n = 3;
        MultivariateSeries series = randomSeries(100, n, 5);
        SignatureMatrices config = new SignatureMatrices(new int[]{2, 6}, 4, 3);
        SignatureMatrixSequence sequence = config.build(series);
        // matrix times 5, 9, ..., 97: 24 stacks; inputs end at 13, 17, ..., 97: 22 inputs
        assertEquals(24, sequence.count());
        assertEquals(22, sequence.numInputs());
        assertEquals(config.firstValidTime(), sequence.inputTime(0));
        assertEquals(13, sequence.inputTime(0));
        assertEquals(97, sequence.inputTime(21));
        int stack = sequence.stackSize();
        assertEquals(3 * stack, sequence.inputSize());
        for (int i = 0; i < sequence.numInputs(); i++) {
            float[] input = sequence.input(i, null, 0);
            assertEquals(i * stack, sequence.inputOffset(i));
            for (int s = 0; s < 3; s++) {
                float[] expected = config.compute(series, sequence.inputTime(i) - (2 - s) * 4);
                assertArrayEquals(expected, Arrays.copyOfRange(input, s * stack, (s + 1) * stack), 0f);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> sequence.inputTime(22));
        assertThrows(IndexOutOfBoundsException.class, () -> sequence.input(-1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> sequence.input(0, new float[10], 0));
        // the copy is independent of the view
        float[] copy = sequence.copyValues();
        copy[0] = 1e9f;
        assertNotEquals(1e9f, sequence.valuesView()[0]);
        assertSame(config, sequence.config());
        assertEquals(series.name(), sequence.seriesName());
        assertEquals(100, sequence.seriesLength());
    }

    @Test
    void pointScoresFromInputScores() {
        // 30 steps, scales {2, 4}, gap 5, steps 2: matrix times 3, 8, 13, 18, 23, 28; inputs end at 8 ... 28
        MultivariateSeries series = randomSeries(30, 2, 9);
        SignatureMatrixSequence sequence = new SignatureMatrices(new int[]{2, 4}, 5, 2).build(series);
        assertEquals(5, sequence.numInputs());
        double[] points = sequence.pointScores(new double[]{1, 2, 3, 4, 5});
        double[] expected = new double[30];
        for (int t = 0; t < 30; t++) {
            // latest input time <= t; before the first input, its score
            expected[t] = t < 8 ? 1 : 1 + (t - 8) / 5;
        }
        assertArrayEquals(expected, points, 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sequence.pointScores(new double[4]));
        assertTrue(e.getMessage().contains("expected 5 input scores"), e.getMessage());
        // too few stacks for one input
        SignatureMatrixSequence short3 = new SignatureMatrices(new int[]{2, 4}, 5, 9).build(series);
        assertEquals(0, short3.numInputs());
        assertThrows(IllegalArgumentException.class, () -> short3.pointScores(new double[0]));
    }

    @Test
    void buildErrors() {
        SignatureMatrices config = new SignatureMatrices();
        MultivariateSeries shortSeries = randomSeries(59, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.build(shortSeries));
        assertTrue(e.getMessage().contains("shorter than the largest scale 60"), e.getMessage());
        MultivariateSeries series = randomSeries(100, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> config.build(series, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> config.build(series, -1, 1));
        e = assertThrows(IllegalArgumentException.class, () -> config.build(series, 59, 0));
        assertTrue(e.getMessage().contains("numThreads"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    public void inputLengthScalesMscredDefaults() {
        SignatureMatrices mscred = SignatureMatrices.forInputLength(100);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{10, 30, 60}, mscred.scales());
        org.junit.jupiter.api.Assertions.assertEquals(10, mscred.gap());
        org.junit.jupiter.api.Assertions.assertEquals(100, mscred.inputSpan());
        SignatureMatrices msl = SignatureMatrices.forInputLength(800);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{80, 240, 480}, msl.scales());
        org.junit.jupiter.api.Assertions.assertEquals(800, msl.inputSpan());
        SignatureMatrices smap25 = SignatureMatrices.forInputLength(25);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{3, 8, 15}, smap25.scales());
        org.junit.jupiter.api.Assertions.assertEquals(3, smap25.gap());
        org.junit.jupiter.api.Assertions.assertEquals(27, smap25.inputSpan());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SignatureMatrices.forInputLength(9));
    }
}
