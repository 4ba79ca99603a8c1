package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class MetricInputsTest {

    private static void assertMessageContains(IllegalArgumentException e, String... facts) {
        for (String fact : facts) {
            assertTrue(e.getMessage().contains(fact), () -> "message '" + e.getMessage() + "' lacks '" + fact + "'");
        }
    }

    @Test
    public void validInputPasses() {
        assertDoesNotThrow(() -> MetricInputs.checkScoresAndLabels(new double[]{0.1, -3.0, 7.0}, new int[]{0, 1, 0}));
        assertDoesNotThrow(() -> MetricInputs.requireBothClasses(new int[]{0, 1}, "X"));
    }

    @Test
    public void nullInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(null, new int[]{0}));
        assertMessageContains(e, "scores", "null");
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[]{0.0}, null));
        assertMessageContains(e, "labels", "null");
    }

    @Test
    public void emptyInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[0], new int[0]));
        assertMessageContains(e, "empty");
    }

    @Test
    public void lengthMismatchGivesBothLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[]{0.1, 0.2, 0.3}, new int[]{0, 1}));
        assertMessageContains(e, "scores.length = 3", "labels.length = 2");
    }

    @Test
    public void nonFiniteScoreGivesIndexAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[]{0.1, 0.2, Double.NaN}, new int[]{0, 1, 0}));
        assertMessageContains(e, "scores[2]", "NaN");
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[]{Double.NEGATIVE_INFINITY, 0.2}, new int[]{0, 1}));
        assertMessageContains(e, "scores[0]", "-Infinity");
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[]{0.0, Double.POSITIVE_INFINITY}, new int[]{0, 1}));
        assertMessageContains(e, "scores[1]", "Infinity");
    }

    @Test
    public void badLabelGivesIndexAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[]{0.1, 0.2, 0.3, 0.4}, new int[]{0, 1, 1, 2}));
        assertMessageContains(e, "labels[3]", "= 2");
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.checkScoresAndLabels(new double[]{0.1, 0.2}, new int[]{-1, 1}));
        assertMessageContains(e, "labels[0]", "= -1");
    }

    /** Issue 23: callers name the model, file or data set; the index in the message is the row. */
    @Test
    public void describingNamesTheInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.compute(new double[]{0.1, Double.NaN}, new int[]{0, 1}, 0.5, 1, "scores s.txt"));
        assertMessageContains(e, "scores s.txt: ", "scores[1]", "NaN");
        assertTrue(e.getMessage().startsWith("scores s.txt: "), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertEquals("ok", MetricInputs.describing("x", () -> "ok"));
        e = assertThrows(IllegalArgumentException.class, () -> DistillationEvaluation.compare(
                new double[]{0.1, 0.2}, 0.5, new double[]{0.1, Double.POSITIVE_INFINITY}, 0.5, new int[]{0, 1},
                v -> v, "raw", 1, 1, Double.NaN, Double.NaN, 1));
        assertTrue(e.getMessage().startsWith("student scores: "), e.getMessage());
    }

    @Test
    public void singleClassGivesCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.requireBothClasses(new int[]{0, 0, 0}, "MyMetric"));
        assertMessageContains(e, "MyMetric", "undefined", "0 positive", "3 negative");
        e = assertThrows(IllegalArgumentException.class,
                () -> MetricInputs.requireBothClasses(new int[]{1, 1}, "MyMetric"));
        assertMessageContains(e, "MyMetric", "undefined", "2 positive", "0 negative");
    }
}
