package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class DriftNormaliserTest {

    @Test
    public void dividesByTheMedianOfThePreviousWindowMeans() {
        DriftNormaliser d = new DriftNormaliser(2);
        assertTrue(Double.isNaN(d.reference()));
        double[] out = new double[2];
        d.normalise(new double[]{1, 3}, out);          // no history: its own mean 2
        assertArrayEquals(new double[]{0.5, 1.5}, out, 1e-12);
        d.observe(new double[]{4, 4});                 // history 2, 4
        assertEquals(3.0, d.reference(), 1e-12);
        d.normalise(new double[]{6, 0}, out);          // / 3, then history 4, 3
        assertArrayEquals(new double[]{2, 0}, out, 1e-12);
        assertEquals(3.5, d.reference(), 1e-12);
        d.normalise(new double[]{7, 7}, out);
        assertArrayEquals(new double[]{2, 2}, out, 1e-12);
        // odd history: the middle value
        DriftNormaliser three = new DriftNormaliser(3);
        three.observe(new double[]{10});
        three.observe(new double[]{1});
        three.observe(new double[]{5});
        assertEquals(5.0, three.reference(), 1e-12);
    }

    @Test
    public void aLevelShiftIsAbsorbedWhileAShortBurstStandsOut() {
        int k = 30;
        double[][] windows = new double[300][4];
        for (int w = 0; w < 300; w++) {
            double level = w < 150 ? 1.0 : 10.0;                 // the series drifts to 10x the error level
            double burst = w == 100 || w == 250 ? 8.0 : 1.0;     // two short anomalies
            for (int t = 0; t < 4; t++) {
                windows[w][t] = level * burst * (1 + 0.1 * ((w + t) % 3));
            }
        }
        double[][] out = DriftNormaliser.normaliseAll(new double[0][], windows, k);
        double maxNormalAfterShift = 0;
        for (int w = 150 + k / 2 + 1; w < 300; w++) {
            if (w != 250) {
                for (double v : out[w]) {
                    maxNormalAfterShift = Math.max(maxNormalAfterShift, v);
                }
            }
        }
        assertTrue(maxNormalAfterShift < 1.5, "after the shift normal windows are back near 1: "
                + maxNormalAfterShift);
        assertTrue(out[100][0] > 6 && out[250][0] > 6, out[100][0] + " " + out[250][0]);
    }

    @Test
    public void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new DriftNormaliser(0));
        assertThrows(IllegalArgumentException.class, () -> new DriftNormaliser(3, -1));
        DriftNormaliser d = new DriftNormaliser(3);
        assertThrows(IllegalArgumentException.class, () -> d.observe(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> d.observe(new double[]{1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> d.observe(new double[]{1, Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> d.normalise(new double[]{1, 2}, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> d.normalise(null, new double[1]));
        assertEquals("DriftNormaliser(K=3, G=0, windows seen=0)", d.toString()); // nothing was added by bad input
        // a slightly negative score (exp(log score) - epsilon) is accepted; a non-positive reference divides by 1
        double[] out = new double[1];
        d.normalise(new double[]{-1e-7}, out);
        assertEquals(-1e-7, out[0], 1e-20);
        d.normalise(new double[]{2}, out);
        assertEquals(2.0, out[0], 1e-12);
    }
    /** The reference with a gap, against a direct computation over the whole history of window means. */
    @Test
    public void theGapSkipsTheLastGWindowsAgainstADirectComputation() {
        java.util.Random rng = new java.util.Random(7);
        for (int[] kg : new int[][]{{1, 0}, {4, 0}, {3, 2}, {5, 7}, {10, 3}}) {
            int k = kg[0], g = kg[1];
            DriftNormaliser d = new DriftNormaliser(k, g);
            java.util.List<Double> means = new java.util.ArrayList<>();
            double[] out = new double[3];
            for (int w = 0; w < 40; w++) {
                double[] scores = {rng.nextDouble() * 5, rng.nextDouble() * 5, rng.nextDouble() * 5};
                double mean = (scores[0] + scores[1] + scores[2]) / 3;
                // direct: windows [w - G - K, w - G); all of them while w <= G; its own mean before any
                int hi = w - g, lo = Math.max(0, hi - k);
                double[] ref = hi > lo ? means.subList(lo, hi).stream().mapToDouble(Double::doubleValue).toArray()
                        : means.stream().mapToDouble(Double::doubleValue).toArray();
                double expected = ref.length == 0 ? mean : median(ref);
                if (ref.length > 0) {
                    assertEquals(expected, d.reference(), 1e-12, "K=" + k + " G=" + g + " window " + w);
                }
                d.normalise(scores, out);
                for (int t = 0; t < 3; t++) {
                    assertEquals(scores[t] / expected, out[t], 1e-12, "K=" + k + " G=" + g + " window " + w);
                }
                means.add(mean);
            }
        }
    }

    /** A segment longer than K/2 hides itself without a gap and stands out for its first G windows with one. */
    @Test
    public void aGapKeepsALongSegmentOutOfItsOwnReference() {
        int k = 30, g = 60;
        double[][] windows = new double[400][2];
        for (int w = 0; w < 400; w++) {
            double level = w >= 200 && w < 250 ? 6.0 : 1.0; // a 50-window anomaly segment
            windows[w][0] = level * (1 + 0.05 * (w % 4));
            windows[w][1] = level;
        }
        double[][] noGap = DriftNormaliser.normaliseAll(new double[0][], windows, k, 0);
        double[][] withGap = DriftNormaliser.normaliseAll(new double[0][], windows, k, g);
        assertTrue(noGap[245][1] < 1.5, "without a gap the segment's end is judged against itself: " + noGap[245][1]);
        for (int w = 200; w < 250; w++) {
            assertTrue(withGap[w][1] > 5, "with the gap window " + w + " stands out: " + withGap[w][1]);
        }
        assertEquals("DriftNormaliser(K=30, G=60, windows seen=0)", new DriftNormaliser(k, g).toString());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return (n & 1) == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
