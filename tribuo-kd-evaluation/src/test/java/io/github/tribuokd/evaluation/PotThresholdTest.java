package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PotThresholdTest {

    private static double[] exponential(int n, long seed) {
        return GeneralizedParetoFitTest.sampleGpd(n, 0.0, 1.0, seed);
    }

    @Test
    public void defaults() {
        assertEquals(1e-3, PotThreshold.DEFAULT_Q);
        assertEquals(0.98, PotThreshold.DEFAULT_LEVEL);
        double[] cal = exponential(20_000, 1);
        PotThreshold a = PotThreshold.fit(cal);
        PotThreshold b = PotThreshold.fit(cal, 1e-3, 0.98);
        assertEquals(b.value(), a.value());
        assertEquals(b.provenance(), a.provenance());
    }

    @Test
    public void exponentialTailQuantile() {
        double[] cal = exponential(100_000, 42);
        double[] copy = cal.clone();
        PotThreshold pot = PotThreshold.fit(cal, 1e-3, 0.98);
        assertTrue(Arrays.equals(copy, cal), "input must not be modified");
        double expected = Math.log(1000.0);
        assertEquals(expected, pot.value(), 0.05 * expected, pot.toString());
        assertEquals(Math.log(50.0), pot.initialThreshold(), 0.05 * Math.log(50.0));
        assertEquals(QuantileThreshold.fit(cal, 0.98).value(), pot.initialThreshold(), 0.0);
        assertEquals(100_000, pot.numCalibrationScores());
        assertEquals(100_000L, pot.numObservations());
        long above = Arrays.stream(cal).filter(s -> s > pot.initialThreshold()).count();
        assertEquals(above, pot.numPeaks());
        assertEquals(0.0, pot.gpdFit().gamma(), 0.1);
        assertEquals(1.0, pot.gpdFit().sigma(), 0.1);
    }

    @Test
    public void gpdTailQuantileAndFlaggedFraction() {
        double gamma = 0.2;
        double sigma = 1.0;
        double q = 1e-3;
        double[] cal = GeneralizedParetoFitTest.sampleGpd(100_000, gamma, sigma, 7);
        PotThreshold pot = PotThreshold.fit(cal, q, 0.98);
        double analytic = sigma / gamma * (Math.pow(q, -gamma) - 1.0);
        assertEquals(analytic, pot.value(), 0.05 * analytic, pot.toString());
        // The tail above t of a GPD is a GPD with the same shape and scale sigma + gamma * t.
        assertEquals(gamma, pot.gpdFit().gamma(), 0.1);
        assertEquals(sigma + gamma * pot.initialThreshold(), pot.gpdFit().sigma(),
                0.1 * (sigma + gamma * pot.initialThreshold()));

        double[] fresh = GeneralizedParetoFitTest.sampleGpd(1_000_000, gamma, sigma, 8);
        long flagged = Arrays.stream(fresh).filter(pot::isAnomalous).count();
        double rate = flagged / 1_000_000.0;
        assertTrue(rate > q / 2 && rate < 2 * q, "flagged fraction " + rate);
    }

    @Test
    public void exponentialFlaggedFraction() {
        PotThreshold pot = PotThreshold.fit(exponential(100_000, 3));
        double[] fresh = exponential(1_000_000, 4);
        long flagged = Arrays.stream(fresh).filter(pot::isAnomalous).count();
        double rate = flagged / 1_000_000.0;
        assertTrue(rate > 0.5e-3 && rate < 2e-3, "flagged fraction " + rate);
    }

    @Test
    public void thresholdFormula() {
        double t = 2.0;
        // gamma != 0: t + sigma/gamma ((q n / Nt)^-gamma - 1).
        double r = 1e-3 * 1000 / 20.0;
        assertEquals(t + 1.5 / 0.25 * (Math.pow(r, -0.25) - 1.0),
                PotThreshold.tailQuantile(t, 0.25, 1.5, 1e-3, 1000, 20), 1e-12);
        assertEquals(t - 1.5 * Math.log(r), PotThreshold.tailQuantile(t, 0.0, 1.5, 1e-3, 1000, 20), 1e-12);
        // |gamma| below the tolerance uses the exponential formula.
        assertEquals(t - 1.5 * Math.log(r), PotThreshold.tailQuantile(t, 1e-9, 1.5, 1e-3, 1000, 20), 0.0);
        // Continuity at gamma -> 0.
        assertEquals(PotThreshold.tailQuantile(t, 0.0, 1.5, 1e-3, 1000, 20),
                PotThreshold.tailQuantile(t, 1e-6, 1.5, 1e-3, 1000, 20), 1e-4);
    }

    @Test
    public void fittedValueMatchesFormulaAndProvenance() {
        double[] cal = GeneralizedParetoFitTest.sampleGpd(50_000, -0.1, 2.0, 5);
        PotThreshold pot = PotThreshold.fit(cal, 1e-4, 0.95);
        GeneralizedParetoFit refit = GeneralizedParetoFit.fit(pot.peaks());
        assertEquals(refit.gamma(), pot.gpdFit().gamma(), 0.0);
        assertEquals(refit.sigma(), pot.gpdFit().sigma(), 0.0);
        double gamma = pot.usedExponentialBranch() ? 0.0 : refit.gamma();
        assertEquals(PotThreshold.tailQuantile(pot.initialThreshold(), gamma, refit.sigma(), 1e-4, 50_000,
                pot.numPeaks()), pot.value(), 0.0);

        ThresholdProvenance p = pot.provenance();
        assertEquals(PotThreshold.class.getName(), p.getClassName());
        assertEquals(1e-4, p.getDouble(ThresholdProvenance.Q));
        assertEquals(0.95, p.getDouble(ThresholdProvenance.LEVEL));
        assertEquals(50_000, p.getInt(ThresholdProvenance.NUM_CALIBRATION_SCORES));
        assertEquals(50_000L, p.getLong(ThresholdProvenance.NUM_OBSERVATIONS));
        assertEquals(pot.initialThreshold(), p.getDouble(ThresholdProvenance.INITIAL_THRESHOLD));
        assertEquals(pot.gpdFit().gamma(), p.getDouble(ThresholdProvenance.GAMMA));
        assertEquals(pot.gpdFit().sigma(), p.getDouble(ThresholdProvenance.SIGMA));
        assertEquals(pot.numPeaks(), p.getInt(ThresholdProvenance.NUM_PEAKS));
        assertEquals(pot.usedExponentialBranch(), p.getBoolean(ThresholdProvenance.EXPONENTIAL_BRANCH));
        assertEquals(pot.gpdFit().candidate().name(), p.getString(ThresholdProvenance.GPD_CANDIDATE));
        assertEquals(pot.gpdFit().numRoots(), p.getInt(ThresholdProvenance.GPD_NUM_ROOTS));
        assertEquals(pot.gpdFit().logLikelihood(), p.getDouble(ThresholdProvenance.GPD_LOG_LIKELIHOOD));
        assertEquals(pot.value(), p.getDouble(ThresholdProvenance.THRESHOLD));
        assertFalse(p.get(ThresholdProvenance.NUM_STREAM_ANOMALIES).isPresent());
    }

    @Test
    public void strictComparison() {
        PotThreshold pot = PotThreshold.fit(exponential(20_000, 9));
        assertFalse(pot.isAnomalous(pot.value()));
        assertTrue(pot.isAnomalous(Math.nextUp(pot.value())));
        assertFalse(pot.isAnomalous(Double.NaN));
    }

    @Test
    public void streamingSpotStaysCloseToBatch() {
        double[] cal = exponential(20_000, 10);
        double[] stream = exponential(30_000, 11);
        PotThreshold pot = PotThreshold.fit(cal);
        PotThreshold.Spot spot = pot.stream();
        assertEquals(pot.value(), spot.threshold(), 0.0);
        assertEquals(pot.initialThreshold(), spot.initialThreshold(), 0.0);

        double[] all = new double[cal.length + stream.length];
        System.arraycopy(cal, 0, all, 0, cal.length);
        int kept = cal.length;
        int flagged = 0;
        for (double s : stream) {
            if (spot.update(s)) {
                flagged++;
            } else {
                all[kept++] = s;
            }
        }
        assertEquals(flagged, spot.numAnomalies());
        assertEquals(kept, spot.numObservations());
        PotThreshold batch = PotThreshold.fit(Arrays.copyOf(all, kept));
        assertEquals(batch.value(), spot.threshold(), 0.05 * batch.value(),
                "spot " + spot.threshold() + " batch " + batch);
        assertEquals(Math.log(1000.0), spot.threshold(), 0.07 * Math.log(1000.0));
        assertTrue(flagged < 30_000 * 3e-3, "flagged " + flagged);

        // The streamed state equals a fresh GPD fit of the accumulated peaks.
        PotThreshold snap = spot.snapshot();
        GeneralizedParetoFit refit = GeneralizedParetoFit.fit(snap.peaks());
        assertEquals(refit.gamma(), spot.gpdFit().gamma(), 0.0);
        assertEquals(refit.sigma(), spot.gpdFit().sigma(), 0.0);
        assertEquals(spot.threshold(), snap.value(), 0.0);
        assertEquals(spot.numPeaks(), snap.numPeaks());
        assertEquals(spot.numObservations(), snap.numObservations());
        assertEquals(20_000, snap.numCalibrationScores());
        assertEquals(flagged, snap.provenance().getLong(ThresholdProvenance.NUM_STREAM_ANOMALIES));
        // The original fit is unchanged.
        assertEquals(20_000L, pot.numObservations());
        assertEquals(pot.value(), pot.stream().threshold(), 0.0);
    }

    @Test
    public void spotUpdateRules() {
        PotThreshold pot = PotThreshold.fit(exponential(20_000, 12));
        PotThreshold.Spot spot = pot.stream();
        double z = spot.threshold();
        int peaks = spot.numPeaks();
        long n = spot.numObservations();

        // Anomaly: flagged, not a peak, n unchanged, threshold unchanged.
        assertTrue(spot.update(z + 100.0));
        assertEquals(peaks, spot.numPeaks());
        assertEquals(n, spot.numObservations());
        assertEquals(z, spot.threshold(), 0.0);
        assertEquals(1, spot.numAnomalies());

        // Normal point below t: n + 1 only.
        assertFalse(spot.update(spot.initialThreshold() - 0.5));
        assertEquals(peaks, spot.numPeaks());
        assertEquals(n + 1, spot.numObservations());

        // Peak between t and z_q: added, refitted.
        assertFalse(spot.update(0.5 * (spot.initialThreshold() + z)));
        assertEquals(peaks + 1, spot.numPeaks());
        assertEquals(n + 2, spot.numObservations());

        // Exactly z_q is not anomalous (strict).
        double zNow = spot.threshold();
        assertFalse(spot.update(zNow));
        assertEquals(peaks + 2, spot.numPeaks());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spot.update(Double.NaN));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spot.update(Double.POSITIVE_INFINITY));
    }

    @Test
    public void invalidInputsThrow() {
        double[] cal = exponential(10_000, 13);
        IllegalArgumentException e;
        e = assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(cal, 0.0, 0.98));
        assertTrue(e.getMessage().contains("risk q"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(cal, 1.0, 0.98));
        assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(cal, Double.NaN, 0.98));
        e = assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(cal, 1e-3, 1.0));
        assertTrue(e.getMessage().contains("level"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(cal, 1e-3, 0.0));
        assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(cal, 1e-3, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(null));
        assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(new double[0]));
        double[] withNaN = cal.clone();
        withNaN[17] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(withNaN));
        assertTrue(e.getMessage().contains("index 17"), e.getMessage());

        // 100 scores at level 0.98: h = 0.98 * 99 = 97.02, t lies between x_97 and x_98: 2 peaks above it.
        double[] small = exponential(100, 14);
        e = assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(small, 1e-3, 0.98));
        assertTrue(e.getMessage().contains("only 2 of 100"), e.getMessage());
        assertTrue(e.getMessage().contains("at least " + PotThreshold.MIN_PEAKS), e.getMessage());

        // Constant scores: no peaks at all.
        double[] constant = new double[1000];
        Arrays.fill(constant, 3.0);
        e = assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(constant));
        assertTrue(e.getMessage().contains("only 0 of 1000"), e.getMessage());

        // q not below the fraction of peaks.
        e = assertThrows(IllegalArgumentException.class, () -> PotThreshold.fit(cal, 0.05, 0.98));
        assertTrue(e.getMessage().contains("fraction of peaks"), e.getMessage());
    }
}
