package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class MahalanobisCountRuleTest {

    /**
     * Four points with mean 0 and sum of outer products [[10, 8], [8, 10]], so Σ = [[10, 8], [8, 10]] / 3 and
     * Σ⁻¹ = [[5/6, −2/3], [−2/3, 5/6]].
     */
    private static final double[][] HAND = {{2, 1}, {-2, -1}, {1, 2}, {-1, -2}};

    @Test
    public void handCheckable2x2() {
        MahalanobisCountRule rule = MahalanobisCountRule.fit(HAND, 1.0, 2);
        assertArrayEquals(new double[]{0, 0}, rule.mean(), 1e-15);
        double[][] cov = rule.covariance();
        assertArrayEquals(new double[]{10.0 / 3, 8.0 / 3}, cov[0], 1e-14);
        assertArrayEquals(new double[]{8.0 / 3, 10.0 / 3}, cov[1], 1e-14);
        assertFalse(rule.covarianceWasSingular());
        assertEquals(0.0, rule.ridge());
        assertEquals(5.0 / 6, rule.score(new double[]{1, 0}), 1e-14);
        assertEquals(5.0 / 6, rule.score(new double[]{0, 1}), 1e-14);
        assertEquals(1.0 / 3, rule.score(new double[]{1, 1}), 1e-14);
        assertEquals(3.0, rule.score(new double[]{1, -1}), 1e-14);
        assertEquals(0.0, rule.score(new double[]{0, 0}), 0.0);
        assertArrayEquals(new double[]{5.0 / 6, 1.0 / 3, 3.0},
                rule.scores(new double[][]{{1, 0}, {1, 1}, {1, -1}}), 1e-14);
        assertEquals(2, rule.dimension());
        assertEquals(4, rule.numValidationPoints());
    }

    @Test
    public void matchesExplicitInverse2x2And5x5() {
        for (int m : new int[]{2, 5}) {
            SplittableRandom rng = new SplittableRandom(100 + m);
            // Correlated data: e = A z + b, z standard normal-ish.
            double[][] a = new double[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    a[i][j] = rng.nextDouble(-1, 1) + (i == j ? 1.5 : 0.0);
                }
            }
            int n = 300;
            double[][] data = new double[n][m];
            for (int t = 0; t < n; t++) {
                double[] z = new double[m];
                for (int j = 0; j < m; j++) {
                    z[j] = rng.nextDouble(-1, 1) + rng.nextDouble(-1, 1);
                }
                for (int i = 0; i < m; i++) {
                    double s = 3.0 + i;
                    for (int j = 0; j < m; j++) {
                        s += a[i][j] * z[j];
                    }
                    data[t][i] = Math.abs(s);
                }
            }
            MahalanobisCountRule rule = MahalanobisCountRule.fit(data, 5.0, 1);
            assertFalse(rule.covarianceWasSingular());

            // Direct computation: mean, covariance / (n - 1), Gauss-Jordan inverse.
            double[] mu = new double[m];
            for (double[] row : data) {
                for (int j = 0; j < m; j++) {
                    mu[j] += row[j] / n;
                }
            }
            double[][] cov = new double[m][m];
            for (double[] row : data) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        cov[i][j] += (row[i] - mu[i]) * (row[j] - mu[j]) / (n - 1);
                    }
                }
            }
            double[][] inv = invert(cov);
            assertArrayEquals(mu, rule.mean(), 1e-12);
            for (int i = 0; i < m; i++) {
                assertArrayEquals(cov[i], rule.covariance()[i], 1e-12);
            }
            for (int t = 0; t < 50; t++) {
                double[] e = new double[m];
                for (int j = 0; j < m; j++) {
                    e[j] = rng.nextDouble(0, 8);
                }
                double expected = 0.0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        expected += (e[i] - mu[i]) * inv[i][j] * (e[j] - mu[j]);
                    }
                }
                assertEquals(expected, rule.score(e), 1e-9 * Math.max(1.0, expected));
            }
            // Mean of the validation scores is (n-1)/n * m for the unbiased covariance (trace identity).
            double sum = 0.0;
            for (double s : rule.scores(data)) {
                sum += s;
            }
            assertEquals(m * (n - 1.0) / n, sum / n, 1e-9);
        }
    }

    private static double[][] invert(double[][] matrix) {
        int m = matrix.length;
        double[][] aug = new double[m][2 * m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(matrix[i], 0, aug[i], 0, m);
            aug[i][m + i] = 1.0;
        }
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(aug[r][col]) > Math.abs(aug[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = aug[col];
            aug[col] = aug[pivot];
            aug[pivot] = tmp;
            double p = aug[col][col];
            for (int j = 0; j < 2 * m; j++) {
                aug[col][j] /= p;
            }
            for (int r = 0; r < m; r++) {
                if (r != col) {
                    double f = aug[r][col];
                    for (int j = 0; j < 2 * m; j++) {
                        aug[r][j] -= f * aug[col][j];
                    }
                }
            }
        }
        double[][] inv = new double[m][m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(aug[i], m, inv[i], 0, m);
        }
        return inv;
    }

    @Test
    public void singularCovarianceGetsRidge() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] data = new double[200][3];
        for (double[] row : data) {
            row[0] = rng.nextDouble();
            row[1] = rng.nextDouble();
            row[2] = row[0]; // duplicate column
        }
        MahalanobisCountRule rule = MahalanobisCountRule.fit(data, 10.0, 3);
        assertTrue(rule.covarianceWasSingular());
        assertTrue(rule.ridge() > 0.0);
        double trace = rule.covariance()[0][0] + rule.covariance()[1][1] + rule.covariance()[2][2];
        assertTrue(rule.ridge() >= MahalanobisCountRule.INITIAL_RIDGE_FACTOR * trace / 3 * 0.999);
        for (double s : rule.scores(data)) {
            assertTrue(Double.isFinite(s) && s >= 0.0);
        }
        // On the data subspace scores stay moderate; off it (column 2 != column 0) they are huge but finite.
        double on = rule.score(new double[]{0.9, 0.5, 0.9});
        double off = rule.score(new double[]{0.9, 0.5, 0.1});
        assertTrue(on < 20.0, "on " + on);
        assertTrue(Double.isFinite(off) && off > 1e3 * on, "off " + off);
        ThresholdProvenance p = rule.provenance();
        assertTrue(p.getBoolean(ThresholdProvenance.COVARIANCE_SINGULAR));
        assertEquals(rule.ridge(), p.getDouble(ThresholdProvenance.RIDGE));

        // Constant errors: Σ = 0, ridge from a unit scale.
        double[][] constant = {{1, 2}, {1, 2}, {1, 2}};
        MahalanobisCountRule c = MahalanobisCountRule.fit(constant, 1.0, 1);
        assertTrue(c.covarianceWasSingular());
        assertEquals(0.0, c.score(new double[]{1, 2}), 0.0);
        assertTrue(Double.isFinite(c.score(new double[]{2, 2})));
    }

    @Test
    public void countRuleBoundaries() {
        MahalanobisCountRule rule = MahalanobisCountRule.fit(HAND, 1.0, 3);
        // Exactly c = 3 points strictly above tau = 1 -> anomalous; a point equal to tau does not count.
        double[] three = {0.2, 1.5, 1.0, 2.0, 0.9, 7.0};
        assertTrue(rule.windowIsAnomalous(three, 0, 6));
        // c - 1 = 2 points above tau -> not anomalous.
        double[] two = {0.2, 1.5, 1.0, 2.0, 0.9, 1.0};
        assertFalse(rule.windowIsAnomalous(two, 0, 6));
        // Sub-windows.
        assertFalse(rule.windowIsAnomalous(three, 0, 5));
        assertTrue(rule.windowIsAnomalous(three, 1, 6));
        assertFalse(rule.windowIsAnomalous(three, 2, 2));
        // As a Threshold: value() = tau, strict.
        assertEquals(1.0, rule.value());
        assertFalse(rule.isAnomalous(1.0));
        assertTrue(rule.isAnomalous(1.0000001));
        assertEquals(3, rule.minCount());
        assertEquals(1.0, rule.tau());
    }

    @Test
    public void windowDecisionsSlidingCount() {
        MahalanobisCountRule rule = MahalanobisCountRule.fit(HAND, 1.0, 2);
        //                 0    1    2    3    4    5    6    7    8    9
        double[] scores = {0.0, 2.0, 0.0, 3.0, 0.0, 0.0, 0.0, 5.0, 5.0, 0.0};
        // L = 4, s = 2: windows [0,4) [2,6) [4,8) [6,10) -> counts 2, 1, 1, 2.
        assertArrayEquals(new int[]{1, 0, 0, 1}, rule.windowDecisions(scores, 4, 2));
        // L = 3, s = 3: floor((10 - 3) / 3) + 1 = 3 windows [0,3) [3,6) [6,9) -> counts 1, 1, 2.
        assertArrayEquals(new int[]{0, 0, 1}, rule.windowDecisions(scores, 3, 3));
        // L = 10: one window; L = 11: none.
        assertArrayEquals(new int[]{1}, rule.windowDecisions(scores, 10, 1));
        assertArrayEquals(new int[0], rule.windowDecisions(scores, 11, 1));
        // Stride 1 agrees with windowIsAnomalous.
        int[] d = rule.windowDecisions(scores, 5, 1);
        assertEquals(6, d.length);
        for (int w = 0; w < d.length; w++) {
            assertEquals(rule.windowIsAnomalous(scores, w, w + 5) ? 1 : 0, d[w]);
        }
        assertThrows(IllegalArgumentException.class, () -> rule.windowDecisions(scores, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> rule.windowDecisions(scores, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> rule.windowDecisions(new double[]{Double.NaN}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> rule.windowIsAnomalous(scores, -1, 3));
        assertThrows(IllegalArgumentException.class, () -> rule.windowIsAnomalous(scores, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> rule.windowIsAnomalous(scores, 0, 11));
    }

    @Test
    public void tauFromQuantile() {
        assertEquals(1.75, MahalanobisCountRule.tauFromQuantile(new double[]{4, 1, 3, 2}, 0.25), 1e-12);
        MahalanobisCountRule rule = MahalanobisCountRule.fit(HAND, 1.0, 1);
        double tau = MahalanobisCountRule.tauFromQuantile(rule.scores(HAND), 0.5);
        assertEquals(QuantileThreshold.fit(rule.scores(HAND), 0.5).value(), tau, 0.0);
        assertThrows(IllegalArgumentException.class, () -> MahalanobisCountRule.tauFromQuantile(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> MahalanobisCountRule.tauFromQuantile(new double[]{1}, 2));
    }

    @Test
    public void provenanceRecordsSettings() {
        MahalanobisCountRule rule = MahalanobisCountRule.fit(HAND, 2.5, 4);
        ThresholdProvenance p = rule.provenance();
        assertEquals(MahalanobisCountRule.class.getName(), p.getClassName());
        assertEquals(2.5, p.getDouble(ThresholdProvenance.TAU));
        assertEquals(2.5, p.getDouble(ThresholdProvenance.THRESHOLD));
        assertEquals(4, p.getInt(ThresholdProvenance.MIN_COUNT));
        assertEquals(2, p.getInt(ThresholdProvenance.DIMENSION));
        assertEquals(4, p.getInt(ThresholdProvenance.NUM_CALIBRATION_SCORES));
        assertEquals(0.0, p.getDouble(ThresholdProvenance.RIDGE));
        assertFalse(p.getBoolean(ThresholdProvenance.COVARIANCE_SINGULAR));
    }

    @Test
    public void invalidInputsThrow() {
        MahalanobisCountRule rule = MahalanobisCountRule.fit(HAND, 1.0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rule.score(new double[]{1, 2, 3}));
        assertTrue(e.getMessage().contains("expected m = 2") && e.getMessage().contains("m = 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rule.scores(new double[][]{{1, 2}, {1}}));
        assertTrue(e.getMessage().contains("error vector 1") && e.getMessage().contains("expected m = 2")
                && e.getMessage().contains("m = 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rule.score(new double[]{1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> rule.score(null));

        e = assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.fit(new double[][]{{1, 2}, {3, 4}, {5}}, 1.0, 1));
        assertTrue(e.getMessage().contains("error vector 2") && e.getMessage().contains("expected m = 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.fit(new double[][]{{1, 2}}, 1.0, 1));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MahalanobisCountRule.fit(null, 1.0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.fit(new double[][]{{}, {}}, 1.0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.fit(new double[][]{{1, Double.NaN}, {3, 4}}, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> MahalanobisCountRule.fit(HAND, Double.NaN, 1));
        e = assertThrows(IllegalArgumentException.class, () -> MahalanobisCountRule.fit(HAND, 1.0, 0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    @Test
    public void selectTauAndCountMaximisesWindowF1WithStrictExceedance() {
        double[][] windows = {
                {0, 0, 0, 5}, {0, 0, 0, 0}, {1, 0, 0, 0}, // normal
                {5, 5, 5, 0}, {6, 6, 0, 0}};              // anomalous
        int[] labels = {0, 0, 0, 1, 1};
        MahalanobisCountRule.TauAndCount pick = MahalanobisCountRule.selectTauAndCount(windows, labels, 100, 3.0);
        // a > 1 counts: normal 1, 0, 0; anomalous 3, 2 -> c = 2 separates them (F1 1); tau = 5 reaches only 2/3
        // (strict '>' leaves 5 uncounted), and tau = 0 also reaches 1 but the larger tau wins the tie
        assertEquals(1.0, pick.tau());
        assertEquals(2, pick.count());
        assertEquals(1.0, pick.validationF1(), 1e-12);
        assertTrue(pick.supervised());
    }

    @Test
    public void selectTauAndCountMatchesExhaustiveSearch() {
        SplittableRandom rng = new SplittableRandom(7);
        int numWindows = 60, length = 12;
        double[][] windows = new double[numWindows][length];
        int[] labels = new int[numWindows];
        for (int w = 0; w < numWindows; w++) {
            labels[w] = rng.nextInt(4) == 0 ? 1 : 0;
            for (int t = 0; t < length; t++) {
                windows[w][t] = Math.floor(rng.nextDouble() * 20) + (labels[w] == 1 && rng.nextBoolean() ? 6 : 0);
            }
        }
        MahalanobisCountRule.TauAndCount pick = MahalanobisCountRule.selectTauAndCount(windows, labels,
                numWindows * length, 0.0);
        double best = 0;
        for (double[] row : windows) {
            for (double tau : row) {
                for (int c = 1; c <= length; c++) {
                    best = Math.max(best, f1(windows, labels, tau, c));
                }
            }
        }
        assertEquals(best, pick.validationF1(), 1e-12);
        assertEquals(best, f1(windows, labels, pick.tau(), pick.count()), 1e-12);
        // fewer candidates can only do worse or equal, never better than the exhaustive optimum
        assertTrue(MahalanobisCountRule.selectTauAndCount(windows, labels, 5, 0.0).validationF1() <= best + 1e-12);
    }

    private static double f1(double[][] windows, int[] labels, double tau, int c) {
        long tp = 0, fp = 0, fn = 0;
        for (int w = 0; w < windows.length; w++) {
            int count = 0;
            for (double a : windows[w]) {
                count += a > tau ? 1 : 0;
            }
            boolean flagged = count >= c;
            tp += flagged && labels[w] == 1 ? 1 : 0;
            fp += flagged && labels[w] == 0 ? 1 : 0;
            fn += !flagged && labels[w] == 1 ? 1 : 0;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    @Test
    public void selectTauAndCountWithoutAnomaliesFlagsNoValidationWindow() {
        double[][] windows = {{0, 3, 4}, {5, 6, 1}, {0, 0, 0}};
        MahalanobisCountRule.TauAndCount pick = MahalanobisCountRule.selectTauAndCount(windows, new int[3], 50, 2.0);
        assertFalse(pick.supervised());
        assertEquals(2.0, pick.tau());
        assertEquals(3, pick.count()); // the second window has 2 points above 2.0
        assertEquals(0.0, pick.validationF1());
    }

    @Test
    public void selectTauAndCountRejectsBadInput() {
        double[][] ok = {{0, 1}, {2, 3}};
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.selectTauAndCount(ok, new int[]{0, 2}, 10, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.selectTauAndCount(ok, new int[]{0}, 10, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.selectTauAndCount(new double[][]{{0, 1}, {2}}, new int[]{0, 1}, 10, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.selectTauAndCount(new double[][]{{0, Double.NaN}}, new int[]{1}, 10, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.selectTauAndCount(new double[0][], new int[0], 10, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> MahalanobisCountRule.selectTauAndCount(ok, new int[]{0, 1}, 0, 0.0));
    }

    @Test
    public void withTauAndCountKeepsTheFittedDistribution() {
        double[][] errors = {{0.1, 0.2}, {0.3, 0.1}, {0.2, 0.4}, {0.5, 0.3}};
        MahalanobisCountRule rule = MahalanobisCountRule.fit(errors, 1.0, 2);
        MahalanobisCountRule other = rule.withTauAndCount(3.5, 4);
        assertEquals(3.5, other.tau());
        assertEquals(4, other.minCount());
        assertEquals(rule.score(errors[2]), other.score(errors[2]));
        assertThrows(IllegalArgumentException.class, () -> rule.withTauAndCount(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> rule.withTauAndCount(1.0, 0));
    }
}
