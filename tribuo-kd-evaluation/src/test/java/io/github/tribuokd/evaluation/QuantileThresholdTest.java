package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class QuantileThresholdTest {

    private static final double TOL = 1e-12;

    @Test
    public void numpyLinearGoldenValues() {
        double[] x = {1, 2, 3, 4};
        // numpy.quantile([1,2,3,4], q) with the default method='linear'.
        assertEquals(2.5, QuantileThreshold.fit(x, 0.5).value(), TOL);
        assertEquals(1.75, QuantileThreshold.fit(x, 0.25).value(), TOL);
        assertEquals(1.0, QuantileThreshold.fit(x, 0.0).value(), TOL);
        assertEquals(4.0, QuantileThreshold.fit(x, 1.0).value(), TOL);
        // Unsorted input: sorted [1,1,2,3,4,5,6,9], h = 0.9 * 7 = 6.3 -> 6 + 0.3 * (9 - 6) = 6.9.
        assertEquals(6.9, QuantileThreshold.fit(new double[]{3, 1, 4, 1, 5, 9, 2, 6}, 0.9).value(), TOL);
        // h = 0.33 * 2 = 0.66 -> 10 + 0.66 * 10 = 16.6.
        assertEquals(16.6, QuantileThreshold.fit(new double[]{30, 10, 20}, 0.33).value(), TOL);
        // A single score is every quantile.
        assertEquals(7.0, QuantileThreshold.fit(new double[]{7}, 0.3).value(), 0.0);
        // Ties.
        assertEquals(2.0, QuantileThreshold.fit(new double[]{2, 2, 2}, 0.8).value(), 0.0);
    }

    @Test
    public void sameDoubleAsTrainersThresholds() {
        // The one quantile function (anomaly's Quantiles): 0.1 + 0.7·(0.7 − 0.1) = 0.52 as doubles; before the
        // merge this class used NumPy's b − (1 − g)·(b − a) for g ≥ 0.5 and gave 0.5199999999999999.
        assertEquals(0.52, QuantileThreshold.fit(new double[]{0.7, 0.1}, 0.7).value(), 0.0);
        double[] x = GeneralizedParetoFitTest.sampleGpd(333, 0.1, 1.0, 5);
        for (int i = 0; i <= 100; i++) {
            double q = i / 100.0;
            assertEquals(io.github.tribuokd.anomaly.Quantiles.quantile(x, q), QuantileThreshold.fit(x, q).value(),
                    0.0);
        }
    }

    @Test
    public void monotoneInQAndWithinRange() {
        double[] x = GeneralizedParetoFitTest.sampleGpd(1000, 0.1, 1.0, 3);
        double prev = Double.NEGATIVE_INFINITY;
        double min = Arrays.stream(x).min().getAsDouble();
        double max = Arrays.stream(x).max().getAsDouble();
        for (int i = 0; i <= 100; i++) {
            double v = QuantileThreshold.fit(x, i / 100.0).value();
            assertTrue(v >= prev);
            assertTrue(v >= min && v <= max);
            prev = v;
        }
    }

    @Test
    public void strictComparisonAndInputUntouched() {
        double[] x = {5, 1, 3};
        double[] copy = x.clone();
        QuantileThreshold th = QuantileThreshold.fit(x, 0.5);
        assertArrayEquals(copy, x, 0.0);
        assertEquals(3.0, th.value(), 0.0);
        assertFalse(th.isAnomalous(3.0));
        assertTrue(th.isAnomalous(3.0000001));
        assertFalse(th.isAnomalous(Double.NaN));
        assertEquals(0.5, th.q());
        assertEquals(3, th.numCalibrationScores());
    }

    @Test
    public void provenance() {
        QuantileThreshold th = QuantileThreshold.fit(new double[]{1, 2, 3, 4}, 0.25);
        ThresholdProvenance p = th.provenance();
        assertEquals(QuantileThreshold.class.getName(), p.getClassName());
        assertEquals(0.25, p.getDouble(ThresholdProvenance.Q));
        assertEquals(4, p.getInt(ThresholdProvenance.NUM_CALIBRATION_SCORES));
        assertEquals(1.75, p.getDouble(ThresholdProvenance.THRESHOLD), TOL);
        assertEquals(QuantileThreshold.INTERPOLATION_RULE, p.getString(ThresholdProvenance.INTERPOLATION));
    }

    @Test
    public void invalidInputsThrow() {
        IllegalArgumentException e;
        e = assertThrows(IllegalArgumentException.class, () -> QuantileThreshold.fit(null, 0.5));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QuantileThreshold.fit(new double[0], 0.5));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> QuantileThreshold.fit(new double[]{1, Double.NaN}, 0.5));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> QuantileThreshold.fit(new double[]{Double.NEGATIVE_INFINITY, 1}, 0.5));
        e = assertThrows(IllegalArgumentException.class, () -> QuantileThreshold.fit(new double[]{1}, -0.1));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantileThreshold.fit(new double[]{1}, 1.1));
        assertThrows(IllegalArgumentException.class, () -> QuantileThreshold.fit(new double[]{1}, Double.NaN));
    }
}
