package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class RandomScoreBaselineTest {

    @Test
    public void deterministicAndMatchesSplittableRandom() {
        double[] a = RandomScoreBaseline.uniformScores(1000, 12345L);
        double[] b = RandomScoreBaseline.uniformScores(1000, 12345L);
        assertArrayEquals(a, b);
        SplittableRandom rng = new SplittableRandom(12345L);
        for (double score : a) {
            assertEquals(rng.nextDouble(), score);
        }
        assertFalse(java.util.Arrays.equals(a, RandomScoreBaseline.uniformScores(1000, 12346L)));
    }

    @Test
    public void inUnitIntervalAndRoughlyUniform() {
        double[] scores = RandomScoreBaseline.uniformScores(10000, 1L);
        double sum = 0;
        for (double s : scores) {
            assertTrue(s >= 0.0 && s < 1.0);
            sum += s;
        }
        assertEquals(0.5, sum / scores.length, 0.02);
    }

    @Test
    public void randomScoresGiveChanceLevelRocAuc() {
        int n = 20000;
        double[] scores = RandomScoreBaseline.uniformScores(n, 99L);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10 == 0 ? 1 : 0;
        }
        assertEquals(0.5, RocAuc.compute(scores, labels), 0.03);
    }

    @Test
    public void sizes() {
        assertEquals(0, RandomScoreBaseline.uniformScores(0, 5L).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomScoreBaseline.uniformScores(-3, 5L));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }
}
