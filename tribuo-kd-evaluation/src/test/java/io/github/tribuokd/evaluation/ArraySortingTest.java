package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ArraySortingTest {

    @Test
    public void argsortIsASortingPermutationAndStable() {
        SplittableRandom rng = new SplittableRandom(17);
        for (int trial = 0; trial < 50; trial++) {
            int n = trial < 45 ? rng.nextInt(500) : 1000 + rng.nextInt(9000);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = trial % 2 == 0 ? rng.nextInt(7) : rng.nextGaussian();
            }
            int[] order = ArraySorting.argsort(values);
            assertEquals(n, order.length);
            boolean[] seen = new boolean[n];
            for (int k = 0; k < n; k++) {
                assertTrue(!seen[order[k]]);
                seen[order[k]] = true;
                if (k > 0) {
                    assertTrue(values[order[k - 1]] <= values[order[k]]);
                    if (values[order[k - 1]] == values[order[k]]) {
                        assertTrue(order[k - 1] < order[k], "stable");
                    }
                }
            }
        }
    }
}
