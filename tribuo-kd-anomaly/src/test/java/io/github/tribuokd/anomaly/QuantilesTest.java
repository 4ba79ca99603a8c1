package io.github.tribuokd.anomaly;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's one quantile function against values computed by hand from {@code h = q(n − 1)},
 * {@code j = ⌊h⌋}, {@code v_j + (h − j)(v_{j+1} − v_j)}; equality is exact (delta 0) because the arithmetic order is
 * part of the contract (model thresholds must not move).
 */
public class QuantilesTest {

    @Test
    public void handComputedGoldenValues() {
        double[] x = {1, 2, 3, 4};
        // h = 0.5·3 = 1.5 -> 2 + 0.5·(3 − 2)
        assertEquals(2.5, Quantiles.quantile(x, 0.5), 0.0);
        // h = 0.25·3 = 0.75 -> 1 + 0.75·(2 − 1)
        assertEquals(1.75, Quantiles.quantile(x, 0.25), 0.0);
        assertEquals(1.0, Quantiles.quantile(x, 0.0), 0.0);
        assertEquals(4.0, Quantiles.quantile(x, 1.0), 0.0);
        // unsorted: sorted [1,1,2,3,4,5,6,9], h = 0.9·7 = 6.3 -> 6 + 0.3·3, rounded as doubles
        assertEquals(6.0 + (0.9 * 7 - 6) * 3.0, Quantiles.quantile(new double[]{3, 1, 4, 1, 5, 9, 2, 6}, 0.9), 0.0);
        assertEquals(6.9, Quantiles.quantile(new double[]{3, 1, 4, 1, 5, 9, 2, 6}, 0.9), 1e-12);
        // h = 0.99·3 = 2.97 -> 0.3 + 0.97·(0.9 − 0.3) = 0.882 (0.8819999999999999 as doubles)
        assertEquals(0.8819999999999999, Quantiles.quantile(new double[]{0.3, 0.1, 0.2, 0.9}, 0.99), 0.0);
        // one value is every quantile; ties
        assertEquals(7.0, Quantiles.quantile(new double[]{7}, 0.3), 0.0);
        assertEquals(2.0, Quantiles.quantile(new double[]{2, 2, 2}, 0.8), 0.0);
    }

    @Test
    public void arithmeticOrderIsTheThresholdsOwn() {
        // h = 0.7 -> 0.1 + 0.7·(0.7 − 0.1) = 0.1 + 0.42 = 0.52 exactly as doubles. NumPy's form for g ≥ 0.5,
        // 0.7 − 0.3·0.6, gives 0.5199999999999999: the library keeps the first, which every trainer has used.
        assertEquals(0.52, Quantiles.quantile(new double[]{0.7, 0.1}, 0.7), 0.0);
        // median of two: a + 0.5·(b − a), not 0.5·(a + b): 0.13 + 0.5·2.64 = 1.4500000000000002 (the midpoint
        // formula gives 1.45)
        assertEquals(1.4500000000000002, Quantiles.median(new double[]{2.77, 0.13}), 0.0);
        assertEquals(0.6900000000000001, Quantiles.median(new double[]{0.15, 1.23}), 0.0);
    }

    @Test
    public void sortedRunsAgreeWithTheCopyingForm() {
        double[] values = {5.5, -1.25, 3.0, 0.75, 9.0, 2.0, 2.0};
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double[] padded = new double[sorted.length + 3];
        padded[0] = -100;
        System.arraycopy(sorted, 0, padded, 2, sorted.length);
        padded[padded.length - 1] = 100;
        for (int i = 0; i <= 20; i++) {
            double q = i / 20.0;
            double expected = Quantiles.quantile(values, q);
            assertEquals(expected, Quantiles.quantileOfSorted(sorted, q), 0.0);
            assertEquals(expected, Quantiles.quantileOfSorted(padded, 2, 2 + sorted.length, q), 0.0);
        }
    }

    @Test
    public void inputUntouchedAndMonotone() {
        double[] x = {5, 1, 3, 2, 8};
        double[] copy = x.clone();
        double prev = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= 100; i++) {
            double v = Quantiles.quantile(x, i / 100.0);
            assertTrue(v >= prev && v >= 1 && v <= 8);
            prev = v;
        }
        assertArrayEquals(copy, x, 0.0);
    }

    @Test
    public void refusals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantiles.quantile(new double[0], 0.5));
        assertTrue(e.getMessage().contains("no values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantiles.quantile(new double[]{1}, 1.5));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Quantiles.quantile(new double[]{1}, Double.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> Quantiles.quantile(new double[]{1, Double.NaN}, 0.5));
        assertTrue(e.getMessage().contains("Value 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Quantiles.quantileOfSorted(new double[]{1, 2}, 1, 1, 0.5));
        assertTrue(e.getMessage().contains("[1, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Quantiles.quantileOfSorted(new double[]{1, 2}, 0, 3, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.quantileOfSorted(new double[]{1, 2}, -0.1));
    }
}
