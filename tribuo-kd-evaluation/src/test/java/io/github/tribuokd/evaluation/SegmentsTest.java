package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class SegmentsTest {

    @Test
    public void goldenLabels() {
        int[][] segments = Segments.of(PointAdjustmentTest.GOLDEN_LABELS);
        assertEquals(2, segments.length);
        assertArrayEquals(new int[]{0, 3}, segments[0]);
        assertArrayEquals(new int[]{6, 10}, segments[1]);
    }

    @Test
    public void edgeCases() {
        assertEquals(0, Segments.of(new int[0]).length);
        assertEquals(0, Segments.of(new int[]{0, 0, 0}).length);
        int[][] all = Segments.of(new int[]{1, 1, 1});
        assertEquals(1, all.length);
        assertArrayEquals(new int[]{0, 3}, all[0]);
        int[][] alternating = Segments.of(new int[]{1, 0, 1, 0, 1});
        assertEquals(3, alternating.length);
        assertArrayEquals(new int[]{4, 5}, alternating[2]);
        int[][] last = Segments.of(new int[]{0, 0, 1});
        assertArrayEquals(new int[]{2, 3}, last[0]);
    }

    @Test
    public void randomSegmentsCoverExactlyThePositives() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int[] labels = RandomSeries.labels(rng, 1 + rng.nextInt(60));
            int[][] segments = Segments.of(labels);
            int[] rebuilt = new int[labels.length];
            int previousEnd = -1;
            for (int[] segment : segments) {
                assertTrue(segment[0] < segment[1]);
                assertTrue(segment[0] > previousEnd, "segments must be maximal and ordered");
                for (int i = segment[0]; i < segment[1]; i++) {
                    rebuilt[i] = 1;
                }
                previousEnd = segment[1];
            }
            assertArrayEquals(labels, rebuilt);
        }
    }

    @Test
    public void badLabelsThrow() {
        assertThrows(IllegalArgumentException.class, () -> Segments.of(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Segments.of(new int[]{0, 1, -1}));
        assertTrue(e.getMessage().contains("labels[2] = -1"), e.getMessage());
    }
}
