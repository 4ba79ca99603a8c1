package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.DenseLayer;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.Layer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OneHiddenLayerScorer}: the Vector API kernel against the plain-Java one (same bits), both against the
 * generic forward pass and a double-precision reference, one sample against batches, and 1 against 2 threads.
 */
public class OneHiddenLayerScorerTest {

    /** (input, hidden) shapes: the student, widths below, at and above one register, odd input sizes. */
    private static final int[][] SHAPES = {{38, 16}, {1, 1}, {3, 5}, {7, 16}, {38, 17}, {13, 33}, {64, 8}, {5, 48},
            {38, 100}, {2, 31}};
    private static final Activation[] HIDDEN = {Activation.RELU, Activation.TANH, Activation.SIGMOID,
            Activation.IDENTITY};

    private static FeedForwardNetwork randomNetwork(int d, int h, Activation hidden, Activation output, long seed) {
        FeedForwardNetwork net = new FeedForwardNetwork(new int[] {d, h, 1}, hidden, output);
        SplittableRandom rng = new SplittableRandom(seed);
        net.initialise(rng);
        float[] p = net.parameters();
        for (Layer l : net.layers()) { // non-zero biases, so that they are tested too
            if (l instanceof DenseLayer) {
                DenseLayer dense = (DenseLayer) l;
                for (int o = 0; o < dense.outputSize(); o++) {
                    p[dense.biasOffset() + o] = (float) (rng.nextDouble() - 0.5);
                }
            }
        }
        return net;
    }

    private static float[] randomRows(int n, int d, int pad, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[pad + n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 1.5);
        }
        return x;
    }

    /** The network's output 0 in double precision, with the sum of |terms| of the output layer (for tolerances). */
    private static double[] reference(FeedForwardNetwork net, float[] x, int off) {
        int[] s = net.sizes();
        int d = s[0], h = s[1], k = s[2];
        DenseLayer first = (DenseLayer) net.layers().get(0);
        DenseLayer last = (DenseLayer) net.layers().get(2);
        float[] p = net.parameters();
        double y = p[last.biasOffset()], mag = Math.abs(y);
        for (int o = 0; o < h; o++) {
            double a = p[first.biasOffset() + o], am = Math.abs(a);
            for (int j = 0; j < d; j++) {
                double t = (double) x[off + j] * p[first.weightOffset() + j * h + o];
                a += t;
                am += Math.abs(t);
            }
            double f = net.hiddenActivation().apply((float) a);
            double t = f * p[last.weightOffset() + o * k];
            y += t;
            mag += Math.abs(t) + am * Math.abs(p[last.weightOffset() + o * k]);
        }
        return new double[] {net.outputActivation().apply((float) y), mag};
    }

    @Test
    public void vectorKernelGivesThePlainKernelsBits() {
        int lanes = OneHiddenLayerScorer.vectorLanes();
        Assumptions.assumeTrue(lanes > 0, "no Vector API in this JVM");
        int[] ns = {0, 1, 3, 4, 15, 16, 17, 33, 61, 100};
        long seed = 1;
        for (int[] shape : SHAPES) {
            for (Activation act : HIDDEN) {
                Activation outAct = seed % 5 == 0 ? Activation.SIGMOID : Activation.IDENTITY;
                FeedForwardNetwork net = randomNetwork(shape[0], shape[1], act, outAct, seed++);
                OneHiddenLayerScorer vector = OneHiddenLayerScorer.vectorApi(net);
                OneHiddenLayerScorer plain = OneHiddenLayerScorer.plainJava(net, lanes);
                for (int n : ns) {
                    int pad = n % 3;
                    float[] x = randomRows(n, shape[0], pad, seed * 31 + n);
                    double[] vOut = new double[n + 2];
                    double[] pOut = new double[n + 2];
                    vector.score(x, pad, n, vOut, 1, 1);
                    plain.score(x, pad, n, pOut, 1, 1);
                    for (int r = 0; r < n; r++) {
                        String where = java.util.Arrays.toString(shape) + " " + act + " n=" + n + " row " + r;
                        assertEquals(pOut[1 + r], vOut[1 + r], 0.0, where);
                        float one = vector.scoreOne(x, pad + r * shape[0]);
                        assertEquals(Float.floatToIntBits((float) vOut[1 + r]), Float.floatToIntBits(one),
                                "one vs batch, " + where);
                        float plainOne = plain.scoreOne(x, pad + r * shape[0]);
                        assertEquals(Float.floatToIntBits(one), Float.floatToIntBits(plainOne),
                                "vector vs plain one, " + where);
                    }
                    assertEquals(0.0, vOut[0]);
                    assertEquals(0.0, vOut[n + 1]);
                }
            }
        }
    }

    @Test
    public void matchesTheGenericForwardPassAndADoubleReference() {
        long seed = 100;
        for (int[] shape : SHAPES) {
            for (Activation act : HIDDEN) {
                FeedForwardNetwork net = randomNetwork(shape[0], shape[1], act, Activation.IDENTITY, seed++);
                int n = 37;
                float[] x = randomRows(n, shape[0], 0, seed);
                FeedForwardNetwork.Workspace ws = net.newWorkspace(n);
                float[] generic = net.infer(x, 0, n, ws).clone();
                java.util.List<OneHiddenLayerScorer> scorers = new java.util.ArrayList<>();
                scorers.add(OneHiddenLayerScorer.plainJava(net, 16));
                scorers.add(OneHiddenLayerScorer.plainJava(net, 4));
                scorers.add(OneHiddenLayerScorer.plainJava(net, 1));
                if (OneHiddenLayerScorer.vectorLanes() > 0) {
                    scorers.add(OneHiddenLayerScorer.vectorApi(net));
                }
                for (OneHiddenLayerScorer s : scorers) {
                    double[] out = new double[n];
                    s.score(x, 0, n, out, 0, 1);
                    for (int r = 0; r < n; r++) {
                        double[] ref = reference(net, x, r * shape[0]);
                        double tol = 2e-6 * ref[1] + 1e-6;
                        String where = s.name() + " " + java.util.Arrays.toString(shape) + " " + act + " row " + r;
                        assertEquals(ref[0], out[r], tol, "vs double reference, " + where);
                        assertEquals(generic[r], out[r], 2 * tol, "vs generic forward pass, " + where);
                    }
                }
            }
        }
    }

    @Test
    public void oneAndSeveralThreadsGiveTheSameBits() {
        int n = OneHiddenLayerScorer.PARALLEL_MIN_ROWS * 2 + 13; // past the threshold, not a multiple of 16
        for (int[] shape : new int[][] {{38, 16}, {9, 40}}) {
            FeedForwardNetwork net = randomNetwork(shape[0], shape[1], Activation.RELU, Activation.IDENTITY, 7);
            float[] x = randomRows(n, shape[0], 5, 8);
            OneHiddenLayerScorer s = OneHiddenLayerScorer.vectorLanes() > 0 ? OneHiddenLayerScorer.vectorApi(net)
                    : OneHiddenLayerScorer.plainJava(net, 16);
            double[] one = new double[n];
            s.score(x, 5, n, one, 0, 1);
            for (int threads : new int[] {2, 3, OneHiddenLayerScorer.DEFAULT_THREADS}) {
                double[] many = new double[n];
                s.score(x, 5, n, many, 0, threads);
                for (int r = 0; r < n; r++) {
                    assertEquals(Double.doubleToLongBits(one[r]), Double.doubleToLongBits(many[r]),
                            threads + " threads, row " + r);
                }
            }
            double[] def = new double[n];
            s.score(x, 5, n, def, 0);
            assertEquals(Double.doubleToLongBits(one[n - 1]), Double.doubleToLongBits(def[n - 1]));
            for (int r = 0; r < n; r += 997) {
                assertEquals(Float.floatToIntBits(s.scoreOne(x, 5 + r * shape[0])),
                        Float.floatToIntBits((float) one[r]), "one vs batch, row " + r);
            }
        }
    }

    @Test
    public void onlyOneHiddenLayerNetworks() {
        FeedForwardNetwork deep = new FeedForwardNetwork(new int[] {4, 8, 8, 1}, Activation.RELU, Activation.IDENTITY);
        FeedForwardNetwork linear = new FeedForwardNetwork(new int[] {4, 1}, Activation.RELU, Activation.IDENTITY);
        assertFalse(OneHiddenLayerScorer.applies(deep));
        assertFalse(OneHiddenLayerScorer.applies(linear));
        assertNull(OneHiddenLayerScorer.of(deep));
        assertThrows(IllegalArgumentException.class, () -> OneHiddenLayerScorer.plainJava(deep, 16));
        FeedForwardNetwork shallow = randomNetwork(4, 8, Activation.RELU, Activation.IDENTITY, 3);
        assertTrue(OneHiddenLayerScorer.applies(shallow));
        assertThrows(IllegalArgumentException.class, () -> OneHiddenLayerScorer.plainJava(shallow, 6));
        OneHiddenLayerScorer s = OneHiddenLayerScorer.plainJava(shallow, 16);
        assertThrows(IllegalArgumentException.class, () -> s.score(new float[7], 0, 2, new double[2], 0));
        assertThrows(IllegalArgumentException.class, () -> s.score(new float[8], 0, 2, new double[1], 0));
        assertThrows(IllegalArgumentException.class, () -> s.score(new float[8], 0, 2, new double[2], 0, 0));
        if (Kernels.get() == Kernels.plainJava()) {
            assertNull(OneHiddenLayerScorer.of(shallow), "without the Vector API the generic path is used");
        } else {
            int lanes = OneHiddenLayerScorer.vectorLanes();
            assertEquals(lanes, OneHiddenLayerScorer.of(shallow).lanes());
            FeedForwardNetwork wideInput = randomNetwork(1900, lanes, Activation.RELU, Activation.IDENTITY, 4);
            FeedForwardNetwork wideBoth = randomNetwork(100, 8 * lanes, Activation.RELU, Activation.IDENTITY, 5);
            FeedForwardNetwork wideHidden = randomNetwork(38, 16 * lanes, Activation.RELU, Activation.IDENTITY, 6);
            assertTrue(OneHiddenLayerScorer.of(wideInput) != null, "one register of hidden units: always");
            assertNull(OneHiddenLayerScorer.of(wideBoth), "several registers and a wide input: generic");
            assertTrue(OneHiddenLayerScorer.of(wideHidden) != null, "several registers, narrow input");
        }
        assertTrue(OneHiddenLayerScorer.beneficial(38, 16, 16));
        assertTrue(OneHiddenLayerScorer.beneficial(1900, 16, 16));
        assertTrue(OneHiddenLayerScorer.beneficial(64, 512, 16));
        assertFalse(OneHiddenLayerScorer.beneficial(65, 17, 16));
    }

    @Test
    public void laterChangesToTheNetworkAreNotSeen() {
        FeedForwardNetwork net = randomNetwork(6, 16, Activation.RELU, Activation.IDENTITY, 11);
        OneHiddenLayerScorer s = OneHiddenLayerScorer.plainJava(net, 16);
        float[] x = randomRows(1, 6, 0, 12);
        float before = s.scoreOne(x, 0);
        java.util.Arrays.fill(net.parameters(), 0f);
        assertEquals(before, s.scoreOne(x, 0));
    }
}
