package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RecurrentState}: copies, zeroing, and carrying the state across calls as the Long-Term Accumulator of
 * seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) does (its final state of one window is the initial state of the next).
 */
public class RecurrentStateTest {

    private static RecurrentLayer initialised(RecurrentGradientTest.Kind kind, int in, int hidden, long seed) {
        RecurrentLayer layer = kind.make(in, hidden);
        layer.bind(new float[layer.numParameters()], 0);
        layer.initialise(new SplittableRandom(seed));
        return layer;
    }

    /** One call of 2T steps equals two calls of T steps with the state carried, bit for bit. */
    @ParameterizedTest
    @EnumSource(RecurrentGradientTest.Kind.class)
    public void carryingTheStateEqualsOneLongCall(RecurrentGradientTest.Kind kind) {
        int in = 3, hidden = 5, batch = 2, half = 6;
        SplittableRandom rng = new SplittableRandom(5);
        RecurrentLayer layer = initialised(kind, in, hidden, 17);
        float[] x = RecurrentGradientTest.random(rng, 2 * half * batch * in, 1.0); // [2T, B, I]
        RecurrentState initial = RecurrentState.of(batch, hidden,
                RecurrentGradientTest.random(rng, batch * hidden, 0.5),
                layer.hasCellState() ? RecurrentGradientTest.random(rng, batch * hidden, 0.5) : null);

        RecurrentState pristine = initial.copy();
        for (RecurrentState start : new RecurrentState[]{null, initial}) {
            // one call of 2T steps
            float[] hLong = new float[2 * half * batch * hidden];
            RecurrentLayer.Cache longCache = layer.newCache(batch, 2 * half);
            layer.forward(x, batch, 2 * half, start, hLong, longCache);
            RecurrentState longFinal = layer.finalState(longCache, batch);

            // two calls of T steps, the final state of the first being the initial state of the second
            int xHalf = half * batch * in;
            int hHalf = half * batch * hidden;
            float[] x1 = Arrays.copyOfRange(x, 0, xHalf);      // time-major: steps 0..T-1 are one block
            float[] x2 = Arrays.copyOfRange(x, xHalf, 2 * xHalf);
            RecurrentLayer.Cache cache = layer.newCache(batch + 2, half + 3); // capacity is not the shape
            RecurrentState state = start == null ? layer.newState(batch) : start.copy();
            float[] h1 = new float[hHalf];
            float[] h2 = new float[hHalf];
            layer.forward(x1, batch, half, state, h1, cache);
            layer.copyFinalState(cache, batch, state);
            layer.forward(x2, batch, half, state, h2, cache);
            layer.copyFinalState(cache, batch, state);

            String what = kind + (start == null ? " from zeros" : " from a given state");
            assertArrayEquals(Arrays.copyOfRange(hLong, 0, hHalf), h1, what);
            assertArrayEquals(Arrays.copyOfRange(hLong, hHalf, 2 * hHalf), h2, what);
            assertArrayEquals(longFinal.h(), state.h(), what);
            if (layer.hasCellState()) {
                assertArrayEquals(longFinal.c(), state.c(), what);
            }
        }
        // the given initial state was only read
        assertArrayEquals(pristine.h(), initial.h());
        if (layer.hasCellState()) {
            assertArrayEquals(pristine.c(), initial.c());
        }
    }

    /** The final state is the last output block, and forward does not alter its initial state argument. */
    @ParameterizedTest
    @EnumSource(RecurrentGradientTest.Kind.class)
    public void finalStateIsTheLastOutput(RecurrentGradientTest.Kind kind) {
        int in = 2, hidden = 3, batch = 4, steps = 3;
        RecurrentLayer layer = initialised(kind, in, hidden, 3);
        SplittableRandom rng = new SplittableRandom(8);
        float[] x = RecurrentGradientTest.random(rng, steps * batch * in, 1.0);
        RecurrentState initial = layer.newState(batch);
        Arrays.fill(initial.h(), 0.25f);
        RecurrentState before = initial.copy();
        float[] h = new float[steps * batch * hidden];
        RecurrentLayer.Cache cache = layer.newCache(batch, steps);
        layer.forward(x, batch, steps, initial, h, cache);
        assertArrayEquals(before.h(), initial.h());
        RecurrentState fin = layer.finalState(cache, batch);
        assertArrayEquals(Arrays.copyOfRange(h, (steps - 1) * batch * hidden, steps * batch * hidden), fin.h());
        assertEquals(layer.hasCellState(), fin.hasCell());
        // hOut may be null when only the final state is wanted
        layer.forward(x, batch, steps, initial, null, cache);
        assertArrayEquals(fin.h(), layer.finalState(cache, batch).h());
        // a destination of the wrong batch is refused
        assertThrows(IllegalArgumentException.class, () -> layer.copyFinalState(cache, batch, layer.newState(1)));
    }

    @Test
    public void copyZeroAndCopyFrom() {
        RecurrentState s = RecurrentState.of(2, 3, new float[]{1, 2, 3, 4, 5, 6}, new float[]{6, 5, 4, 3, 2, 1});
        assertEquals(2, s.batch());
        assertEquals(3, s.hiddenSize());
        assertTrue(s.hasCell());
        RecurrentState copy = s.copy();
        assertNotSame(s.h(), copy.h());
        assertNotSame(s.c(), copy.c());
        assertArrayEquals(s.h(), copy.h());
        assertArrayEquals(s.c(), copy.c());
        s.zero();
        assertArrayEquals(new float[6], s.h());
        assertArrayEquals(new float[6], s.c());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, copy.h()); // the copy is deep
        s.copyFrom(copy);
        assertArrayEquals(new float[]{6, 5, 4, 3, 2, 1}, s.c());

        RecurrentState noCell = new RecurrentState(2, 3, false);
        assertFalse(noCell.hasCell());
        assertNull(noCell.c());
        assertArrayEquals(new float[6], noCell.h());
        noCell.zero();
        assertNull(noCell.copy().c());
        // shapes must match
        assertThrows(IllegalArgumentException.class, () -> noCell.copyFrom(s));
        assertThrows(IllegalArgumentException.class, () -> s.copyFrom(new RecurrentState(1, 3, true)));
        assertThrows(IllegalArgumentException.class, () -> RecurrentState.of(2, 3, new float[5], null));
        assertThrows(IllegalArgumentException.class, () -> new RecurrentState(0, 3, false));
    }

    @Test
    public void stateOfTheWrongKindIsRefused() {
        LSTMLayer lstm = new LSTMLayer(2, 3);
        lstm.bind(new float[lstm.numParameters()], 0);
        GRULayer gru = new GRULayer(2, 3);
        gru.bind(new float[gru.numParameters()], 0);
        float[] x = new float[2 * 2];
        // an LSTM needs a cell state; a GRU has none
        assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(x, 1, 2, new RecurrentState(1, 3, false), null, lstm.newCache(1, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> gru.forward(x, 1, 2, new RecurrentState(1, 3, true), null, gru.newCache(1, 2)));
        assertTrue(lstm.newState(1).hasCell());
        assertFalse(gru.newState(1).hasCell());
    }
}
