package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PointScoresTest {

    @Test
    void strideOneHandCase() {
        // n = 6, L = 3: windows end at 2, 3, 4, 5
        double[] windows = {0.1, 0.5, 0.2, 0.9};
        double[] points = PointScores.fromWindowScores(windows, 3, 6);
        assertArrayEquals(new double[]{0.1, 0.1, 0.1, 0.5, 0.2, 0.9}, points, 0.0);
        // L = 1: identity
        assertArrayEquals(new double[]{3, 1, 2}, PointScores.fromWindowScores(new double[]{3, 1, 2}, 1, 3), 0.0);
        // a single window covering everything
        assertArrayEquals(new double[]{7, 7, 7}, PointScores.fromWindowScores(new double[]{7}, 3, 3), 0.0);
    }

    @Test
    void generalStrideHandCase() {
        // n = 11, L = 3, s = 2: windows [0,2] [2,4] [4,6] [6,8] [8,10] end at 2, 4, 6, 8, 10
        double[] windows = {1, 2, 3, 4, 5};
        double[] points = PointScores.fromWindowScores(windows, 3, 2, 11);
        assertArrayEquals(new double[]{1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5}, points, 0.0);
        // n = 12: the last point is after the end of the last window and takes its score
        double[] tail = PointScores.fromWindowScores(windows, 3, 2, 12);
        assertArrayEquals(new double[]{1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, tail, 0.0);
        // stride 1 through the general method equals the stride-1 method
        double[] w1 = {0.3, 0.1, 0.4, 0.1, 0.5};
        assertArrayEquals(PointScores.fromWindowScores(w1, 4, 8), PointScores.fromWindowScores(w1, 4, 1, 8), 0.0);
    }

    @Test
    void validation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointScores.fromWindowScores(new double[3], 3, 6));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("expected 4 window scores"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PointScores.fromWindowScores(new double[1], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> PointScores.fromWindowScores(new double[1], 0, 2));
        assertThrows(IllegalArgumentException.class, () -> PointScores.fromWindowScores(new double[1], 2, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> PointScores.fromWindowScores(new double[6], 3, 2, 11));
        assertThrows(NullPointerException.class, () -> PointScores.fromWindowScores(null, 3, 6));
    }

    @Test
    void gridScoresHandCase() {
        // 12 steps, scores at times 3, 6, 9 (first time 3, spacing 3)
        double[] points = PointScores.fromGridScores(new double[]{1, 2, 3}, 3, 3, 12);
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3}, points, 0.0);
        // the grid is the ends of windows of length firstTime + 1 and stride spacing
        double[] w = {0.5, 0.1, 0.7, 0.2};
        assertArrayEquals(PointScores.fromWindowScores(w, 5, 2, 11), PointScores.fromGridScores(w, 4, 2, 11), 0.0);
        // a single score at the last point
        assertArrayEquals(new double[]{4, 4, 4}, PointScores.fromGridScores(new double[]{4}, 2, 5, 3), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointScores.fromGridScores(new double[2], 3, 3, 12));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("expected 3 scores"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PointScores.fromGridScores(new double[1], 12, 3, 12));
        assertThrows(IllegalArgumentException.class, () -> PointScores.fromGridScores(new double[1], -1, 3, 12));
        assertThrows(IllegalArgumentException.class, () -> PointScores.fromGridScores(new double[4], 3, 0, 12));
        assertThrows(NullPointerException.class, () -> PointScores.fromGridScores(null, 3, 3, 12));
    }
}
