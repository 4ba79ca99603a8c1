package io.github.tribuokd.evaluation;

import io.github.tribuokd.timeseries.MultivariateSeries;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class NaiveSeriesBaselinesTest {

    @Test
    public void distanceFromTheTrainingMeanByHand() {
        // training: variable 0 takes 1 and 3 (mean 2, sd 1); variable 1 is constant 5 (sd floored at 1e-3)
        MultivariateSeries train = new MultivariateSeries("train", 2, 2, new float[]{1, 5, 3, 5});
        MultivariateSeries test = new MultivariateSeries("test", 2, 2, new float[]{4, 5, 2, 5.001f});
        double[] s = NaiveSeriesBaselines.distanceFromTrainingMean(train, test);
        assertEquals(4.0, s[0], 1e-9);                                   // ((4 - 2) / 1)^2 + 0
        assertEquals(Math.pow((5.001f - 5.0) / 1e-3, 2), s[1], 1e-3);     // the floored sd magnifies a tiny move
        assertThrows(IllegalArgumentException.class, () -> NaiveSeriesBaselines.distanceFromTrainingMean(train,
                new MultivariateSeries("one variable", 2, 1, new float[]{1, 2})));
    }

    @Test
    public void localChangeAgainstADirectComputation() {
        float[] v = {0, 0, 1, 2, 3, 4, 2, 8, 1, 0};   // 5 steps x 2 variables
        MultivariateSeries series = new MultivariateSeries("s", 5, 2, v);
        double[] s = NaiveSeriesBaselines.localChange(series, 2);
        double[] expected = new double[5];
        for (int t = 1; t < 5; t++) {
            int from = Math.max(0, t - 2);
            double m0 = 0, m1 = 0;
            for (int u = from; u < t; u++) {
                m0 += v[2 * u];
                m1 += v[2 * u + 1];
            }
            m0 /= t - from;
            m1 /= t - from;
            expected[t] = Math.hypot(v[2 * t] - m0, v[2 * t + 1] - m1);
        }
        assertArrayEquals(expected, s, 1e-9);
        assertEquals(0.0, s[0]);
        assertEquals(5.0, s[3], 1e-9);                  // (2, 8) against the mean of (1, 2) and (3, 4)
        assertThrows(IllegalArgumentException.class, () -> NaiveSeriesBaselines.localChange(series, 0));
    }
}
