package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class RankCorrelationTest {

    @Test
    public void tiesTakeTheMeanRank() {
        assertArrayEquals(new double[]{1, 2, 3.5, 5, 3.5}, RankCorrelation.ranks(new double[]{5, 6, 7, 8, 7}));
    }

    @Test
    public void goldenValueWithTies() {
        // Ranks (1..5) and (1, 2, 3.5, 5, 3.5): deviations (−2..2) and (−2, −1, 0.5, 2, 0.5);
        // ρ = 8 / sqrt(10 · 9.5) = 0.8207826816681233 (scipy.stats.spearmanr gives the same).
        assertEquals(8 / Math.sqrt(95), RankCorrelation.spearman(new double[]{1, 2, 3, 4, 5},
                new double[]{5, 6, 7, 8, 7}), 1e-15);
    }

    @Test
    public void monotoneMapsDoNotChangeIt() {
        double[] x = {0.3, 5, 1e-4, 77, 2.5, 9};
        double[] logX = new double[x.length];
        double[] neg = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            logX[i] = Math.log(x[i]);
            neg[i] = -x[i] * x[i];
        }
        assertEquals(1.0, RankCorrelation.spearman(x, logX), 1e-15);
        assertEquals(-1.0, RankCorrelation.spearman(x, neg), 1e-15);
    }

    @Test
    public void constantSampleGivesNaNAndBadInputIsRefused() {
        assertTrue(Double.isNaN(RankCorrelation.spearman(new double[]{1, 2, 3}, new double[]{4, 4, 4})));
        assertThrows(IllegalArgumentException.class, () -> RankCorrelation.spearman(new double[]{1, 2},
                new double[]{1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                RankCorrelation.spearman(new double[]{1, Double.NaN}, new double[]{1, 2}));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RankCorrelation.spearman(new double[0], new double[0]));
    }

    @Test
    public void fidelityCombinesRhoAndEmdInTheMappedScale() {
        double[] teacher = {1, 10, 100};
        double[] student = {2, 20, 200};
        ScoreFidelity f = ScoreFidelity.of("tail", teacher, student, Math::log);
        assertEquals(1.0, f.spearman(), 1e-15);
        // Every log score moves by ln 2.
        assertEquals(Math.log(2), f.emd(), 1e-12);
        assertEquals(3, f.size());
    }
}
