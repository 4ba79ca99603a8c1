package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class VolumeUnderSurfaceTest {

    private static final double TOL = 1e-12;

    /** Random labels with both classes present. */
    static int[] twoClassLabels(SplittableRandom rng, int n) {
        int[] labels;
        do {
            labels = RandomSeries.labels(rng, n);
        } while (MetricInputs.countPositives(labels) == 0 || MetricInputs.countPositives(labels) == n);
        return labels;
    }

    @Test
    public void perfectScoresGiveOne() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 30; trial++) {
            int n = 2 + rng.nextInt(400);
            int[] labels = twoClassLabels(rng, n);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = labels[i];
            }
            VolumeUnderSurface.Result r = VolumeUnderSurface.compute(scores, labels, rng.nextInt(30));
            assertEquals(1.0, r.vusRoc(), TOL);
            assertEquals(1.0, r.vusPr(), TOL);
        }
    }

    @Test
    public void invariantUnderStrictlyIncreasingTransforms() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int trial = 0; trial < 30; trial++) {
            int n = 2 + rng.nextInt(600);
            int[] labels = twoClassLabels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            int window = rng.nextInt(40);
            VolumeUnderSurface.Result r = VolumeUnderSurface.compute(scores, labels, window);
            double[] exp = new double[n];
            double[] affine = new double[n];
            for (int i = 0; i < n; i++) {
                exp[i] = Math.exp(scores[i]);
                affine[i] = 3 * scores[i] - 7;
            }
            for (double[] transformed : new double[][]{exp, affine}) {
                VolumeUnderSurface.Result t = VolumeUnderSurface.compute(transformed, labels, window);
                assertEquals(r.vusRoc(), t.vusRoc(), 0.0);
                assertEquals(r.vusPr(), t.vusPr(), 0.0);
            }
        }
    }

    @Test
    public void invariantUnderTimeReversal() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 30; trial++) {
            int n = 2 + rng.nextInt(500);
            int[] labels = twoClassLabels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            int window = rng.nextInt(40);
            VolumeUnderSurface.Result r = VolumeUnderSurface.compute(scores, labels, window);
            VolumeUnderSurface.Result t = VolumeUnderSurface.compute(reverse(scores), reverse(labels), window);
            assertEquals(r.vusRoc(), t.vusRoc(), 1e-12);
            assertEquals(r.vusPr(), t.vusPr(), 1e-12);
        }
    }

    @Test
    public void equalsALiteralPortOfTheReference() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int trial = 0; trial < 40; trial++) {
            int n = 2 + rng.nextInt(rng.nextBoolean() ? 120 : 700);
            int[] labels = twoClassLabels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            int window = rng.nextInt(25);
            VolumeUnderSurface.Result r = VolumeUnderSurface.compute(scores, labels, window);
            double[][] expected = literalPort(scores, labels, window);
            assertArrayEquals(expected[0], r.rangeAucRoc(), 1e-12);
            assertArrayEquals(expected[1], r.rangeAucPr(), 1e-12);
            assertEquals(window, r.window());
        }
    }

    @Test
    public void noBufferForWindowsZeroAndOneAndBounds() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 30; trial++) {
            int n = 2 + rng.nextInt(300);
            int[] labels = twoClassLabels(rng, n);
            double[] scores = RandomSeries.scores(rng, labels);
            double[] roc = VolumeUnderSurface.compute(scores, labels, 1).rangeAucRoc();
            assertEquals(roc[0], roc[1], 0.0);
            VolumeUnderSurface.Result r = VolumeUnderSurface.compute(scores, labels, 20);
            assertTrue(r.vusRoc() >= 0 && r.vusRoc() <= 1 + TOL, r.toString());
            assertTrue(r.vusPr() >= 0 && r.vusPr() <= 1 + TOL, r.toString());
        }
        double[] s = {0.1, 0.9, 0.2, 0.3};
        int[] y = {0, 1, 0, 0};
        assertEquals(VolumeUnderSurface.compute(s, y, VolumeUnderSurface.DEFAULT_WINDOW).vusPr(),
                VolumeUnderSurface.compute(s, y).vusPr(), 0.0);
    }

    @Test
    public void badInputThrows() {
        assertThrows(IllegalArgumentException.class,
                () -> VolumeUnderSurface.compute(new double[]{1, 2}, new int[]{1, 1}, 3));
        assertThrows(IllegalArgumentException.class,
                () -> VolumeUnderSurface.compute(new double[]{1, 2}, new int[]{0, 0}, 3));
        assertThrows(IllegalArgumentException.class,
                () -> VolumeUnderSurface.compute(new double[]{1, 2}, new int[]{0, 1}, -1));
        assertThrows(IllegalArgumentException.class,
                () -> VolumeUnderSurface.compute(new double[]{1, Double.NaN}, new int[]{0, 1}, 2));
    }

    static double[] reverse(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[v.length - 1 - i];
        }
        return r;
    }

    static int[] reverse(int[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[v.length - 1 - i];
        }
        return r;
    }

    /**
     * A direct, O(W · 250 · n) transcription of TSB-AD's RangeAUC_volume_opt, with dense arrays: per window the
     * extended labels, the merged regions, and for every threshold the full TP/N_labels sums.
     */
    static double[][] literalPort(double[] score, int[] labelsOriginal, int windowSize) {
        int n = score.length;
        int p = 0;
        for (int v : labelsOriginal) {
            p += v;
        }
        List<int[]> seq = new ArrayList<>();
        for (int[] g : Segments.of(labelsOriginal)) {
            seq.add(new int[]{g[0], g[1] - 1});
        }
        List<int[]> l = newSequence(seq, windowSize, n);
        double[] sorted = score.clone();
        Arrays.sort(sorted);
        double[] idx = TsbAdConventions.linspace(0, n - 1, 250);
        double[] rocs = new double[windowSize + 1];
        double[] prs = new double[windowSize + 1];
        for (int window = 0; window <= windowSize; window++) {
            double[] ext = new double[n];
            for (int i = 0; i < n; i++) {
                ext[i] = labelsOriginal[i];
            }
            for (int[] g : seq) {
                for (int x = g[1] + 1; x < Math.min(g[1] + window / 2 + 1, n); x++) {
                    ext[x] += Math.sqrt(1 - (double) (x - g[1]) / window);
                }
                for (int x = Math.max(g[0] - window / 2, 0); x < g[0]; x++) {
                    ext[x] += Math.sqrt(1 - (double) (g[0] - x) / window);
                }
            }
            for (int i = 0; i < n; i++) {
                ext[i] = Math.min(1.0, ext[i]);
            }
            List<int[]> regions = newSequence(seq, window, n);
            double[] tpr = new double[252];
            double[] fpr = new double[252];
            double[] prec = new double[251];
            for (int k = 0; k < 250; k++) {
                double threshold = sorted[n - 1 - (int) idx[k]];
                double[] labels = ext.clone();
                int existence = 0;
                int nPred = 0;
                for (int i = 0; i < n; i++) {
                    nPred += score[i] >= threshold ? 1 : 0;
                }
                for (int[] g : regions) {
                    boolean any = false;
                    for (int x = g[0]; x <= g[1]; x++) {
                        boolean pred = score[x] >= threshold;
                        labels[x] = ext[x] * (pred ? 1 : 0);
                        any |= pred;
                    }
                    existence += any ? 1 : 0;
                }
                for (int[] g : seq) {
                    for (int x = g[0]; x <= g[1]; x++) {
                        labels[x] = 1;
                    }
                }
                double tp = 0;
                double nLabels = 0;
                for (int[] g : l) {
                    for (int x = g[0]; x <= g[1]; x++) {
                        tp += score[x] >= threshold ? labels[x] : 0;
                        nLabels += labels[x];
                    }
                }
                double pNew = (p + nLabels) / 2;
                double recall = Math.min(tp / pNew, 1);
                tpr[k + 1] = recall * existence / regions.size();
                fpr[k + 1] = (nPred - tp) / (n - pNew);
                prec[k + 1] = tp / nPred;
            }
            tpr[251] = 1;
            fpr[251] = 1;
            double auc = 0;
            for (int k = 1; k < 252; k++) {
                auc += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
            }
            double ap = 0;
            for (int k = 1; k < 251; k++) {
                ap += (tpr[k] - tpr[k - 1]) * prec[k];
            }
            rocs[window] = auc;
            prs[window] = ap;
        }
        return new double[][]{rocs, prs};
    }

    /** TSB-AD's new_sequence. */
    private static List<int[]> newSequence(List<int[]> seq, int window, int n) {
        List<int[]> out = new ArrayList<>();
        int a = Math.max(seq.get(0)[0] - window / 2, 0);
        for (int i = 0; i < seq.size() - 1; i++) {
            if (seq.get(i)[1] + window / 2 < seq.get(i + 1)[0] - window / 2) {
                out.add(new int[]{a, seq.get(i)[1] + window / 2});
                a = seq.get(i + 1)[0] - window / 2;
            }
        }
        out.add(new int[]{a, Math.min(seq.get(seq.size() - 1)[1] + window / 2, n - 1)});
        return out;
    }
}
