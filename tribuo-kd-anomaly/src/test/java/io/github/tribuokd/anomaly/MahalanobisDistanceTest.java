package io.github.tribuokd.anomaly;

import io.github.tribuokd.anomaly.protos.MahalanobisWindowRuleProto;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)'s eq. 1 ({@link MahalanobisDistance}) and its count rule ({@link MahalanobisWindowRule}). */
public class MahalanobisDistanceTest {

    private static double[][] correlated(int n, int m, long seed, boolean duplicateColumn) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] data = new double[n][m];
        for (double[] row : data) {
            double shared = rng.nextDouble();
            for (int j = 0; j < m; j++) {
                row[j] = Math.abs(0.5 * shared + rng.nextDouble() + j);
            }
            if (duplicateColumn) {
                row[m - 1] = row[0];
            }
        }
        return data;
    }

    /** 2×2 by hand: Σ = [[10, 8], [8, 10]] / 3, so Σ⁻¹ = [[5/6, −2/3], [−2/3, 5/6]]. */
    @Test
    public void handCheckable() {
        MahalanobisDistance d = MahalanobisDistance.fit(new double[][]{{2, 1}, {-2, -1}, {1, 2}, {-1, -2}});
        assertEquals(5.0 / 6, d.score(new double[]{1, 0}), 1e-14);
        assertEquals(3.0, d.score(new double[]{1, -1}), 1e-14);
        double[][] inv = d.inverseCovariance();
        assertArrayEquals(new double[]{5.0 / 6, -2.0 / 3}, inv[0], 1e-14);
        assertArrayEquals(new double[]{-2.0 / 3, 5.0 / 6}, inv[1], 1e-14);
        assertFalse(d.covarianceWasSingular());
    }

    /** The explicit inverse (the ONNX graph's form) gives the Cholesky solve's score, with and without a ridge. */
    @Test
    public void inverseCovarianceGivesTheSameQuadraticForm() {
        for (boolean singular : new boolean[]{false, true}) {
            double[][] data = correlated(400, 6, 3L, singular);
            MahalanobisDistance d = MahalanobisDistance.fit(data);
            assertEquals(singular, d.covarianceWasSingular());
            double[][] s = d.inverseCovariance();
            double[] mu = d.mean();
            SplittableRandom rng = new SplittableRandom(9);
            for (int k = 0; k < 50; k++) {
                double[] e = data[rng.nextInt(data.length)].clone();
                e[rng.nextInt(6)] += rng.nextDouble();
                double q = 0;
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 6; j++) {
                        q += (e[i] - mu[i]) * s[i][j] * (e[j] - mu[j]);
                    }
                }
                double a = d.score(e);
                assertEquals(a, q, 1e-6 * Math.max(1, a), "singular " + singular);
            }
        }
    }

    /** Restoring from μ, Σ and λ (the protobuf form) reproduces every score bit for bit; floats read as doubles. */
    @Test
    public void restoreAndFloatPathAreBitIdentical() {
        for (boolean singular : new boolean[]{false, true}) {
            double[][] data = correlated(300, 5, 4L, singular);
            MahalanobisWindowRule rule = MahalanobisWindowRule.fit(data, 7.0, 2);
            MahalanobisWindowRuleProto proto = rule.toProto();
            MahalanobisWindowRule back = MahalanobisWindowRule.fromProto(proto);
            assertEquals(rule.tau(), back.tau());
            assertEquals(rule.minCount(), back.minCount());
            assertEquals(rule.distance().ridge(), back.distance().ridge());
            assertEquals(rule.distance().numPoints(), back.distance().numPoints());
            float[] flat = new float[data.length * 5];
            double[][] asFloat = new double[data.length][5];
            for (int i = 0; i < data.length; i++) {
                for (int j = 0; j < 5; j++) {
                    flat[i * 5 + j] = (float) data[i][j];
                    asFloat[i][j] = flat[i * 5 + j];
                }
            }
            assertArrayEquals(rule.distance().scores(data), back.distance().scores(data));
            double[] viaFloats = new double[data.length];
            rule.distance().scores(flat, 0, data.length, new double[5], viaFloats, 0);
            assertArrayEquals(rule.distance().scores(asFloat), viaFloats);
        }
    }

    @Test
    public void countRuleIsStrictAboveTauAndAtLeastC() {
        MahalanobisWindowRule rule = MahalanobisWindowRule.fit(correlated(50, 2, 5L, false), 1.0, 2);
        double[] scores = {0.5, 1.0, 1.5, 2.0, Double.NaN};
        assertFalse(rule.exceeds(1.0));
        assertTrue(rule.exceeds(1.0000001));
        assertEquals(2, rule.countExceeding(scores, 0, 5));
        assertEquals(1, rule.countExceeding(scores, 0, 3));
        assertTrue(rule.isAnomalous(2));
        assertFalse(rule.isAnomalous(1));
        assertEquals(2, rule.withTauAndCount(0.0, 5).countExceeding(new double[]{0, 1, 2}, 0, 3));
    }

    @Test
    public void badInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MahalanobisDistance.fit(new double[][]{{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> MahalanobisDistance.restore(new double[]{0, 0},
                new double[][]{{1, 0}, {0, 1}}, -1.0, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MahalanobisDistance.restore(new double[]{0, 0}, new double[][]{{1, 1}, {1, 1}}, 0.0, 5));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        MahalanobisWindowRuleProto broken = MahalanobisWindowRuleProto.newBuilder().addMean(0).addMean(0)
                .addCovariance(1).setNumValidationPoints(3).setTau(1).setMinCount(1).build();
        assertThrows(IllegalStateException.class, () -> MahalanobisWindowRule.fromProto(broken));
    }
}
