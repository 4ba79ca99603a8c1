package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConvLSTMLayer}: backpropagation through time against central finite differences of a probe loss
 * {@code L = Σ p·h_t (all outputs) + Σ q·h_T + Σ r·c_T}, the forward pass against a double-precision reference
 * written with plain loops from the class Javadoc, carried state, determinism and initialisation. (The chain ConvLSTM → temporal attention → normalised MSE of
 * MSCRED's distillation term is checked in the timeseries module's {@code DistillationChainGradientTest}.)
 */
public class ConvLSTMLayerTest {

    private static final float H = 1e-3f;
    private static final int CIN = 2;
    private static final int CH = 3;
    private static final int ROWS = 4;
    private static final int COLS = 5;
    private static final int K = 3;
    private static final int STEPS = 3;
    private static final int BATCH = 2;
    private static final int IN = CIN * ROWS * COLS;
    private static final int HID = CH * ROWS * COLS;

    static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    private static double dot(float[] y, float[] c) {
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            s += (double) y[i] * c[i];
        }
        return s;
    }

    static void assertClose(double numeric, double analytic, String what) {
        double tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3;
        assertTrue(Math.abs(numeric - analytic) <= tol,
                what + ": finite difference " + numeric + " vs backward " + analytic);
    }

    /** A layer bound at a non-zero offset of a larger buffer, initialised and then perturbed. */
    private static final class Fixture {
        final ConvLSTMLayer layer = new ConvLSTMLayer(CIN, CH, ROWS, COLS, K);
        final int offset = 3;
        final float[] params;
        final float[] x;
        final RecurrentState initial;
        final float[] probeH;
        final RecurrentState probeFinal;
        final RecurrentLayer.Cache cache;
        final float[] hOut = new float[STEPS * BATCH * HID];
        final RecurrentState fin;

        Fixture(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            params = new float[offset + layer.numParameters() + 2];
            layer.bind(params, offset);
            layer.initialise(rng);
            for (int i = offset; i < offset + layer.numParameters(); i++) {
                params[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.3); // non-zero biases, livelier gates
            }
            x = random(rng, STEPS * BATCH * IN, 1.0);
            initial = RecurrentState.of(BATCH, HID, random(rng, BATCH * HID, 0.8), random(rng, BATCH * HID, 0.8));
            probeH = random(rng, STEPS * BATCH * HID, 1.0);
            probeFinal = RecurrentState.of(BATCH, HID, random(rng, BATCH * HID, 1.0), random(rng, BATCH * HID, 1.0));
            cache = layer.newCache(BATCH + 1, STEPS + 1); // larger than needed: capacity is not the call's shape
            fin = layer.newState(BATCH);
        }

        double loss() {
            layer.forward(x, BATCH, STEPS, initial, hOut, cache);
            layer.copyFinalState(cache, BATCH, fin);
            return dot(hOut, probeH) + dot(fin.h(), probeFinal.h()) + dot(fin.c(), probeFinal.c());
        }

        double centralDifference(float[] array, int i) {
            float keep = array[i];
            array[i] = keep + H;
            double plus = loss();
            array[i] = keep - H;
            double minus = loss();
            array[i] = keep;
            return (plus - minus) / (2 * H);
        }
    }

    @Test
    public void backpropagationThroughTime() {
        Fixture f = new Fixture(11L);
        f.loss();
        float[] dx = new float[f.x.length];
        float[] grads = new float[f.params.length];
        RecurrentState dInitial = f.layer.newState(BATCH);
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, dx, grads, dInitial);

        for (int i = 0; i < f.params.length; i++) {
            if (i < f.offset || i >= f.offset + f.layer.numParameters()) {
                assertEquals(0f, grads[i], "gradient written outside the layer's slice at " + i);
                continue;
            }
            assertClose(f.centralDifference(f.params, i), grads[i], "dParam[" + (i - f.offset) + "]");
        }
        for (int i = 0; i < f.x.length; i++) {
            assertClose(f.centralDifference(f.x, i), dx[i], "dX[" + i + "]");
        }
        for (int i = 0; i < BATCH * HID; i++) {
            assertClose(f.centralDifference(f.initial.h(), i), dInitial.h()[i], "dh0[" + i + "]");
            assertClose(f.centralDifference(f.initial.c(), i), dInitial.c()[i], "dc0[" + i + "]");
        }
    }

    /** Gradients add into the buffer; {@code null} for dH or dFinal means zeros; backward may run twice. */
    @Test
    public void gradientsAccumulateAndNullMeansZeros() {
        Fixture f = new Fixture(21L);
        f.loss();
        float[] once = new float[f.params.length];
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, null, once, null);
        float[] twice = new float[f.params.length];
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, null, twice, null);
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, null, twice, null);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-5 * Math.max(1, Math.abs(once[i])), "[" + i + "]");
        }
        // without dX and dInitial the first step skips its input gradient: the parameter gradients are the same
        float[] withDx = new float[f.params.length];
        f.layer.backward(f.probeH, f.probeFinal, BATCH, STEPS, f.cache, new float[f.x.length], withDx,
                f.layer.newState(BATCH));
        assertArrayEquals(withDx, once);
        float[] g1 = new float[f.params.length];
        float[] dx1 = new float[f.x.length];
        f.layer.backward(null, null, BATCH, STEPS, f.cache, dx1, g1, null);
        float[] g2 = new float[f.params.length];
        float[] dx2 = new float[f.x.length];
        f.layer.backward(new float[STEPS * BATCH * HID], f.layer.newState(BATCH), BATCH, STEPS, f.cache, dx2, g2,
                null);
        assertArrayEquals(g2, g1);
        assertArrayEquals(dx2, dx1);
    }

    // ---- forward against a double-precision reference written from the class Javadoc ----

    private static double sig(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /**
     * Reference forward with plain loops: z = W * [x ; h] + b over zero-padded maps, gates i, f, o, g in blocks of
     * Ch output channels; returns every h_t {@code [steps, batch, Ch·H·W]} followed by c_T {@code [batch, Ch·H·W]}.
     */
    static double[] referenceForward(float[] p, float[] x, float[] h0, float[] c0, int cin, int ch, int rows,
                                     int cols, int k, int batch, int steps) {
        int cxh = cin + ch;
        int pad = (k - 1) / 2;
        int plane = rows * cols;
        int in = cin * plane;
        int hid = ch * plane;
        int biasAt = 4 * ch * cxh * k * k;
        double[] out = new double[steps * batch * hid + batch * hid];
        for (int b = 0; b < batch; b++) {
            double[][][] h = new double[ch][rows][cols];
            double[][][] c = new double[ch][rows][cols];
            for (int q = 0; q < ch; q++) {
                for (int y = 0; y < rows; y++) {
                    for (int xx = 0; xx < cols; xx++) {
                        h[q][y][xx] = h0 == null ? 0 : h0[b * hid + q * plane + y * cols + xx];
                        c[q][y][xx] = c0 == null ? 0 : c0[b * hid + q * plane + y * cols + xx];
                    }
                }
            }
            for (int t = 0; t < steps; t++) {
                // the concatenated input [x_t ; h_{t−1}] as [Cin+Ch][rows][cols]
                double[][][] xh = new double[cxh][rows][cols];
                for (int ci = 0; ci < cxh; ci++) {
                    for (int y = 0; y < rows; y++) {
                        for (int xx = 0; xx < cols; xx++) {
                            xh[ci][y][xx] = ci < cin ? x[(t * batch + b) * in + ci * plane + y * cols + xx]
                                    : h[ci - cin][y][xx];
                        }
                    }
                }
                double[][][] z = new double[4 * ch][rows][cols];
                for (int co = 0; co < 4 * ch; co++) {
                    for (int y = 0; y < rows; y++) {
                        for (int xx = 0; xx < cols; xx++) {
                            double s = p[biasAt + co];
                            for (int ci = 0; ci < cxh; ci++) {
                                for (int ky = 0; ky < k; ky++) {
                                    for (int kx = 0; kx < k; kx++) {
                                        int iy = y + ky - pad;
                                        int ix = xx + kx - pad;
                                        if (iy < 0 || iy >= rows || ix < 0 || ix >= cols) {
                                            continue;
                                        }
                                        s += p[((co * cxh + ci) * k + ky) * k + kx] * xh[ci][iy][ix];
                                    }
                                }
                            }
                            z[co][y][xx] = s;
                        }
                    }
                }
                for (int q = 0; q < ch; q++) {
                    for (int y = 0; y < rows; y++) {
                        for (int xx = 0; xx < cols; xx++) {
                            double ig = sig(z[q][y][xx]);
                            double fg = sig(z[ch + q][y][xx]);
                            double og = sig(z[2 * ch + q][y][xx]);
                            double gg = Math.tanh(z[3 * ch + q][y][xx]);
                            c[q][y][xx] = fg * c[q][y][xx] + ig * gg;
                            h[q][y][xx] = og * Math.tanh(c[q][y][xx]);
                            out[(t * batch + b) * hid + q * plane + y * cols + xx] = h[q][y][xx];
                            if (t == steps - 1) {
                                out[steps * batch * hid + b * hid + q * plane + y * cols + xx] = c[q][y][xx];
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    public void forwardMatchesANaiveReference() {
        SplittableRandom rng = new SplittableRandom(7);
        ConvLSTMLayer layer = new ConvLSTMLayer(CIN, CH, ROWS, COLS, K);
        float[] p = random(rng, layer.numParameters(), 0.4);
        layer.bind(p, 0);
        float[] x = random(rng, STEPS * BATCH * IN, 1.0);
        float[] h0 = random(rng, BATCH * HID, 0.5);
        float[] c0 = random(rng, BATCH * HID, 0.5);
        float[] hOut = new float[STEPS * BATCH * HID];
        RecurrentLayer.Cache cache = layer.newCache(BATCH, STEPS);
        layer.forward(x, BATCH, STEPS, RecurrentState.of(BATCH, HID, h0, c0), hOut, cache);
        double[] ref = referenceForward(p, x, h0, c0, CIN, CH, ROWS, COLS, K, BATCH, STEPS);
        for (int i = 0; i < hOut.length; i++) {
            assertEquals(ref[i], hOut[i], 1e-5, "h[" + i + "]");
        }
        RecurrentState fin = layer.finalState(cache, BATCH);
        for (int i = 0; i < BATCH * HID; i++) {
            assertEquals(hOut[(STEPS - 1) * BATCH * HID + i], fin.h()[i], "final h");
            assertEquals(ref[hOut.length + i], fin.c()[i], 1e-5, "final c[" + i + "]");
        }
        // a 1x1 kernel and a zero initial state (null) on another shape
        ConvLSTMLayer point = new ConvLSTMLayer(1, 2, 3, 2, 1);
        float[] pp = random(rng, point.numParameters(), 0.8);
        point.bind(pp, 0);
        float[] xp = random(rng, 4 * 3 * 6, 1.0);
        float[] hp = new float[4 * 3 * 12];
        point.forward(xp, 3, 4, null, hp, point.newCache(3, 4));
        double[] refP = referenceForward(pp, xp, null, null, 1, 2, 3, 2, 1, 3, 4);
        for (int i = 0; i < hp.length; i++) {
            assertEquals(refP[i], hp[i], 1e-5, "1x1 h[" + i + "]");
        }
    }

    // ---- carried state, determinism, batch independence ----

    private static ConvLSTMLayer initialised(float[] params, long seed) {
        ConvLSTMLayer layer = new ConvLSTMLayer(CIN, CH, ROWS, COLS, K);
        layer.bind(params, 0);
        layer.initialise(new SplittableRandom(seed));
        return layer;
    }

    /** Six steps in one call give bit-for-bit what three steps and three more from the copied final state give. */
    @Test
    public void carriedStateEqualsOneLongCall() {
        ConvLSTMLayer layer = initialised(new float[new ConvLSTMLayer(CIN, CH, ROWS, COLS, K).numParameters()], 5);
        float[] x = random(new SplittableRandom(6), 6 * BATCH * IN, 1.0);
        RecurrentLayer.Cache cache = layer.newCache(BATCH, 6);
        float[] all = new float[6 * BATCH * HID];
        layer.forward(x, BATCH, 6, null, all, cache);
        RecurrentState allFinal = layer.finalState(cache, BATCH);

        RecurrentState state = layer.newState(BATCH);
        float[] first = new float[3 * BATCH * HID];
        float[] second = new float[3 * BATCH * HID];
        layer.forward(Arrays.copyOfRange(x, 0, 3 * BATCH * IN), BATCH, 3, state, first, cache);
        layer.copyFinalState(cache, BATCH, state);
        layer.forward(Arrays.copyOfRange(x, 3 * BATCH * IN, 6 * BATCH * IN), BATCH, 3, state, second, cache);
        layer.copyFinalState(cache, BATCH, state);

        assertArrayEquals(Arrays.copyOfRange(all, 0, first.length), first);
        assertArrayEquals(Arrays.copyOfRange(all, first.length, all.length), second);
        assertArrayEquals(allFinal.h(), state.h());
        assertArrayEquals(allFinal.c(), state.c());
    }

    /** Same inputs, same bits (outputs and gradients), on a fresh cache too; an example alone = in a batch. */
    @Test
    public void deterministicAndBatchIndependent() {
        int n = new ConvLSTMLayer(CIN, CH, ROWS, COLS, K).numParameters();
        SplittableRandom rng = new SplittableRandom(8);
        float[] x = random(rng, STEPS * BATCH * IN, 1.0);
        float[] dH = random(rng, STEPS * BATCH * HID, 1.0);
        float[][] outs = new float[2][];
        float[][] grads = new float[2][];
        float[][] dxs = new float[2][];
        for (int run = 0; run < 2; run++) {
            ConvLSTMLayer layer = initialised(new float[n], 9);
            RecurrentLayer.Cache cache = layer.newCache(BATCH, STEPS);
            outs[run] = new float[STEPS * BATCH * HID];
            grads[run] = new float[n];
            dxs[run] = new float[x.length];
            layer.forward(x, BATCH, STEPS, null, outs[run], cache);
            layer.backward(dH, null, BATCH, STEPS, cache, dxs[run], grads[run], null);
        }
        assertArrayEquals(outs[0], outs[1]);
        assertArrayEquals(grads[0], grads[1]);
        assertArrayEquals(dxs[0], dxs[1]);

        // example 1 of the batch, alone
        ConvLSTMLayer layer = initialised(new float[n], 9);
        float[] x1 = new float[STEPS * IN];
        for (int t = 0; t < STEPS; t++) {
            System.arraycopy(x, (t * BATCH + 1) * IN, x1, t * IN, IN);
        }
        float[] h1 = new float[STEPS * HID];
        layer.forward(x1, 1, STEPS, null, h1, layer.newCache(1, STEPS));
        for (int t = 0; t < STEPS; t++) {
            assertArrayEquals(Arrays.copyOfRange(outs[0], (t * BATCH + 1) * HID, (t * BATCH + 2) * HID),
                    Arrays.copyOfRange(h1, t * HID, (t + 1) * HID), "step " + t);
        }
    }

    // ---- parameters, initialisation, misuse ----

    @Test
    public void parameterLayoutAndInitialisation() {
        ConvLSTMLayer layer = new ConvLSTMLayer(CIN, CH, ROWS, COLS, K);
        int weights = 4 * CH * (CIN + CH) * K * K;
        assertEquals(weights + 4 * CH, layer.numParameters());
        assertEquals(IN, layer.inputSize());
        assertEquals(HID, layer.hiddenSize());
        assertEquals((long) 4 * CH * (CIN + CH) * K * K * ROWS * COLS, layer.multiplyAccumulatesPerStep());
        float[] pa = new float[layer.numParameters() + 10];
        layer.bind(pa, 10);
        assertEquals(10, layer.weightOffset());
        assertEquals(10 + weights, layer.biasOffset());
        layer.initialise(new SplittableRandom(42));
        float[] pb = new float[layer.numParameters() + 10];
        ConvLSTMLayer other = new ConvLSTMLayer(CIN, CH, ROWS, COLS, K);
        other.bind(pb, 10);
        other.initialise(new SplittableRandom(42));
        assertArrayEquals(pa, pb);
        other.initialise(new SplittableRandom(43));
        assertFalse(Arrays.equals(pa, pb));
        double limit = 1.0 / Math.sqrt((CIN + CH) * K * K);
        for (int i = 0; i < weights; i++) {
            assertTrue(Math.abs(pa[10 + i]) <= limit, "weight " + i + " = " + pa[10 + i]);
        }
        for (int j = 0; j < 4 * CH; j++) {
            assertEquals(j >= CH && j < 2 * CH ? 1f : 0f, pa[10 + weights + j], "bias " + j);
        }
        assertThrows(IllegalArgumentException.class, () -> layer.bind(new float[layer.numParameters()], 1));
        assertThrows(IllegalArgumentException.class, () -> new ConvLSTMLayer(CIN, CH, ROWS, COLS, 2));
        assertThrows(IllegalArgumentException.class, () -> new ConvLSTMLayer(0, CH, ROWS, COLS, 3));
    }

    @Test
    public void misuseIsAClearError() {
        ConvLSTMLayer layer = initialised(new float[new ConvLSTMLayer(CIN, CH, ROWS, COLS, K).numParameters()], 1);
        RecurrentLayer.Cache cache = layer.newCache(2, 3);
        float[] x = new float[4 * 2 * IN];
        assertThrows(IllegalArgumentException.class, () -> layer.forward(x, 2, 4, null, null, cache));
        assertThrows(IllegalStateException.class,
                () -> layer.backward(null, null, 2, 3, cache, null, new float[layer.numParameters()], null));
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 2, 3, null, null, new LSTMLayer(IN, HID).newCache(2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 2, 3, null, null, new ConvLSTMLayer(CIN, CH + 1, ROWS, COLS, K).newCache(2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, 2, 3, new RecurrentState(2, HID, false), null, cache));
    }
}
