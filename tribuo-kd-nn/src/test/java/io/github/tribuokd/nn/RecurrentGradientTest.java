package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backpropagation through time of every recurrent layer against central finite differences of a scalar probe
 * loss {@code L = Σ c·h_t (all outputs) + Σ d·h_T + Σ e·c_T (final state)}, plus forward passes against a
 * double-precision reference written from the documented equations and parameter layouts.
 */
public class RecurrentGradientTest {

    private static final float H = 1e-3f;
    private static final int IN = 3;
    private static final int HID = 4;
    private static final int BATCH = 2;
    private static final int STEPS = 5;

    /** The layers under test. */
    enum Kind {
        LSTM(LSTMLayer::new),
        GRU(GRULayer::new),
        RNN(SimpleRNNLayer::new);

        private final BiFunction<Integer, Integer, RecurrentLayer> factory;

        Kind(BiFunction<Integer, Integer, RecurrentLayer> factory) {
            this.factory = factory;
        }

        RecurrentLayer make(int in, int hidden) {
            return factory.apply(in, hidden);
        }
    }

    static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    private static double probe(float[] y, float[] c) {
        if (c == null) {
            return 0;
        }
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            s += (double) y[i] * c[i];
        }
        return s;
    }

    private static void assertClose(double numeric, double analytic, String what) {
        double tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3;
        assertTrue(Math.abs(numeric - analytic) <= tol,
                what + ": finite difference " + numeric + " vs backward " + analytic);
    }

    /** A layer bound at a non-zero offset of a larger buffer, initialised and then perturbed. */
    private static final class Fixture {
        final RecurrentLayer layer;
        final int offset = 3;
        final float[] params;
        final float[] x;
        final RecurrentState initial;
        final float[] probeH;
        final RecurrentState probeFinal;
        final RecurrentLayer.Cache cache;
        final float[] hOut = new float[STEPS * BATCH * HID];

        Fixture(Kind kind, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            layer = kind.make(IN, HID);
            params = new float[offset + layer.numParameters() + 2];
            layer.bind(params, offset);
            layer.initialise(rng);
            for (int i = offset; i < offset + layer.numParameters(); i++) {
                params[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.3); // non-zero biases, livelier gates
            }
            x = random(rng, STEPS * BATCH * IN, 1.0);
            initial = RecurrentState.of(BATCH, HID, random(rng, BATCH * HID, 0.8),
                    layer.hasCellState() ? random(rng, BATCH * HID, 0.8) : null);
            probeH = random(rng, STEPS * BATCH * HID, 1.0);
            probeFinal = RecurrentState.of(BATCH, HID, random(rng, BATCH * HID, 1.0),
                    layer.hasCellState() ? random(rng, BATCH * HID, 1.0) : null);
            cache = layer.newCache(BATCH + 1, STEPS + 2); // larger than needed: capacity is not the call's shape
        }

        double loss() {
            layer.forward(x, BATCH, STEPS, initial, hOut, cache);
            RecurrentState fin = layer.finalState(cache, BATCH);
            return probe(hOut, probeH) + probe(fin.h(), probeFinal.h()) + probe(fin.c(), probeFinal.c());
        }
    }

    private static double centralDifference(Fixture f, float[] array, int i) {
        float keep = array[i];
        array[i] = keep + H;
        double plus = f.loss();
        array[i] = keep - H;
        double minus = f.loss();
        array[i] = keep;
        return (plus - minus) / (2 * H);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    public void backpropagationThroughTime(Kind kind) {
        Fixture f = new Fixture(kind, 11L + kind.ordinal());
        f.loss();
        float[] dx = new float[f.x.length];
        float[] grads = new float[f.params.length];
        RecurrentState dInitial = f.layer.newState(BATCH);
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, dx, grads, dInitial);

        for (int i = 0; i < f.params.length; i++) {
            if (i < f.offset || i >= f.offset + f.layer.numParameters()) {
                assertEquals(0f, grads[i], kind + ": gradient written outside the layer's slice at " + i);
                continue;
            }
            assertClose(centralDifference(f, f.params, i), grads[i], kind + " dParam[" + (i - f.offset) + "]");
        }
        for (int i = 0; i < f.x.length; i++) {
            assertClose(centralDifference(f, f.x, i), dx[i], kind + " dX[" + i + "]");
        }
        for (int i = 0; i < BATCH * HID; i++) {
            assertClose(centralDifference(f, f.initial.h(), i), dInitial.h()[i], kind + " dh0[" + i + "]");
            if (f.layer.hasCellState()) {
                assertClose(centralDifference(f, f.initial.c(), i), dInitial.c()[i], kind + " dc0[" + i + "]");
            }
        }
    }

    /** Gradients add into the buffer: two backward calls give twice the gradient of one. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    public void gradientsAccumulate(Kind kind) {
        Fixture f = new Fixture(kind, 21L);
        f.loss();
        float[] once = new float[f.params.length];
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, null, once, null);
        float[] twice = new float[f.params.length];
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, null, twice, null);
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, null, twice, null);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-5 * Math.max(1, Math.abs(once[i])), kind + " [" + i + "]");
        }
    }

    /** {@code null} for dH or dFinal means zeros. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    public void nullGradientsMeanZeros(Kind kind) {
        Fixture f = new Fixture(kind, 31L);
        f.loss();
        RecurrentState zeros = f.layer.newState(BATCH);
        float[] g1 = new float[f.params.length];
        float[] dx1 = new float[f.x.length];
        RecurrentState d01 = f.layer.newState(BATCH);
        f.layer.backward(null, f.probeFinal, BATCH, STEPS, f.cache, dx1, g1, d01);
        float[] g2 = new float[f.params.length];
        float[] dx2 = new float[f.x.length];
        RecurrentState d02 = f.layer.newState(BATCH);
        f.layer.backward(new float[STEPS * BATCH * HID], f.probeFinal, BATCH, STEPS, f.cache, dx2, g2, d02);
        assertArrayEquals(g2, g1, kind + " dH null");
        assertArrayEquals(dx2, dx1, kind + " dH null");
        assertArrayEquals(d02.h(), d01.h(), kind + " dH null");

        float[] g3 = new float[f.params.length];
        f.layer.backward(f.probeH, null, BATCH, STEPS, f.cache, null, g3, null);
        float[] g4 = new float[f.params.length];
        f.layer.backward(f.probeH, zeros, BATCH, STEPS, f.cache, null, g4, null);
        assertArrayEquals(g4, g3, kind + " dFinal null");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    public void sameSeedSameWeights(Kind kind) {
        RecurrentLayer a = kind.make(5, 7);
        RecurrentLayer b = kind.make(5, 7);
        RecurrentLayer c = kind.make(5, 7);
        float[] pa = new float[a.numParameters()];
        float[] pb = new float[b.numParameters()];
        float[] pc = new float[c.numParameters()];
        a.bind(pa, 0);
        b.bind(pb, 0);
        c.bind(pc, 0);
        a.initialise(new SplittableRandom(42));
        b.initialise(new SplittableRandom(42));
        c.initialise(new SplittableRandom(43));
        assertArrayEquals(pa, pb);
        assertFalse(java.util.Arrays.equals(pa, pc));
        double limit = 1.0 / Math.sqrt(7);
        int gates = kind == Kind.LSTM ? 4 : kind == Kind.GRU ? 3 : 1;
        int weights = (5 + 7) * gates * 7;
        for (int i = 0; i < weights; i++) {
            assertTrue(Math.abs(pa[i]) <= limit, kind + " weight " + i + " = " + pa[i]);
        }
        for (int i = weights; i < pa.length; i++) {
            boolean forgetBias = kind == Kind.LSTM && i - weights >= 7 && i - weights < 14;
            assertEquals(forgetBias ? 1f : 0f, pa[i], kind + " bias " + (i - weights));
        }
    }

    @Test
    public void parameterCountsAndOffsets() {
        LSTMLayer lstm = new LSTMLayer(3, 4);
        assertEquals(3 * 16 + 4 * 16 + 16, lstm.numParameters());
        lstm.bind(new float[200], 10);
        assertEquals(10, lstm.inputWeightOffset());
        assertEquals(10 + 48, lstm.recurrentWeightOffset());
        assertEquals(10 + 48 + 64, lstm.biasOffset());
        GRULayer gru = new GRULayer(3, 4);
        assertEquals(3 * 12 + 4 * 12 + 12 + 12, gru.numParameters());
        gru.bind(new float[200], 10);
        assertEquals(10 + 36, gru.recurrentWeightOffset());
        assertEquals(10 + 36 + 48, gru.inputBiasOffset());
        assertEquals(10 + 36 + 48 + 12, gru.recurrentBiasOffset());
        SimpleRNNLayer rnn = new SimpleRNNLayer(3, 4);
        assertEquals(3 * 4 + 4 * 4 + 4, rnn.numParameters());
        rnn.bind(new float[200], 10);
        assertEquals(10 + 12, rnn.recurrentWeightOffset());
        assertEquals(10 + 12 + 16, rnn.biasOffset());
        assertThrows(IllegalArgumentException.class, () -> new LSTMLayer(3, 4).bind(new float[100], 0));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    public void cacheTooSmallOrMisusedIsAClearError(Kind kind) {
        RecurrentLayer layer = kind.make(IN, HID);
        layer.bind(new float[layer.numParameters()], 0);
        layer.initialise(new SplittableRandom(1));
        RecurrentLayer.Cache cache = layer.newCache(2, 3);
        assertEquals(2, cache.maxBatch());
        assertEquals(3, cache.maxSteps());
        float[] x = new float[4 * 3 * IN];
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 2, 4, null, null, cache));
        assertTrue(tooLong.getMessage().contains("maxSteps 3"), tooLong.getMessage());
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 3, 3, null, null, cache));
        assertTrue(tooWide.getMessage().contains("maxBatch 2"), tooWide.getMessage());
        // backward before any forward
        assertThrows(IllegalStateException.class,
                () -> layer.backward(null, null, 2, 3, cache, null, new float[layer.numParameters()], null));
        layer.forward(x, 2, 3, null, null, cache);
        // backward with another shape than the forward call
        assertThrows(IllegalArgumentException.class,
                () -> layer.backward(null, null, 2, 2, cache, null, new float[layer.numParameters()], null));
        // a state of the wrong batch
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 2, 3, layer.newState(1), null, cache));
        // x too short
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(new float[5], 2, 3, null, null, cache));
        // a cache of another kind, or of other sizes
        RecurrentLayer other = (kind == Kind.LSTM ? Kind.GRU : Kind.LSTM).make(IN, HID);
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 2, 3, null, null, other.newCache(2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 2, 3, null, null, kind.make(IN, HID + 1).newCache(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> layer.newCache(0, 3));
    }

    // ---- forward against a double-precision reference written from the class Javadoc ----

    private static double sig(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /** Reference forward, one sequence at a time, straight from the documented equations and layouts. */
    private static double[] referenceForward(Kind kind, float[] p, float[] x, float[] h0, float[] c0,
                                             int in, int hid, int batch, int steps) {
        int g = kind == Kind.LSTM ? 4 : kind == Kind.GRU ? 3 : 1;
        int w = 0;
        int u = in * g * hid;
        int b1 = u + hid * g * hid;
        int b2 = b1 + g * hid; // GRU's recurrent bias
        double[] out = new double[steps * batch * hid];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[hid];
            double[] c = new double[hid];
            for (int j = 0; j < hid; j++) {
                h[j] = h0[b * hid + j];
                c[j] = c0 == null ? 0 : c0[b * hid + j];
            }
            for (int t = 0; t < steps; t++) {
                double[] ax = new double[g * hid];
                double[] ah = new double[g * hid];
                for (int col = 0; col < g * hid; col++) {
                    double s = p[b1 + col];
                    for (int i = 0; i < in; i++) {
                        s += x[(t * batch + b) * in + i] * p[w + i * g * hid + col];
                    }
                    ax[col] = s;
                    double r = kind == Kind.GRU ? p[b2 + col] : 0;
                    for (int k = 0; k < hid; k++) {
                        r += h[k] * p[u + k * g * hid + col];
                    }
                    ah[col] = r;
                }
                double[] hn = new double[hid];
                for (int j = 0; j < hid; j++) {
                    switch (kind) {
                        case LSTM: {
                            double ig = sig(ax[j] + ah[j]);
                            double fg = sig(ax[hid + j] + ah[hid + j]);
                            double gg = Math.tanh(ax[2 * hid + j] + ah[2 * hid + j]);
                            double og = sig(ax[3 * hid + j] + ah[3 * hid + j]);
                            c[j] = fg * c[j] + ig * gg;
                            hn[j] = og * Math.tanh(c[j]);
                            break;
                        }
                        case GRU: {
                            double r = sig(ax[j] + ah[j]);
                            double z = sig(ax[hid + j] + ah[hid + j]);
                            double n = Math.tanh(ax[2 * hid + j] + r * ah[2 * hid + j]);
                            hn[j] = (1 - z) * n + z * h[j];
                            break;
                        }
                        default:
                            hn[j] = Math.tanh(ax[j] + ah[j]);
                    }
                }
                h = hn;
                for (int j = 0; j < hid; j++) {
                    out[(t * batch + b) * hid + j] = h[j];
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    public void forwardMatchesTheDocumentedEquations(Kind kind) {
        SplittableRandom rng = new SplittableRandom(7);
        int in = 5, hid = 6, batch = 3, steps = 4;
        RecurrentLayer layer = kind.make(in, hid);
        float[] p = random(rng, layer.numParameters(), 0.6);
        layer.bind(p, 0);
        float[] x = random(rng, steps * batch * in, 1.0);
        float[] h0 = random(rng, batch * hid, 0.5);
        float[] c0 = layer.hasCellState() ? random(rng, batch * hid, 0.5) : null;
        float[] hOut = new float[steps * batch * hid];
        RecurrentLayer.Cache cache = layer.newCache(batch, steps);
        layer.forward(x, batch, steps, RecurrentState.of(batch, hid, h0, c0), hOut, cache);
        double[] ref = referenceForward(kind, p, x, h0, c0, in, hid, batch, steps);
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], hOut[i], 1e-5, kind + " h[" + i + "]");
        }
        RecurrentState fin = layer.finalState(cache, batch);
        for (int i = 0; i < batch * hid; i++) {
            assertEquals(hOut[(steps - 1) * batch * hid + i], fin.h()[i], kind + " final h");
        }
    }

    // ---- a tiny learning problem ----

    /** An LSTM with a dense readout of h_T learns the sum of a short random sequence. */
    @Test
    public void lstmLearnsTheSumOfASequence() {
        int steps = 5, batch = 32, hid = 8;
        SplittableRandom rng = new SplittableRandom(2024);
        LSTMLayer lstm = new LSTMLayer(1, hid);
        DenseLayer readout = new DenseLayer(hid, 1, Activation.IDENTITY);
        float[] params = new float[lstm.numParameters() + readout.numParameters()];
        lstm.bind(params, 0);
        readout.bind(params, lstm.numParameters());
        lstm.initialise(rng);
        readout.initialise(rng);
        float[] grads = new float[params.length];
        AdamOptimiser adam = new AdamOptimiser(0.02);
        adam.initialise(params.length);

        int evalBatch = 256;
        float[] evalX = random(new SplittableRandom(99), steps * evalBatch, 1.0);
        float[] evalY = sums(evalX, steps, evalBatch);
        RecurrentLayer.Cache evalCache = lstm.newCache(evalBatch, steps);
        RecurrentState evalState = lstm.newState(evalBatch);
        float[] evalPred = new float[evalBatch];
        double before = evalLoss(lstm, readout, evalX, evalY, evalBatch, steps, evalCache, evalState, evalPred);

        RecurrentLayer.Cache cache = lstm.newCache(batch, steps);
        RecurrentState hT = lstm.newState(batch);
        RecurrentState dFinal = lstm.newState(batch);
        float[] pred = new float[batch];
        float[] dPred = new float[batch];
        for (int it = 0; it < 200; it++) {
            float[] x = random(rng, steps * batch, 1.0); // [steps, batch, 1]
            float[] y = sums(x, steps, batch);
            lstm.forward(x, batch, steps, null, null, cache);
            lstm.copyFinalState(cache, batch, hT);
            readout.forward(hT.h(), pred, batch);
            LossFunction.MSE.lossAndGradient(pred, y, dPred, batch);
            java.util.Arrays.fill(grads, 0f);
            readout.backward(hT.h(), pred, dPred, dFinal.h(), grads, batch); // dFinal.c stays 0
            lstm.backward(null, dFinal, batch, steps, cache, null, grads, null);
            adam.step(params, grads);
        }
        double after = evalLoss(lstm, readout, evalX, evalY, evalBatch, steps, evalCache, evalState, evalPred);
        assertTrue(after < before / 10, "loss " + before + " -> " + after);
    }

    private static float[] sums(float[] x, int steps, int batch) {
        float[] y = new float[batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                y[b] += x[t * batch + b];
            }
        }
        return y;
    }

    private static double evalLoss(LSTMLayer lstm, DenseLayer readout, float[] x, float[] y, int batch, int steps,
                                   RecurrentLayer.Cache cache, RecurrentState hT, float[] pred) {
        lstm.forward(x, batch, steps, null, null, cache);
        lstm.copyFinalState(cache, batch, hT);
        readout.forward(hT.h(), pred, batch);
        return LossFunction.MSE.lossAndGradient(pred, y, null, batch);
    }
}
