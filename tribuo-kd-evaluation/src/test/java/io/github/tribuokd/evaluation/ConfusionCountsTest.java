package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ConfusionCountsTest {

    private static final double TOL = 1e-12;

    @Test
    public void definitions() {
        ConfusionCounts c = new ConfusionCounts(2, 1, 5, 4);
        assertEquals(2.0 / 3.0, c.precision(), TOL);
        assertEquals(2.0 / 7.0, c.recall(), TOL);
        assertEquals(0.4, c.f1(), TOL);
        assertEquals(12, c.total());
        assertEquals(2, c.tp());
        assertEquals(1, c.fp());
        assertEquals(5, c.fn());
        assertEquals(4, c.tn());
    }

    @Test
    public void zeroConventionsWithoutEpsilons() {
        // nothing predicted positive: P = 0, F1 = 0
        ConfusionCounts none = new ConfusionCounts(0, 0, 3, 5);
        assertEquals(0.0, none.precision());
        assertEquals(0.0, none.recall());
        assertEquals(0.0, none.f1());
        // no positive labels: R = 0, F1 = 0
        ConfusionCounts noPositives = new ConfusionCounts(0, 2, 0, 5);
        assertEquals(0.0, noPositives.precision());
        assertEquals(0.0, noPositives.recall());
        assertEquals(0.0, noPositives.f1());
        // perfect: exactly 1, no epsilon
        ConfusionCounts perfect = new ConfusionCounts(3, 0, 0, 5);
        assertEquals(1.0, perfect.precision());
        assertEquals(1.0, perfect.recall());
        assertEquals(1.0, perfect.f1());
    }

    @Test
    public void ofPredictions() {
        boolean[] predicted = {true, false, true, true, false};
        int[] labels = {1, 1, 0, 1, 0};
        ConfusionCounts c = ConfusionCounts.of(predicted, labels);
        assertEquals(new ConfusionCounts(2, 1, 1, 1), c);
        assertEquals(c.hashCode(), new ConfusionCounts(2, 1, 1, 1).hashCode());
        assertNotEquals(new ConfusionCounts(2, 1, 1, 2), c);
        assertTrue(c.toString().contains("tp=2"), c.toString());
        assertTrue(c.toString().contains("f1="), c.toString());
    }

    @Test
    public void badInputsThrow() {
        assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(-1, 0, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionCounts.of(new boolean[]{true}, new int[]{0, 1}));
        assertTrue(e.getMessage().contains("same length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionCounts.of(new boolean[0], new int[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionCounts.of(new boolean[]{true, false}, new int[]{0, 2}));
        assertTrue(e.getMessage().contains("labels[1] = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionCounts.of(null, new int[]{0}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionCounts.of(new boolean[]{true}, null));
    }
}
