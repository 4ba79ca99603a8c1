package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Test;

import static io.github.tribuokd.timeseries.SignatureMatrixTestSupport.assertClose;
import static io.github.tribuokd.timeseries.SignatureMatrixTestSupport.randomSeries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureMatrixStreamTest {

    /** Pushes every row of the series and checks each input against the batch's input of the same time. */
    private static void assertStreamMatchesBatch(SignatureMatrices config, MultivariateSeries series, int firstTime) {
        int n = series.numVariables();
        SignatureMatrixSequence batch = config.build(series, firstTime, 2);
        SignatureMatrixStream stream = new SignatureMatrixStream(config, n, firstTime);
        assertEquals(batch.inputSize(), stream.inputSize());
        float[] input = new float[stream.inputSize()];
        float[] values = series.valuesView();
        int next = 0; // the next batch input expected
        for (int t = 0; t < series.numSteps(); t++) {
            boolean ready = stream.push(values, t * n);
            boolean expected = next < batch.numInputs() && batch.inputTime(next) == t;
            assertEquals(expected, ready, "t = " + t);
            assertEquals(t, stream.time());
            if (ready) {
                assertEquals(t, stream.inputTime());
                stream.input(input, 0);
                assertClose(batch.valuesView(), batch.inputOffset(next), input, 0, input.length, 1e-5,
                        "input " + next + " at t = " + t);
                next++;
            } else if (stream.hasInput()) {
                // between matrix times the latest input is still handed out
                assertEquals(batch.inputTime(next - 1), stream.inputTime());
            }
        }
        assertEquals(batch.numInputs(), next);
    }

    @Test
    void streamInputsEqualBatchInputs() {
        MultivariateSeries series = randomSeries(700, 5, 13);
        assertStreamMatchesBatch(new SignatureMatrices(), series, 59);
        assertStreamMatchesBatch(new SignatureMatrices(new int[]{3, 8, 20}, 6, 4), series, 19);
        // a grid that starts early, with zero-padded stacks, and steps = 1
        assertStreamMatchesBatch(new SignatureMatrices(new int[]{3, 8, 20}, 6, 4), series, 2);
        assertStreamMatchesBatch(new SignatureMatrices(new int[]{5}, 1, 1), series, 0);
    }

    @Test
    void firstInputAtFirstValidTime() {
        SignatureMatrices config = new SignatureMatrices(); // first valid time 99
        MultivariateSeries series = randomSeries(120, 2, 3);
        SignatureMatrixStream stream = new SignatureMatrixStream(config, 2);
        assertEquals(59, stream.firstMatrixTime());
        assertEquals(99, stream.firstInputTime());
        for (int t = 0; t < 99; t++) {
            assertFalse(stream.push(series.valuesView(), t * 2));
            assertFalse(stream.hasInput());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, stream::input);
        assertTrue(e.getMessage().contains("4 of 5 stacks") && e.getMessage().contains("time 99"), e.getMessage());
        assertThrows(IllegalStateException.class, stream::inputTime);
        assertTrue(stream.push(series.valuesView(), 99 * 2));
        assertEquals(99, stream.inputTime());
        float[] input = stream.input();
        // the newest stack of the input is the stack at time 99
        int stack = config.stackSize(2);
        assertClose(config.compute(series, 99), 0, input, 4 * stack, stack, 1e-5, "newest stack");
        assertClose(config.compute(series, 59), 0, input, 0, stack, 1e-5, "oldest stack");
        assertThrows(IllegalArgumentException.class, () -> stream.input(new float[input.length], 1));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> stream.push(new float[]{1, Float.NaN}));
        assertTrue(bad.getMessage().contains("point 100") && bad.getMessage().contains("variable 1"),
                bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> stream.push(new float[3]));
        assertTrue(bad.getMessage().contains("point 100") && bad.getMessage().contains("expected 2"),
                bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SignatureMatrixStream(config, 2, -1));
        assertThrows(IllegalArgumentException.class, () -> new SignatureMatrixStream(config, 0));
    }

    @Test
    void memoryIsBoundedAndResetAndCopyWork() {
        int n = 4;
        SignatureMatrices config = new SignatureMatrices(new int[]{5, 12}, 3, 4);
        MultivariateSeries series = randomSeries(3_300, n, 17);
        SignatureMatrixStream stream = new SignatureMatrixStream(config, n);
        long bytes = stream.stateBytes();
        assertEquals(new IncrementalSignatureMatrix(config, n).stateBytes() + 4L * 2 * n * n * Float.BYTES, bytes);
        for (int t = 0; t < 300; t++) {
            stream.push(series.valuesView(), t * n);
        }
        assertEquals(bytes, stream.stateBytes());
        SignatureMatrixStream snapshot = stream.copy();
        for (int t = 300; t < 3_300; t++) {
            stream.push(series.valuesView(), t * n);
        }
        assertEquals(bytes, stream.stateBytes());
        // the snapshot stayed at time 299 and catches up to the same bits
        assertEquals(299, snapshot.time());
        for (int t = 300; t < 3_300; t++) {
            snapshot.push(series.valuesView(), t * n);
        }
        assertArrayEquals(stream.input(), snapshot.input(), 0f);
        // reset: the matrix grid starts again
        stream.reset();
        assertEquals(-1, stream.time());
        assertFalse(stream.hasInput());
        SignatureMatrixStream fresh = new SignatureMatrixStream(config, n);
        for (int t = 0; t < 100; t++) {
            assertEquals(fresh.push(series.valuesView(), t * n), stream.push(series.valuesView(), t * n));
        }
        assertArrayEquals(fresh.input(), stream.input(), 0f);
    }
}
