package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Lanes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class EpochLoopTest {

    /** Records every batch the loop hands out. */
    private static final class Recorder implements EpochLoop.Batches {
        final List<int[]> batches = new ArrayList<>();
        final List<Integer> starts = new ArrayList<>();

        @Override
        public void startEpoch(int epoch) {
            starts.add(epoch);
        }

        @Override
        public void step(int[] order, int first, int size, EpochLoop.Loss loss) {
            int[] rows = new int[size];
            System.arraycopy(order, first, rows, 0, size);
            batches.add(rows);
            for (int r : rows) {
                loss.add(r);
            }
        }
    }

    @Test
    public void shufflesEveryEpochWithTheRandomSourceAndSplitsIntoBatches() {
        int n = 10;
        Recorder recorder = new Recorder();
        double[] history = new EpochLoop("test", n, 3, 4, new SplittableRandom(5)).run(recorder, 2);
        // The reference: the same array reshuffled in place every epoch, batches of 4, 4 and 2.
        SplittableRandom rng = new SplittableRandom(5);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int k = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            MinibatchTraining.shuffle(order, rng);
            for (int first = 0; first < n; first += 4) {
                int size = Math.min(4, n - first);
                int[] expected = new int[size];
                System.arraycopy(order, first, expected, 0, size);
                assertArrayEquals(expected, recorder.batches.get(k++));
            }
        }
        assertEquals(9, recorder.batches.size());
        assertEquals(List.of(0, 1, 2), recorder.starts);
        // Mean loss: the sum 0 + ... + 9 over n · elementsPerExample.
        assertArrayEquals(new double[]{45.0 / 20, 45.0 / 20, 45.0 / 20}, history);
    }

    @Test
    public void keepsTimeOrderWithoutARandomSource() {
        Recorder recorder = new Recorder();
        new EpochLoop("test", 5, 2, 2, null).logEvery(1).run(recorder, 1);
        assertEquals(6, recorder.batches.size());
        assertArrayEquals(new int[]{0, 1}, recorder.batches.get(0));
        assertArrayEquals(new int[]{4}, recorder.batches.get(2));
        assertArrayEquals(new int[]{0, 1}, recorder.batches.get(3));
    }

    @Test
    public void batchLargerThanTheDataIsOneBatch() {
        Recorder recorder = new Recorder();
        EpochLoop loop = new EpochLoop("test", 3, 1, 100, new SplittableRandom(1));
        assertEquals(3, loop.maxBatch());
        loop.run(recorder, 1);
        assertEquals(1, recorder.batches.size());
        assertEquals(3, recorder.batches.get(0).length);
    }

    @Test
    public void monitorStopsEarly() {
        Recorder recorder = new Recorder();
        double[] history = new EpochLoop("test", 4, 10, 2, new SplittableRandom(1))
                .stopWhen((epoch, loss) -> epoch == 2).run(recorder, 1);
        assertEquals(3, history.length);
        assertEquals(List.of(0, 1, 2), recorder.starts);
    }

    @Test
    public void endEpochSeesTheMeanLossAndRefusesDivergence() {
        List<Double> seen = new ArrayList<>();
        new EpochLoop("test", 2, 2, 1, null).run(new EpochLoop.Batches() {
            @Override
            public void step(int[] order, int first, int size, EpochLoop.Loss loss) {
                loss.add(3.0);
            }

            @Override
            public String endEpoch(int epoch, double meanLoss) {
                seen.add(meanLoss);
                return ", extra";
            }
        }, 3);
        assertEquals(List.of(1.0, 1.0), seen);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new EpochLoop("diverging", 2, 2, 1,
                null).run((order, first, size, loss) -> loss.add(Double.NaN), 1));
        assertTrue(e.getMessage().contains("diverging diverged at epoch 1"), e.getMessage());
    }

    @Test
    public void refusesEmptyDataAndBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new EpochLoop("test", 0, 1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new EpochLoop("test", 1, 0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new EpochLoop("test", 1, 1, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new EpochLoop("test", 1, 1, 1, null).logEvery(0));
    }

    @Test
    public void lanesPutEveryResultAtItsIndexOnOneOrTwoThreads() {
        for (int threads = 1; threads <= 2; threads++) {
            double[] out = new double[5];
            try (Lanes lanes = Lanes.open(threads, "test")) {
                lanes.run(5, i -> i * 10.0, out);
            }
            assertArrayEquals(new double[]{0, 10, 20, 30, 40}, out);
        }
        try (Lanes lanes = Lanes.open(2, "test")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> lanes.run(2, i -> {
                if (i == 1) {
                    throw new IllegalArgumentException("boom");
                }
                return 0;
            }, new double[2]));
            assertTrue(e.getCause() instanceof IllegalArgumentException);
        }
        assertThrows(IllegalArgumentException.class, () -> Lanes.open(0, "test"));
    }
}
