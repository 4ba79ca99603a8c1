package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests of {@link RangeBasedF1}, {@link EventBasedF1}, {@link AffiliationMetrics} and their oracle
 * {@link BestOverThresholds} (golden values against TSB-AD are in {@link TsbAdGoldenTest}).
 */
public class RangeEventAffiliationTest {

    private static final double TOL = 1e-12;

    @Test
    public void perfectPredictionsScoreOne() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 50; trial++) {
            int n = 3 + rng.nextInt(300);
            int[] labels = VolumeUnderSurfaceTest.twoClassLabels(rng, n);
            RangeBasedF1.Result range = RangeBasedF1.of(labels, labels);
            assertEquals(1.0, range.precision(), TOL);
            assertEquals(1.0, range.recall(), TOL);
            assertEquals(1.0, range.f1(), TOL);
            AffiliationMetrics.Result aff = AffiliationMetrics.of(labels, labels);
            assertEquals(1.0, aff.precision(), TOL);
            assertEquals(1.0, aff.recall(), TOL);
            assertEquals(1.0, aff.f(), TOL);
            EventBasedF1.Result event = EventBasedF1.of(labels, labels);
            assertEquals(1.0, event.precision(), TOL);
            // TSB-AD's convention: a one-point event at the last index is never detected.
            boolean lastIsOnePointEvent = labels[n - 1] == 1 && labels[n - 2] == 0;
            int events = Segments.of(labels).length;
            assertEquals(lastIsOnePointEvent ? (events - 1.0) / events : 1.0, event.recall(), TOL);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = labels[i];
            }
            assertEquals(1.0, RangeBasedF1.bestOverThresholds(scores, labels).value(), TOL);
            assertEquals(1.0, AffiliationMetrics.bestOverThresholds(scores, labels).value(), TOL);
        }
    }

    @Test
    public void tsbAdQuirksAreKept() {
        int[] labels = {0, 0, 1, 1, 0, 0, 0, 1};
        int[] all = {1, 1, 1, 1, 1, 1, 1, 1};
        // A vector of only 1s has no range: precision 0, so F1 0 (recall keeps its existence part 0.2).
        RangeBasedF1.Result r = RangeBasedF1.of(all, labels);
        assertEquals(0.0, r.precision(), 0.0);
        assertEquals(0.2, r.recall(), TOL);
        assertEquals(0.0, r.f1(), 0.0);
        // The event at the last index is never detected.
        assertEquals(0.5, EventBasedF1.of(all, labels).recall(), 0.0);
        // Nothing predicted: affiliation precision undefined, F NaN; range and event F1 zero.
        int[] none = new int[labels.length];
        assertTrue(Double.isNaN(AffiliationMetrics.of(none, labels).precision()));
        assertTrue(Double.isNaN(AffiliationMetrics.of(none, labels).f()));
        assertEquals(0.0, AffiliationMetrics.of(none, labels).recall(), 0.0);
        assertEquals(0.0, RangeBasedF1.of(none, labels).f1(), 0.0);
        assertEquals(0.0, EventBasedF1.of(none, labels).f1(), 0.0);
    }

    @Test
    public void rangeAndAffiliationAreInvariantUnderTimeReversal() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int trial = 0; trial < 50; trial++) {
            int n = 3 + rng.nextInt(300);
            int[] labels = VolumeUnderSurfaceTest.twoClassLabels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            double t = scores[rng.nextInt(n)] - 1e-9;
            int[] rl = VolumeUnderSurfaceTest.reverse(labels);
            double[] rs = VolumeUnderSurfaceTest.reverse(scores);
            RangeBasedF1.Result a = RangeBasedF1.at(scores, labels, t);
            RangeBasedF1.Result b = RangeBasedF1.at(rs, rl, t);
            assertEquals(a.precision(), b.precision(), TOL);
            assertEquals(a.recall(), b.recall(), TOL);
            AffiliationMetrics.Result c = AffiliationMetrics.at(scores, labels, t);
            AffiliationMetrics.Result d = AffiliationMetrics.at(rs, rl, t);
            assertEquals(c.precision(), d.precision(), 1e-9);
            assertEquals(c.recall(), d.recall(), 1e-9);
        }
    }

    @Test
    public void valuesAreProbabilitiesAndMorePredictionsNeverLowerRecall() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int trial = 0; trial < 50; trial++) {
            int n = 3 + rng.nextInt(300);
            int[] labels = VolumeUnderSurfaceTest.twoClassLabels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            double[] sorted = scores.clone();
            java.util.Arrays.sort(sorted);
            double high = sorted[n - 1 - rng.nextInt(n)];
            double low = Math.min(high, sorted[rng.nextInt(n)]);
            EventBasedF1.Result eHigh = EventBasedF1.at(scores, labels, high);
            EventBasedF1.Result eLow = EventBasedF1.at(scores, labels, low);
            assertTrue(eLow.recall() >= eHigh.recall());
            AffiliationMetrics.Result aHigh = AffiliationMetrics.at(scores, labels, high);
            AffiliationMetrics.Result aLow = AffiliationMetrics.at(scores, labels, low);
            assertTrue(aLow.recall() >= aHigh.recall() - 1e-12, aLow + " " + aHigh);
            for (double v : new double[]{eLow.f1(), eLow.precision(), RangeBasedF1.at(scores, labels, low).f1(),
                    RangeBasedF1.at(scores, labels, low).recall(), aLow.recall()}) {
                assertTrue(v >= 0 && v <= 1 + TOL, Double.toString(v));
            }
            if (!Double.isNaN(aLow.precision())) {
                assertTrue(aLow.precision() >= -TOL && aLow.precision() <= 1 + TOL);
            }
        }
    }

    @Test
    public void oracleIsTheBestOfItsGridAndReproducible() {
        SplittableRandom rng = new SplittableRandom(14);
        for (int trial = 0; trial < 30; trial++) {
            int n = 3 + rng.nextInt(200);
            int[] labels = VolumeUnderSurfaceTest.twoClassLabels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            BestOverThresholds range = RangeBasedF1.bestOverThresholds(scores, labels);
            BestOverThresholds event = EventBasedF1.bestOverThresholds(scores, labels);
            BestOverThresholds aff = AffiliationMetrics.bestOverThresholds(scores, labels);
            assertTrue(range.oracle() && range.thresholds() == 100 && range.toString().contains("oracle"));
            assertEquals(range.value(), RangeBasedF1.at(scores, labels, range.threshold()).f1(), 0.0);
            assertEquals(event.value(), EventBasedF1.at(scores, labels, event.threshold()).f1(), 0.0);
            assertEquals(aff.value(), AffiliationMetrics.at(scores, labels, aff.threshold()).f(), 0.0);
            for (double t : TsbAdConventions.oracleThresholds(scores)) {
                assertTrue(RangeBasedF1.at(scores, labels, t).f1() <= range.value());
                assertTrue(EventBasedF1.at(scores, labels, t).f1() <= event.value());
                double f = AffiliationMetrics.at(scores, labels, t).f();
                assertTrue(Double.isNaN(f) || f <= aff.value());
            }
            // Doubling the scores doubles every grid threshold exactly: same predictions, same oracle values.
            double[] doubled = new double[n];
            for (int i = 0; i < n; i++) {
                doubled[i] = 2 * scores[i];
            }
            assertEquals(range.value(), RangeBasedF1.bestOverThresholds(doubled, labels).value(), 0.0);
            assertEquals(event.value(), EventBasedF1.bestOverThresholds(doubled, labels).value(), 0.0);
            assertEquals(aff.value(), AffiliationMetrics.bestOverThresholds(doubled, labels).value(), 0.0);
        }
    }

    @Test
    public void extremeScoresStillWork() {
        // max - min overflows: the grid is NaN (as NumPy's), so no threshold predicts anything.
        double[] scores = {-1e308, 1e308, 0, 5, -3, 1e308};
        int[] labels = {0, 1, 0, 1, 0, 1};
        assertEquals(0.0, RangeBasedF1.bestOverThresholds(scores, labels).value(), 0.0);
        assertEquals(0.0, EventBasedF1.bestOverThresholds(scores, labels).value(), 0.0);
        assertTrue(Double.isNaN(AffiliationMetrics.bestOverThresholds(scores, labels).value()));
        assertTrue(VolumeUnderSurface.compute(scores, labels, 3).vusPr() > 0);
        AnomalyMetrics.compute(scores, labels, 1.0, 1L, 3);
    }

    @Test
    public void linspaceIsNumpys() {
        // np.linspace(0, 9, 250).astype(int)[:6] == [0, 0, 0, 0, 0, 0]; [-3:] == [8, 8, 9]
        double[] y = TsbAdConventions.linspace(0, 9, 250);
        assertEquals(0, (int) y[5]);
        assertEquals(8, (int) y[247]);
        assertEquals(8, (int) y[248]);
        assertEquals(9, (int) y[249]);
        // np.linspace(0.1, 0.7, 100)[[1, 50, 98, 99]]
        double[] z = TsbAdConventions.linspace(0.1, 0.7, 100);
        assertEquals(0.10606060606060606, z[1], 0.0);
        assertEquals(0.40303030303030307, z[50], 0.0);
        assertEquals(0.693939393939394, z[98], 0.0);
        assertEquals(0.7, z[99], 0.0);
        double[] flat = TsbAdConventions.linspace(2.5, 2.5, 100);
        assertEquals(2.5, flat[0], 0.0);
        assertEquals(2.5, flat[99], 0.0);
    }

    @Test
    public void badInputThrows() {
        assertThrows(IllegalArgumentException.class,
                () -> EventBasedF1.at(new double[]{1, 2}, new int[]{0, 0}, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> AffiliationMetrics.at(new double[]{1, 2}, new int[]{0, 0}, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> RangeBasedF1.at(new double[]{1, 2}, new int[]{0, 1}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RangeBasedF1.of(new int[]{0, 2}, new int[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> RangeBasedF1.of(new int[]{0, 1, 1}, new int[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> AffiliationMetrics.of(null, new int[]{0, 1}));
    }
}
