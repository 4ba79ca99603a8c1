package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class DriftCountRuleSearchTest {

    /** Normal windows of 20 noisy scores around {@code level}; an anomalous window has 5 points 8x higher. */
    private static double[][] series(Random rng, int n, double[] levels, boolean[] anomalous) {
        double[][] w = new double[n][20];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < 20; t++) {
                double a = levels[i] * (0.5 + rng.nextDouble());
                w[i][t] = anomalous != null && anomalous[i] && t < 5 ? 8 * a : a;
            }
        }
        return w;
    }

    @Test
    public void eachOutcomeEqualsADirectCalibrationAndCount() {
        Random rng = new Random(3);
        int nVal = 200, n = 300;
        double[] valLevels = new double[nVal];
        Arrays.fill(valLevels, 1.0);
        double[][] val = series(rng, nVal, valLevels, null);
        double[] levels = new double[n];
        boolean[] anomalous = new boolean[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            levels[i] = i < 150 ? 1.0 : 3.0;
            anomalous[i] = i % 37 == 5;
            labels[i] = anomalous[i] ? 1 : 0;
        }
        double[][] test = series(rng, n, levels, anomalous);
        int[] labelled = range(0, 90), evaluation = range(100, n);
        List<DriftCountRuleSearch.Setting> grid = List.of(new DriftCountRuleSearch.Setting(10, 0, 0.99, 0.99),
                new DriftCountRuleSearch.Setting(30, 20, 0.999, 0.9), new DriftCountRuleSearch.Setting(5, 3, 0.9, 1.0));
        DriftCountRuleSearch.Outcome[] out = DriftCountRuleSearch.evaluate(grid, val, test, labels, labelled,
                evaluation);
        assertEquals(3, out.length);
        for (int s = 0; s < grid.size(); s++) {
            DriftCountRuleSearch.Setting st = grid.get(s);
            double[][] nv = DriftNormaliser.normaliseAll(new double[0][], val, st.history(), st.gap());
            double[][] nt = DriftNormaliser.normaliseAll(val, test, st.history(), st.gap());
            double[] all = Arrays.stream(nv).flatMapToDouble(Arrays::stream).toArray();
            double tau = QuantileThreshold.quantile(all, st.tauQuantile(), "test");
            double[] counts = Arrays.stream(nv).mapToDouble(w -> Arrays.stream(w).filter(a -> a > tau).count())
                    .toArray();
            int c = 1 + (int) Math.ceil(QuantileThreshold.quantile(counts, st.countQuantile(), "test"));
            assertEquals(tau, out[s].tau(), 1e-12);
            assertEquals(c, out[s].count());
            long tp = 0, fp = 0, fn = 0;
            for (int i : evaluation) {
                boolean flag = Arrays.stream(nt[i]).filter(a -> a > tau).count() >= c;
                tp += flag && labels[i] == 1 ? 1 : 0;
                fp += flag && labels[i] == 0 ? 1 : 0;
                fn += !flag && labels[i] == 1 ? 1 : 0;
            }
            assertEquals(tp, out[s].evaluation().tp(), "setting " + st);
            assertEquals(fp, out[s].evaluation().fp(), "setting " + st);
            assertEquals(fn, out[s].evaluation().fn(), "setting " + st);
            assertEquals(90, out[s].labelled().total());
        }
        // the level shift at window 150 is absorbed: the first setting (K = 10) has no false alarms after it settles
        assertTrue(out[0].evaluation().tp() > 0, out[0].toString());
    }

    @Test
    public void labelsChooseTheGapThatKeepsLongSegmentsVisible() {
        Random rng = new Random(11);
        int nVal = 300, n = 1200;
        double[] valLevels = new double[nVal];
        Arrays.fill(valLevels, 1.0);
        double[][] val = series(rng, nVal, valLevels, null);
        double[] levels = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            boolean inSegment = (i >= 100 && i < 160) || (i >= 700 && i < 760); // 60-window anomalies
            levels[i] = inSegment ? 6.0 : 1.0;
            labels[i] = inSegment ? 1 : 0;
        }
        double[][] test = series(rng, n, levels, null);
        List<DriftCountRuleSearch.Setting> grid = List.of(new DriftCountRuleSearch.Setting(30, 0, 0.999, 0.99),
                new DriftCountRuleSearch.Setting(30, 60, 0.999, 0.99));
        DriftCountRuleSearch.Outcome[] out = DriftCountRuleSearch.evaluate(grid, val, test, labels, range(0, 400),
                range(400, n));
        int chosen = DriftCountRuleSearch.selectJointly(List.<ConfusionCounts[]>of(
                new ConfusionCounts[]{out[0].labelled(), out[1].labelled()}));
        assertEquals(1, chosen, Arrays.toString(out));
        assertTrue(out[1].evaluation().recall() > 0.95, out[1].evaluation().toString());
        assertTrue(out[0].evaluation().recall() < 0.8, out[0].evaluation().toString());
    }

    @Test
    public void selectJointlySumsTheModelsF1AndTheFirstWinsTies() {
        ConfusionCounts good = new ConfusionCounts(8, 2, 2, 88), poor = new ConfusionCounts(2, 8, 8, 82);
        // model A prefers setting 0, model B prefers setting 1 more strongly: the sum picks 1
        ConfusionCounts[] a = {good, new ConfusionCounts(7, 3, 3, 87), poor};
        ConfusionCounts[] b = {poor, good, poor};
        assertEquals(1, DriftCountRuleSearch.selectJointly(List.of(a, b)));
        assertEquals(0, DriftCountRuleSearch.selectJointly(List.<ConfusionCounts[]>of(new ConfusionCounts[]{good,
                good, poor})));
        assertThrows(IllegalArgumentException.class, () -> DriftCountRuleSearch.selectJointly(List.of()));
        assertThrows(IllegalArgumentException.class, () -> DriftCountRuleSearch.selectJointly(List.of(a,
                new ConfusionCounts[]{good})));
        ConfusionCounts none = new ConfusionCounts(0, 3, 0, 97);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DriftCountRuleSearch.selectJointly(List.<ConfusionCounts[]>of(new ConfusionCounts[]{none})));
        assertTrue(e.getMessage().contains("no anomalous window"), e.getMessage());
    }

    @Test
    public void defaultGridAndBadInput() {
        List<DriftCountRuleSearch.Setting> grid = DriftCountRuleSearch.defaultGrid();
        assertEquals(360, grid.size());
        assertEquals("K=30, G=0, q_tau=0.99, q_c=0.9", grid.get(0).toString());
        assertEquals("K=300, G=200, q_tau=0.9999, q_c=1.0", grid.get(359).toString());
        assertThrows(IllegalArgumentException.class, () -> new DriftCountRuleSearch.Setting(0, 0, 0.9, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new DriftCountRuleSearch.Setting(1, -1, 0.9, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new DriftCountRuleSearch.Setting(1, 0, 1.1, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new DriftCountRuleSearch.Setting(1, 0, 0.9, Double.NaN));
        double[][] w = {{1, 2}, {3, 4}};
        int[] labels = {0, 1};
        assertThrows(IllegalArgumentException.class, () -> DriftCountRuleSearch.evaluate(List.of(), w, w, labels,
                new int[0], new int[]{0}));
        assertThrows(IllegalArgumentException.class, () -> DriftCountRuleSearch.evaluate(grid, new double[0][], w,
                labels, new int[0], new int[]{0}));
        assertThrows(IllegalArgumentException.class, () -> DriftCountRuleSearch.evaluate(grid, w, w, new int[]{0},
                new int[0], new int[]{0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DriftCountRuleSearch.evaluate(grid, w, w, labels, new int[0], new int[]{2}));
        assertTrue(e.getMessage().contains("evaluation index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DriftCountRuleSearch.evaluate(grid, w,
                new double[][]{{1, Double.NaN}, {1, 1}}, labels, new int[0], new int[]{0}));
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
