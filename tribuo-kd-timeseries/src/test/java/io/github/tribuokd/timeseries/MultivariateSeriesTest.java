package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultivariateSeriesTest {

    private static float[] values(int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int t = 0; t < rows; t++) {
            for (int c = 0; c < cols; c++) {
                v[t * cols + c] = t + c / 10f;
            }
        }
        return v;
    }

    @Test
    void accessorsAreRowMajor() {
        MultivariateSeries s = new MultivariateSeries("s", 4, 3, values(4, 3), new int[]{0, 1, 1, 0});
        assertEquals("s", s.name());
        assertEquals(4, s.numSteps());
        assertEquals(3, s.numVariables());
        assertEquals(2.1f, s.value(2, 1));
        assertEquals(s.value(3, 2), s.valuesView()[3 * 3 + 2]);
        assertTrue(s.hasLabels());
        assertEquals(1, s.label(1));
        assertEquals(2, s.numAnomalousSteps());
        assertArrayEquals(new int[]{0, 1, 1, 0}, s.copyLabels());
        assertThrows(IndexOutOfBoundsException.class, () -> s.value(4, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.value(0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.label(-1));
    }

    @Test
    void defensiveCopies() {
        float[] v = values(2, 2);
        int[] l = {0, 1};
        MultivariateSeries s = new MultivariateSeries("s", 2, 2, v, l);
        v[0] = 99f;
        l[0] = 1;
        assertEquals(0f, s.value(0, 0));
        assertEquals(0, s.label(0));
        float[] copy = s.copyValues();
        copy[1] = 42f;
        assertNotEquals(42f, s.value(0, 1));
        int[] lc = s.copyLabels();
        lc[1] = 0;
        assertEquals(1, s.label(1));
        assertNotSame(s.copyValues(), s.copyValues());
        assertSame(s.valuesView(), s.valuesView());
    }

    @Test
    void unlabelled() {
        MultivariateSeries s = new MultivariateSeries("u", 2, 1, new float[]{1, 2});
        assertFalse(s.hasLabels());
        assertThrows(IllegalStateException.class, () -> s.label(0));
        assertThrows(IllegalStateException.class, s::copyLabels);
    }

    @Test
    void validation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultivariateSeries("s", 3, 2, new float[5]));
        assertTrue(e.getMessage().contains("3 x 2 = 6") && e.getMessage().contains("found 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MultivariateSeries("s", 0, 2, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new MultivariateSeries("s", 1, 0, new float[0]));
        e = assertThrows(IllegalArgumentException.class,
                () -> new MultivariateSeries("s", 2, 2, new float[4], new int[3]));
        assertTrue(e.getMessage().contains("expected 2 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MultivariateSeries("s", 2, 2, new float[4], new int[]{0, 2}));
        assertTrue(e.getMessage().contains("time step 1") && e.getMessage().contains("is 2"), e.getMessage());

        float[] bad = values(3, 4);
        bad[2 * 4 + 1] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> new MultivariateSeries("nan", 3, 4, bad));
        assertTrue(e.getMessage().contains("time step 2, variable 1") && e.getMessage().contains("row 3, column 2")
                && e.getMessage().contains("NaN"), e.getMessage());
        float[] inf = values(3, 4);
        inf[0] = Float.NEGATIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> new MultivariateSeries("inf", 3, 4, inf));
        assertTrue(e.getMessage().contains("time step 0, variable 0") && e.getMessage().contains("Infinity"),
                e.getMessage());
    }

    @Test
    void sliceKeepsTimeOrderAndLabels() {
        MultivariateSeries s = new MultivariateSeries("s", 5, 2, values(5, 2), new int[]{0, 0, 1, 1, 0});
        MultivariateSeries slice = s.slice(1, 4);
        assertEquals(3, slice.numSteps());
        assertEquals(2, slice.numVariables());
        assertEquals(s.value(1, 0), slice.value(0, 0));
        assertEquals(s.value(3, 1), slice.value(2, 1));
        assertArrayEquals(new int[]{0, 1, 1}, slice.copyLabels());
        assertEquals("s[1:4]", slice.name());
        assertArrayEquals(s.copyValues(), s.slice(0, 5).copyValues());
        assertArrayEquals(s.copyLabels(), s.slice(0, 5).copyLabels());
        MultivariateSeries unlabelled = new MultivariateSeries("u", 5, 2, values(5, 2));
        assertFalse(unlabelled.slice(2, 5).hasLabels());
        assertThrows(IndexOutOfBoundsException.class, () -> s.slice(2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> s.slice(-1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> s.slice(0, 6));
    }

    @Test
    void equalsAndHashCode() {
        MultivariateSeries a = new MultivariateSeries("s", 2, 2, values(2, 2), new int[]{0, 1});
        MultivariateSeries b = new MultivariateSeries("s", 2, 2, values(2, 2), new int[]{0, 1});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new MultivariateSeries("s", 2, 2, values(2, 2)));
        assertNotEquals(a, new MultivariateSeries("t", 2, 2, values(2, 2), new int[]{0, 1}));
        assertTrue(a.toString().contains("anomalousSteps=1"));
    }

    @Test
    void selectVariablesKeepsStepsAndLabels() {
        MultivariateSeries s = new MultivariateSeries("s", 4, 3, values(4, 3), new int[]{0, 1, 1, 0});
        MultivariateSeries two = s.selectVariables(2, 0);
        assertEquals(4, two.numSteps());
        assertEquals(2, two.numVariables());
        assertEquals("s{v2,v0}", two.name());
        for (int t = 0; t < 4; t++) {
            assertEquals(s.value(t, 2), two.value(t, 0));
            assertEquals(s.value(t, 0), two.value(t, 1));
            assertEquals(s.label(t), two.label(t));
        }
        assertThrows(IllegalArgumentException.class, () -> s.selectVariables(3));
        assertThrows(IllegalArgumentException.class, () -> s.selectVariables(1, 1));
        assertThrows(IllegalArgumentException.class, s::selectVariables);
    }
}
