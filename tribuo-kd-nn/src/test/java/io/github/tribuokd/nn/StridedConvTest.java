package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.github.tribuokd.nn.GradientCheckTest.assertClose;
import static io.github.tribuokd.nn.GradientCheckTest.checkLayer;
import static io.github.tribuokd.nn.GradientCheckTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strided, asymmetrically padded {@link Conv2DLayer}s and {@link ConvTranspose2DLayer}s (MSCRED's encoder and
 * decoder): forward passes against direct loops, backward passes against finite differences, the adjoint identity
 * between the two, and the shapes of a 55×55 encoder/decoder.
 */
public class StridedConvTest {

    /** y[b, co, oy, ox] of a strided, padded convolution, in double by nested loops, plus Σ|terms| per element. */
    private static double[][] naiveConv(float[] x, float[] w, float[] bias, int batch, int cin, int h, int wd,
                                        int cout, int k, int s, int pt, int pl, int oh, int ow) {
        double[] y = new double[batch * cout * oh * ow];
        double[] mag = new double[y.length];
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < cout; co++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = bias[co], m = Math.abs(bias[co]);
                        for (int ci = 0; ci < cin; ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * s + ky - pt, ix = ox * s + kx - pl;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    double t = (double) w[((co * cin + ci) * k + ky) * k + kx]
                                            * x[((b * cin + ci) * h + iy) * wd + ix];
                                    sum += t;
                                    m += Math.abs(t);
                                }
                            }
                        }
                        int at = ((b * cout + co) * oh + oy) * ow + ox;
                        y[at] = sum;
                        mag[at] = m;
                    }
                }
            }
        }
        return new double[][]{y, mag};
    }

    /**
     * y of a transposed convolution straight from its definition: every input pixel scatters its k×k patch,
     * {@code y[co, iy·s+ky−pt, ix·s+kx−pl] += x[ci, iy, ix]·W[ci, co, ky, kx]}, kept when inside the output.
     */
    private static double[][] naiveConvTranspose(float[] x, float[] w, float[] bias, int batch, int cin, int h,
                                                 int wd, int cout, int k, int s, int pt, int pl, int oh, int ow) {
        double[] y = new double[batch * cout * oh * ow];
        double[] mag = new double[y.length];
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < cout; co++) {
                for (int p = 0; p < oh * ow; p++) {
                    y[(b * cout + co) * oh * ow + p] = bias[co];
                    mag[(b * cout + co) * oh * ow + p] = Math.abs(bias[co]);
                }
            }
            for (int ci = 0; ci < cin; ci++) {
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < wd; ix++) {
                        double v = x[((b * cin + ci) * h + iy) * wd + ix];
                        for (int co = 0; co < cout; co++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int oy = iy * s + ky - pt, ox = ix * s + kx - pl;
                                    if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) {
                                        continue;
                                    }
                                    double t = v * w[((ci * cout + co) * k + ky) * k + kx];
                                    int at = ((b * cout + co) * oh + oy) * ow + ox;
                                    y[at] += t;
                                    mag[at] += Math.abs(t);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][]{y, mag};
    }

    private static void assertMatches(double[][] ref, float[] y, String what) {
        assertEquals(ref[0].length, y.length, what + ": length");
        for (int i = 0; i < y.length; i++) {
            assertEquals(ref[0][i], y[i], 1e-5 * ref[1][i] + 1e-30, what + " output " + i);
        }
    }

    @Test
    public void tfSamePaddingRule() {
        // {in, k, s, before, after}
        int[][] cases = {
                {55, 3, 1, 1, 1}, {55, 3, 2, 1, 1}, {28, 2, 2, 0, 0}, {14, 2, 2, 0, 0}, // MSCRED on 55×55
                {25, 3, 2, 1, 1}, {13, 2, 2, 0, 1}, {7, 2, 2, 0, 1},                    // MSCRED on 25×25
                {9, 2, 2, 0, 1}, {6, 3, 2, 0, 1}, {4, 2, 1, 0, 1}, {5, 5, 1, 2, 2}, {1, 3, 2, 1, 1}, {8, 1, 3, 0, 0},
        };
        for (int[] c : cases) {
            assertArrayEquals(new int[]{c[3], c[4]}, Conv2DLayer.tfSamePadding(c[0], c[1], c[2]), Arrays.toString(c));
            Conv2DLayer conv = Conv2DLayer.tfSame(1, c[0], c[0], 1, c[1], c[2], Activation.RELU);
            assertEquals((c[0] + c[2] - 1) / c[2], conv.outHeight(), "ceil(in/s) for " + Arrays.toString(c));
            assertEquals(c[3], conv.padTop());
            assertEquals(c[3], conv.padLeft());
            assertEquals(c[4], conv.padBottom());
            assertEquals(c[4], conv.padRight());
            assertEquals(c[2], conv.stride());
        }
    }

    @Test
    public void stridedConvMatchesNaiveConvolution() {
        SplittableRandom rng = new SplittableRandom(101);
        int[][] cases = { // cin, h, w, cout, k, s, top, left, bottom, right, batch
                {2, 9, 9, 3, 3, 2, 1, 1, 1, 1, 3},
                {3, 7, 6, 4, 2, 2, 0, 0, 1, 0, 2},   // TF-SAME, odd height: the extra zero at the bottom
                {1, 55, 55, 4, 3, 2, 1, 1, 1, 1, 2}, // MSCRED's second layer
                {4, 28, 28, 5, 2, 2, 0, 0, 0, 0, 2},
                {2, 7, 5, 3, 3, 2, 2, 0, 1, 1, 2},   // arbitrary asymmetric padding
                {2, 8, 8, 2, 2, 3, 1, 0, 0, 1, 2},   // stride 3
                {3, 5, 6, 2, 2, 1, 0, 0, 1, 1, 3},   // stride 1, even kernel, TF-SAME
                {2, 4, 4, 3, 2, 1, 2, 0, 0, 2, 2},   // stride 1, a pad larger than k−1
                {3, 14, 14, 2, 3, 2, 1, 1, 1, 1, 50}, // 7×7 outputs: two im2col groups (41 + 9 images)
                {3, 6, 6, 2, 3, 2, 0, 0, 0, 0, 3},   // valid, 2×2 outputs
                {2, 5, 5, 3, 4, 3, 1, 1, 1, 1, 3},   // 2×2 outputs from a 4×4 kernel
        };
        for (int[] c : cases) {
            int cin = c[0], h = c[1], wd = c[2], cout = c[3], k = c[4], s = c[5], batch = c[10];
            Conv2DLayer conv = new Conv2DLayer(cin, h, wd, cout, k, s, c[6], c[7], c[8], c[9], Activation.RELU);
            assertEquals((h + c[6] + c[8] - k) / s + 1, conv.outHeight(), Arrays.toString(c));
            assertEquals((wd + c[7] + c[9] - k) / s + 1, conv.outWidth(), Arrays.toString(c));
            float[] params = random(rng, conv.numParameters(), 1.0);
            conv.bind(params, 0);
            float[] w = Arrays.copyOfRange(params, conv.weightOffset(), conv.biasOffset());
            float[] b = Arrays.copyOfRange(params, conv.biasOffset(), params.length);
            float[] x = random(rng, batch * conv.inputSize(), 1.0);
            float[] y = new float[batch * conv.outputSize()];
            conv.forward(x, y, batch);
            assertMatches(naiveConv(x, w, b, batch, cin, h, wd, cout, k, s, c[6], c[7], conv.outHeight(),
                    conv.outWidth()), y, Arrays.toString(c));
            assertEquals((long) cout * cin * k * k * conv.outHeight() * conv.outWidth(), conv.multiplyAccumulates());
        }
    }

    @Test
    public void classicConstructorIsTheStrideOneCase() {
        SplittableRandom rng = new SplittableRandom(102);
        Conv2DLayer classic = new Conv2DLayer(3, 9, 8, 4, 3, true, Activation.RELU);
        Conv2DLayer general = new Conv2DLayer(3, 9, 8, 4, 3, 1, 1, 1, 1, 1, Activation.RELU);
        Conv2DLayer tf = Conv2DLayer.tfSame(3, 9, 8, 4, 3, 1, Activation.RELU);
        assertTrue(classic.samePadding() && general.samePadding() && tf.samePadding());
        assertTrue(!new Conv2DLayer(3, 9, 8, 4, 3, false, Activation.RELU).samePadding());
        assertTrue(!Conv2DLayer.tfSame(3, 9, 8, 4, 3, 2, Activation.RELU).samePadding());
        float[] params = random(rng, classic.numParameters(), 1.0);
        int batch = 3;
        float[] x = random(rng, batch * classic.inputSize(), 1.0);
        float[] dy = random(rng, batch * classic.outputSize(), 1.0);
        float[] y0 = null, dx0 = null, g0 = null;
        for (Conv2DLayer conv : List.of(classic, general, tf)) {
            conv.bind(params, 0);
            float[] y = new float[batch * conv.outputSize()];
            float[] dx = new float[x.length];
            float[] g = new float[params.length];
            conv.forward(x, y, batch);
            conv.backward(x, y, dy, dx, g, batch);
            if (y0 == null) {
                y0 = y;
                dx0 = dx;
                g0 = g;
            } else {
                assertArrayEquals(y0, y);
                assertArrayEquals(dx0, dx);
                assertArrayEquals(g0, g);
            }
        }
    }

    @Test
    public void stridedConvGradients() {
        checkLayer(Conv2DLayer.tfSame(2, 7, 9, 3, 3, 2, Activation.RELU), 2, 111L);      // 7x9 -> 4x5, pads 1
        checkLayer(Conv2DLayer.tfSame(2, 5, 6, 3, 2, 2, Activation.TANH), 2, 112L);      // pads top 0, bottom 1
        checkLayer(Conv2DLayer.tfSame(2, 6, 7, 3, 3, 2, Activation.RELU), 1, 113L);      // 0/1 rows, 1/1 columns
        checkLayer(new Conv2DLayer(2, 7, 5, 3, 3, 2, 2, 0, 1, 1, Activation.IDENTITY), 2, 114L);
        checkLayer(new Conv2DLayer(1, 8, 8, 2, 2, 3, 1, 0, 0, 1, Activation.RELU), 3, 115L); // stride 3
        checkLayer(Conv2DLayer.tfSame(1, 5, 5, 6, 2, 2, Activation.RELU), 2, 116L);      // Cout > Cin·k·k
        checkLayer(new Conv2DLayer(2, 5, 5, 3, 3, 2, 0, 0, 0, 0, Activation.RELU), 2, 117L); // valid, 2x2
    }

    @Test
    public void asymmetricStrideOneGradients() {
        checkLayer(Conv2DLayer.tfSame(2, 5, 6, 3, 2, 1, Activation.RELU), 2, 121L);      // even kernel, pads 0/1
        checkLayer(Conv2DLayer.tfSame(2, 5, 6, 3, 4, 1, Activation.RELU), 1, 122L);      // pads 1/2
        checkLayer(new Conv2DLayer(2, 4, 4, 3, 2, 1, 2, 0, 0, 2, Activation.TANH), 2, 123L); // a pad > k−1
    }

    @Test
    public void convTransposeMatchesNaiveDefinition() {
        SplittableRandom rng = new SplittableRandom(131);
        int[][] cases = { // cin, inH, inW, cout, k, s, outH, outW, batch
                {3, 7, 7, 2, 2, 2, 14, 14, 3},   // MSCRED 7 -> 14
                {2, 28, 28, 3, 3, 2, 55, 55, 2}, // MSCRED 28 -> 55: pads 1, 1
                {2, 9, 9, 1, 3, 1, 9, 9, 2},     // MSCRED's last layer, stride 1
                {2, 3, 4, 3, 3, 2, 5, 7, 2},     // odd outputs
                {2, 3, 3, 2, 2, 2, 6, 5, 2},     // columns cropped 0/1
                {2, 4, 3, 2, 2, 1, 4, 3, 2},     // stride 1, even kernel
                {2, 3, 3, 2, 2, 3, 9, 8, 2},     // rows: output_padding 1 (a bias-only last row)
                {1, 7, 7, 2, 3, 2, 14, 14, 50},  // 7×7 inputs: two groups (41 + 9 images)
                {5, 3, 3, 1, 2, 2, 6, 6, 2},     // Cin > Cout·k·k
                {2, 4, 4, 2, 3, 2, 5, 6, 2},     // pads 2/2 rows (the smallest reachable output)
        };
        for (int[] c : cases) {
            int cin = c[0], h = c[1], wd = c[2], cout = c[3], k = c[4], s = c[5], oh = c[6], ow = c[7];
            int batch = c[8];
            ConvTranspose2DLayer t = new ConvTranspose2DLayer(cin, h, wd, cout, k, s, oh, ow, Activation.RELU);
            int totalH = (h - 1) * s + k - oh, totalW = (wd - 1) * s + k - ow;
            assertEquals(Math.max(totalH, 0) / 2, t.padTop(), Arrays.toString(c));
            assertEquals(Math.max(totalW, 0) / 2, t.padLeft(), Arrays.toString(c));
            // the ONNX output size formula gives back outH, outW
            assertEquals(oh, s * (h - 1) + t.outputPaddingHeight() + k - t.padTop() - t.padBottom());
            assertEquals(ow, s * (wd - 1) + t.outputPaddingWidth() + k - t.padLeft() - t.padRight());
            float[] params = random(rng, t.numParameters(), 1.0);
            t.bind(params, 0);
            float[] w = Arrays.copyOfRange(params, t.weightOffset(), t.biasOffset());
            float[] b = Arrays.copyOfRange(params, t.biasOffset(), params.length);
            float[] x = random(rng, batch * t.inputSize(), 1.0);
            float[] y = new float[batch * t.outputSize()];
            Arrays.fill(y, Float.NaN); // overwritten, whatever it held
            t.forward(x, y, batch);
            assertMatches(naiveConvTranspose(x, w, b, batch, cin, h, wd, cout, k, s, t.padTop(), t.padLeft(), oh,
                    ow), y, Arrays.toString(c));
            assertEquals((long) cin * cout * k * k * h * wd, t.multiplyAccumulates());
        }
    }

    @Test
    public void convTransposeGradients() {
        checkLayer(new ConvTranspose2DLayer(2, 3, 4, 3, 3, 2, 5, 7, Activation.RELU), 2, 141L);
        checkLayer(new ConvTranspose2DLayer(2, 3, 3, 2, 2, 2, 6, 5, Activation.TANH), 2, 142L);
        checkLayer(new ConvTranspose2DLayer(1, 4, 4, 3, 3, 1, 4, 4, Activation.RELU), 2, 143L);
        checkLayer(new ConvTranspose2DLayer(2, 4, 3, 2, 2, 1, 4, 3, Activation.IDENTITY), 1, 144L);
        checkLayer(new ConvTranspose2DLayer(2, 3, 3, 2, 2, 3, 9, 8, Activation.RELU), 2, 145L); // output_padding
        checkLayer(new ConvTranspose2DLayer(5, 3, 3, 1, 2, 2, 6, 6, Activation.RELU), 2, 146L); // Cin > Cout·k·k
        checkLayer(new ConvTranspose2DLayer(2, 3, 3, 2, 3, 2, 7, 5, Activation.RELU), 3, 147L); // 7: pads 0/0
    }

    /**
     * A convolution from {@code a} to {@code b} channels and a transposed convolution from {@code b} to {@code a}
     * with the same flat weights ({@code [b, a, k, k]} is the convolution's {@code [M, C, k, k]} and the
     * transposed convolution's {@code [Cin, Cout, k, k]}), kernel, stride and padding are adjoint:
     * {@code ⟨conv(x), y⟩ = ⟨x, convT(y)⟩} without biases, and the convolution's input gradient at dY = y is
     * convT(y).
     */
    @Test
    public void convolutionAndTransposedConvolutionAreAdjoint() {
        SplittableRandom rng = new SplittableRandom(151);
        int[][] cases = { // a, b, small h, small w, k, s, large H, large W
                {2, 3, 3, 4, 3, 2, 5, 7},
                {3, 2, 4, 4, 2, 2, 7, 8},
                {2, 2, 14, 14, 3, 2, 27, 28},
                {1, 3, 5, 4, 3, 1, 5, 4},
                {2, 3, 5, 6, 2, 1, 5, 6},
                {2, 2, 3, 3, 2, 3, 9, 8},  // output_padding: bottom row of the large image unused by the conv
                {3, 4, 4, 4, 3, 2, 5, 6},  // pads 2/2 rows
        };
        for (int[] c : cases) {
            int a = c[0], b = c[1], h = c[2], w = c[3], k = c[4], s = c[5], bigH = c[6], bigW = c[7];
            ConvTranspose2DLayer t = new ConvTranspose2DLayer(b, h, w, a, k, s, bigH, bigW, Activation.IDENTITY);
            Conv2DLayer conv = new Conv2DLayer(a, bigH, bigW, b, k, s, t.padTop(), t.padLeft(), t.padBottom(),
                    t.padRight(), Activation.IDENTITY);
            assertEquals(h, conv.outHeight(), Arrays.toString(c));
            assertEquals(w, conv.outWidth(), Arrays.toString(c));
            assertEquals(t.numParameters() - a, conv.numParameters() - b, "same weight count");
            float[] weights = random(rng, b * a * k * k, 1.0);
            float[] pc = Arrays.copyOf(weights, conv.numParameters()); // zero biases
            float[] pt = Arrays.copyOf(weights, t.numParameters());
            conv.bind(pc, 0);
            t.bind(pt, 0);
            int batch = 2;
            float[] x = random(rng, batch * conv.inputSize(), 1.0);   // [2, a, H, W]
            float[] y = random(rng, batch * t.inputSize(), 1.0);      // [2, b, h, w]
            float[] convX = new float[batch * conv.outputSize()];
            float[] convTY = new float[batch * t.outputSize()];
            conv.forward(x, convX, batch);
            t.forward(y, convTY, batch);
            double lhs = 0, rhs = 0, mag = 0;
            for (int i = 0; i < y.length; i++) {
                lhs += (double) convX[i] * y[i];
                mag += Math.abs((double) convX[i] * y[i]);
            }
            for (int i = 0; i < x.length; i++) {
                rhs += (double) x[i] * convTY[i];
            }
            assertEquals(lhs, rhs, 1e-5 * mag, "adjoint identity " + Arrays.toString(c));
            float[] dx = new float[x.length];
            conv.backward(x, convX, y, dx, new float[pc.length], batch);
            for (int i = 0; i < dx.length; i++) {
                assertEquals(convTY[i], dx[i], 1e-5 * Math.max(1.0, Math.abs(convTY[i])),
                        "conv input gradient = convT " + Arrays.toString(c) + " [" + i + "]");
            }
        }
    }

    @Test
    public void transposedConvolutionRejectsUnreachableSizes() {
        // 7 rows, k 3, s 2: (7−1)·2 + 3 = 15 full rows, reachable 11 .. 16
        new ConvTranspose2DLayer(1, 7, 7, 1, 3, 2, 11, 16, Activation.RELU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2DLayer(1, 7, 7, 1, 3, 2, 17, 14, Activation.RELU));
        assertTrue(e.getMessage().contains("11..16") && e.getMessage().contains("not 17"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2DLayer(1, 7, 7, 1, 3, 2, 14, 10, Activation.RELU));
        assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2DLayer(1, 7, 7, 1, 0, 2, 14, 14, Activation.RELU));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2DLayer(1, 4, 4, 1, 3, 2, -1, 0, 0, 0, Activation.RELU));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2DLayer(1, 2, 4, 1, 4, 1, 0, 0, 1, 0, Activation.RELU));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2DLayer(1, 4, 4, 1, 3, 0, 1, 1, 1, 1, Activation.RELU));
    }

    /** MSCRED's encoder and decoder shapes on 55×55 and 25×25 signature matrices, through {@link ConvNetSpec}. */
    @Test
    public void mscredShapesRoundTrip() {
        String spec55 = "c4-c4s2-c4k2s2-c4k2s2-t4k2s2-t4k2s2-t4k3s2o55x55-t3k3s1";
        ConvNetSpec s55 = ConvNetSpec.parse(spec55, 3, 55, 55, Activation.RELU, Activation.IDENTITY);
        assertEquals(List.of("3x55x55", "c4 -> 4x55x55", "c4s2 -> 4x28x28", "c4k2s2 -> 4x14x14",
                "c4k2s2 -> 4x7x7", "t4k2s2 -> 4x14x14", "t4k2s2 -> 4x28x28", "t4k3s2o55x55 -> 4x55x55",
                "t3k3s1 -> 3x55x55"), s55.shapes());
        assertEquals(3 * 55 * 55, s55.outputSize());
        ConvNetSpec s25 = ConvNetSpec.parse("c4-c4s2-c4k2s2-c4k2s2-t4k2s2o7x7-t4k2s2o13x13-t4k3s2o25x25-t3k3s1",
                3, 25, 25, Activation.RELU, Activation.IDENTITY);
        assertEquals(List.of("3x25x25", "c4 -> 4x25x25", "c4s2 -> 4x13x13", "c4k2s2 -> 4x7x7",
                "c4k2s2 -> 4x4x4", "t4k2s2o7x7 -> 4x7x7", "t4k2s2o13x13 -> 4x13x13", "t4k3s2o25x25 -> 4x25x25",
                "t3k3s1 -> 3x25x25"), s25.shapes());

        SequentialNetwork net = s55.newNetwork();
        long params = 0, macs = 0;
        for (Layer l : net.layers()) {
            params += l.numParameters();
            if (l instanceof Conv2DLayer) {
                macs += ((Conv2DLayer) l).multiplyAccumulates();
            } else if (l instanceof ConvTranspose2DLayer) {
                ConvTranspose2DLayer t = (ConvTranspose2DLayer) l;
                macs += t.multiplyAccumulates();
                // the decoder undoes the encoder: pads of the 28 -> 55 layer are MSCRED's (TF-SAME) 1 and 1
                if (t.outHeight() == 55 && t.stride() == 2) {
                    assertEquals(1, t.padTop());
                    assertEquals(1, t.padBottom());
                }
            }
        }
        assertEquals(s55.numParameters(), params);
        assertEquals(s55.multiplyAccumulates(), macs);
        assertEquals(macs, net.multiplyAccumulates());
        net.initialise(new SplittableRandom(161));
        int batch = 2;
        float[] x = random(new SplittableRandom(162), batch * net.inputSize(), 1.0);
        SequentialNetwork.Workspace ws = net.newWorkspace(batch);
        float[] y = net.forward(x, batch, ws);
        assertEquals(batch * 3 * 55 * 55, y.length);
        float[] grads = new float[net.numParameters()];
        float[] dx = net.backward(y.clone(), batch, ws, grads, true); // a workspace view, at least x.length long
        for (int i = 0; i < x.length; i++) {
            assertTrue(Float.isFinite(dx[i]), "dx[" + i + "]");
        }
        for (float g : grads) {
            assertTrue(Float.isFinite(g));
        }
    }

    @Test
    public void specTokensAndErrors() {
        ConvNetSpec s = ConvNetSpec.parse("c2k3s2-v2k2s2-t2-t1k2s3", 1, 9, 9, Activation.RELU, Activation.IDENTITY);
        assertEquals(List.of("1x9x9", "c2k3s2 -> 2x5x5", "v2k2s2 -> 2x2x2", "t2 -> 2x2x2", "t1k2s3 -> 1x6x6"),
                s.shapes());
        // c3k3s1 is c3: same shapes, parameters and outputs
        SequentialNetwork plain = ConvNetSpec.parse("c3-d2", 2, 6, 5, Activation.RELU, Activation.IDENTITY)
                .newNetwork();
        SequentialNetwork tf = ConvNetSpec.parse("c3k3s1-d2", 2, 6, 5, Activation.RELU, Activation.IDENTITY)
                .newNetwork();
        plain.initialise(new SplittableRandom(181));
        tf.initialise(new SplittableRandom(181));
        float[] x = random(new SplittableRandom(182), 3 * plain.inputSize(), 1.0);
        assertArrayEquals(plain.forward(x, 3, plain.newWorkspace(3)), tf.forward(x, 3, tf.newWorkspace(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("c4k2-d1", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("odd kernel") && e.getMessage().contains("c4k2s1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("c4s2-t2k3s2o20x20", 1, 14, 14, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("token 2") && e.getMessage().contains("not 20"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("d8-t2", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("c4-t2o5", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("t<N>[k<K>][s<S>][o<H>x<W>]"), e.getMessage());
    }

    /** Finite differences through a whole network of strided and transposed convolutions built from a spec. */
    @Test
    public void wholeStridedNetworkGradient() {
        SplittableRandom rng = new SplittableRandom(171);
        ConvNetSpec spec = ConvNetSpec.parse("c3s2-c2k2s2-t2k2s2o5x5-t1k3s2o9x9", 1, 9, 9, Activation.TANH,
                Activation.IDENTITY);
        SequentialNetwork net = spec.newNetwork();
        net.initialise(rng);
        float[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (rng.nextDouble() * 0.2 - 0.1);
        }
        int batch = 2;
        float[] x = random(rng, batch * net.inputSize(), 1.0);
        float[] target = random(rng, batch * net.outputSize(), 1.0);
        SequentialNetwork.Workspace ws = net.newWorkspace(batch);
        float[] y = net.forward(x, batch, ws);
        float[] dy = new float[y.length];
        LossFunction.MSE.lossAndGradient(y, target, dy, y.length);
        float[] grads = new float[net.numParameters()];
        float[] dx = net.backward(dy, batch, ws, grads, true).clone();
        float h = 1e-3f;
        for (int i = 0; i < p.length; i++) {
            float keep = p[i];
            p[i] = keep + h;
            double plus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            p[i] = keep - h;
            double minus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            p[i] = keep;
            assertClose((plus - minus) / (2 * h), grads[i], "network dParam[" + i + "]");
        }
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + h;
            double plus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            x[i] = keep - h;
            double minus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            x[i] = keep;
            assertClose((plus - minus) / (2 * h), dx[i], "network dInput[" + i + "]");
        }
    }
}
