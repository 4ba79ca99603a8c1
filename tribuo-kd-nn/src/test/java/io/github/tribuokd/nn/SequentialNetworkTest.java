package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.github.tribuokd.nn.GradientCheckTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Conv2DLayer}'s forward against a direct convolution, and {@link SequentialNetwork}'s batching, threading,
 * copying and size checks.
 */
public class SequentialNetworkTest {

    /** y[b, co, oy, ox] in double, by nested loops straight from the definition, plus Σ|terms| per element. */
    private static double[][] naiveConv(float[] x, float[] w, float[] bias, int batch, int cin, int h, int wd,
                                        int cout, int k, boolean same) {
        int pad = same ? (k - 1) / 2 : 0;
        int oh = same ? h : h - k + 1, ow = same ? wd : wd - k + 1;
        double[] y = new double[batch * cout * oh * ow];
        double[] mag = new double[y.length];
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < cout; co++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = bias[co], m = Math.abs(bias[co]);
                        for (int ci = 0; ci < cin; ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy + ky - pad, ix = ox + kx - pad;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    double t = (double) w[((co * cin + ci) * k + ky) * k + kx]
                                            * x[((b * cin + ci) * h + iy) * wd + ix];
                                    s += t;
                                    m += Math.abs(t);
                                }
                            }
                        }
                        int at = ((b * cout + co) * oh + oy) * ow + ox;
                        y[at] = s;
                        mag[at] = m;
                    }
                }
            }
        }
        return new double[][]{y, mag};
    }

    @Test
    public void convMatchesNaiveConvolution() {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] cases = { // cin, h, w, cout, k, same, batch
                {1, 28, 28, 16, 3, 1, 3},
                {16, 14, 14, 12, 3, 1, 5},
                {3, 9, 11, 5, 5, 1, 2},
                {3, 9, 11, 5, 5, 0, 2},
                {4, 7, 6, 3, 3, 0, 4},
                {5, 6, 5, 7, 1, 1, 3},
                {2, 5, 5, 2, 5, 0, 3}, // a single output pixel per channel
                {12, 7, 7, 4, 3, 1, 50}, // several im2col groups, the last one partial
        };
        for (int[] c : cases) {
            int cin = c[0], h = c[1], wd = c[2], cout = c[3], k = c[4], batch = c[6];
            boolean same = c[5] == 1;
            Conv2DLayer conv = new Conv2DLayer(cin, h, wd, cout, k, same, Activation.RELU);
            float[] params = random(rng, conv.numParameters(), 1.0);
            conv.bind(params, 0);
            float[] w = java.util.Arrays.copyOfRange(params, conv.weightOffset(), conv.biasOffset());
            float[] b = java.util.Arrays.copyOfRange(params, conv.biasOffset(), params.length);
            float[] x = random(rng, batch * conv.inputSize(), 1.0);
            float[] y = new float[batch * conv.outputSize()];
            conv.forward(x, y, batch);
            double[][] ref = naiveConv(x, w, b, batch, cin, h, wd, cout, k, same);
            assertEquals(ref[0].length, y.length);
            for (int i = 0; i < y.length; i++) {
                assertEquals(ref[0][i], y[i], 1e-5 * ref[1][i] + 1e-30,
                        java.util.Arrays.toString(c) + " output " + i);
            }
            assertEquals((long) cout * cin * k * k * conv.outHeight() * conv.outWidth(), conv.multiplyAccumulates());
        }
    }

    /** A small convolutional autoencoder on 12×12 images, the shape of the MNIST one. */
    static List<Layer> autoencoder() {
        List<Layer> l = new ArrayList<>();
        l.add(new Conv2DLayer(1, 12, 12, 4, 3, true, Activation.RELU));
        l.add(new ActivationLayer(4 * 144, Activation.RELU));
        l.add(new AvgPool2DLayer(4, 12, 12, 2));
        l.add(new Conv2DLayer(4, 6, 6, 2, 3, true, Activation.RELU));
        l.add(new ActivationLayer(2 * 36, Activation.RELU));
        l.add(new DenseLayer(72, 8, Activation.TANH));
        l.add(new ActivationLayer(8, Activation.TANH));
        l.add(new DenseLayer(8, 72, Activation.RELU));
        l.add(new ActivationLayer(72, Activation.RELU));
        l.add(new Upsample2DLayer(2, 6, 6, 2));
        l.add(new Conv2DLayer(2, 12, 12, 1, 3, true, Activation.SIGMOID));
        l.add(new ActivationLayer(144, Activation.SIGMOID));
        return l;
    }

    private static void assertClose(float[] expected, int expectedOff, float[] actual, int actualOff, int n,
                                    String what) {
        for (int i = 0; i < n; i++) {
            float e = expected[expectedOff + i], a = actual[actualOff + i];
            assertEquals(e, a, 1e-6 * Math.max(1.0, Math.abs(e)), what + " [" + i + "]");
        }
    }

    @Test
    public void batchEqualsExamplesAlone() {
        SequentialNetwork net = new SequentialNetwork(SequentialNetworkTest::autoencoder);
        net.initialise(new SplittableRandom(3));
        int batch = 7, in = net.inputSize(), out = net.outputSize();
        float[] x = random(new SplittableRandom(4), batch * in, 1.0);
        float[] all = net.forward(x, batch, net.newWorkspace(batch)).clone();
        SequentialNetwork.Workspace one = net.newWorkspace(1);
        for (int b = 0; b < batch; b++) {
            float[] alone = net.forward(java.util.Arrays.copyOfRange(x, b * in, (b + 1) * in), 1, one);
            assertClose(all, b * out, alone, 0, out, "example " + b + " alone");
            float[] inferred = net.infer(x, b * in, 1, one);
            assertClose(all, b * out, inferred, 0, out, "example " + b + " by infer");
        }
        float[] tail = net.infer(x, 2 * in, 5, net.newWorkspace(5));
        assertClose(all, 2 * out, tail, 0, 5 * out, "infer at an offset");
    }

    @Test
    public void inferCopiesRowsForOtherFirstLayers() {
        SequentialNetwork net = new SequentialNetwork(() -> {
            List<Layer> l = new ArrayList<>();
            l.add(new AvgPool2DLayer(1, 4, 4, 2));
            l.add(new Conv2DLayer(1, 2, 2, 2, 3, true, Activation.IDENTITY));
            return l;
        });
        net.initialise(new SplittableRandom(5));
        float[] x = random(new SplittableRandom(6), 3 * 16, 1.0);
        SequentialNetwork.Workspace ws = net.newWorkspace(3);
        float[] all = net.forward(x, 3, ws).clone();
        float[] last = net.infer(x, 32, 1, ws);
        assertClose(all, 2 * 8, last, 0, 8, "infer of the last row");
        assertThrows(IllegalStateException.class, () -> net.backward(new float[8], 1, ws, new float[
                net.numParameters()], false), "backward after infer");
    }

    @Test
    public void concurrentForwardsMatchOneThread() throws Exception {
        SequentialNetwork net = new SequentialNetwork(SequentialNetworkTest::autoencoder);
        net.initialise(new SplittableRandom(8));
        int batch = 6, rounds = 30;
        float[][] inputs = {random(new SplittableRandom(9), batch * net.inputSize(), 1.0),
                random(new SplittableRandom(10), batch * net.inputSize(), 1.0)};
        float[][] expected = new float[2][];
        SequentialNetwork.Workspace ws = net.newWorkspace(batch);
        for (int t = 0; t < 2; t++) {
            expected[t] = net.forward(inputs[t], batch, ws).clone();
        }
        float[] dy = random(new SplittableRandom(11), batch * net.outputSize(), 1.0);
        float[] expectedGrads = new float[net.numParameters()];
        net.forward(inputs[0], batch, ws);
        net.backward(dy, batch, ws, expectedGrads, false);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                final int thread = t;
                results.add(pool.submit(() -> {
                    SequentialNetwork.Workspace mine = net.newWorkspace(batch);
                    boolean same = true;
                    barrier.await();
                    for (int r = 0; r < rounds; r++) {
                        int which = (thread + r) % 2;
                        float[] y = net.forward(inputs[which], batch, mine);
                        same &= java.util.Arrays.equals(expected[which], y);
                        if (which == 0) {
                            float[] g = new float[net.numParameters()];
                            net.backward(dy, batch, mine, g, true);
                            same &= java.util.Arrays.equals(expectedGrads, g);
                        }
                    }
                    return same;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get(), "a thread's results differ from the single-threaded ones");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void copyAndParameters() {
        SequentialNetwork net = new SequentialNetwork(SequentialNetworkTest::autoencoder);
        net.initialise(new SplittableRandom(12));
        int expected = 0;
        for (Layer l : net.layers()) {
            expected += l.numParameters();
        }
        assertEquals(expected, net.numParameters());
        SequentialNetwork copy = net.copy();
        assertNotSame(net.parameters(), copy.parameters());
        assertArrayEquals(net.parameters(), copy.parameters());
        float[] x = random(new SplittableRandom(13), 2 * net.inputSize(), 1.0);
        float[] y = net.forward(x, 2, net.newWorkspace(2)).clone();
        assertArrayEquals(y, copy.forward(x, 2, copy.newWorkspace(2)));
        copy.parameters()[0] += 1f;
        assertArrayEquals(y, net.forward(x, 2, net.newWorkspace(2)), "the copy shares no parameters");

        float[] fresh = new float[net.numParameters()];
        java.util.Arrays.fill(fresh, 0.5f);
        copy.setParameters(fresh);
        assertArrayEquals(fresh, copy.parameters());
        assertThrows(IllegalArgumentException.class, () -> copy.setParameters(new float[3]));

        long macs = 4L * 9 * 144 + 2L * 4 * 9 * 36 + 72 * 8 + 8 * 72 + 2L * 9 * 144;
        assertEquals(macs, net.multiplyAccumulates());
    }

    @Test
    public void supplierMustMakeNewLayers() {
        List<Layer> shared = autoencoder();
        SequentialNetwork net = new SequentialNetwork(() -> shared);
        assertThrows(IllegalStateException.class, net::copy);
        Layer act = new ActivationLayer(5, Activation.RELU);
        assertThrows(IllegalArgumentException.class, () -> new SequentialNetwork(() -> List.of(act, act)));
    }

    @Test
    public void sizeMismatchNamesTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SequentialNetwork(
                () -> List.of(new Conv2DLayer(1, 8, 8, 2, 3, true, Activation.RELU),
                        new AvgPool2DLayer(2, 8, 8, 2),
                        new DenseLayer(64, 3, Activation.IDENTITY))));
        assertTrue(e.getMessage().contains("Layer 2") && e.getMessage().contains("64")
                && e.getMessage().contains("32"), e.getMessage());
    }
}
