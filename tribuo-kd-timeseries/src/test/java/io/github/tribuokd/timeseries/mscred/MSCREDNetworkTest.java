package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.ConvTranspose2DLayer;
import io.github.tribuokd.nn.MinibatchTraining;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MSCREDNetwork}: the whole backward pass (parameters, input, and the extra gradient of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s
 * equation (8) on Ĥ_2) against central finite differences, MSCRED's shapes and parameter counts for the teacher and
 * the student, deterministic training on 1 and 2 threads, and batch independence.
 */
public class MSCREDNetworkTest {

    private static final float H = 1e-3f;

    /** scales 2, n = 7, 3 steps, levels 2×7×7, 3×4×4, 4×2×2. */
    private static MSCREDNetwork tiny() {
        return new MSCREDNetwork(2, 7, 3, new int[]{2, 3, 4}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 5.0);
    }

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    private static double dot(float[] a, float[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** The parameter count of the architecture, from the formulas of the class Javadoc. */
    private static long handCount(int scales, int[] c, int[] k) {
        int levels = c.length;
        long count = 0;
        for (int l = 0; l < levels; l++) {
            int in = l == 0 ? scales : c[l - 1];
            count += (long) c[l] * in * k[l] * k[l] + c[l];            // conv_ℓ
            count += 4L * c[l] * (2L * c[l]) * 9 + 4L * c[l];          // ConvLSTM_ℓ, 3×3 over [x ; h]
        }
        for (int l = levels - 1; l >= 1; l--) {
            int in = l == levels - 1 ? c[l] : 2 * c[l];
            count += (long) in * c[l - 1] * k[l] * k[l] + c[l - 1];    // deconv_ℓ
        }
        int in = levels == 1 ? c[0] : 2 * c[0];
        count += (long) in * scales * k[0] * k[0] + scales;            // deconv_1
        return count;
    }

    /** The probe loss {@code L = ⟨q, Ŝ⟩ + ⟨p, Ĥ_2⟩} of the gradient check. */
    private static double probeLoss(MSCREDNetwork net, float[] x, int batch, MSCREDNetwork.Workspace ws, float[] q,
                                    float[] p) {
        float[] y = net.forward(x, batch, ws);
        float[] a = net.attentionOutput(ws, 2);
        return dot(y, q, batch * net.outputSize()) + dot(a, p, batch * net.attentionSize(2));
    }

    /** Tally of a finite-difference check that skips the few points where a ReLU kink lies within ±h. */
    private static final class Checker {
        int checked;
        int kinks;
        /** Points whose gradient is well above the absolute tolerance (the check is not vacuous). */
        int large;

        /**
         * Compares the backward value with the central difference; a mismatch is a failure unless the two
         * one-sided differences disagree with each other (the loss is not smooth within ±h: a ReLU switched).
         */
        void check(double plus, double zero, double minus, double analytic, String what) {
            checked++;
            if (Math.abs(analytic) > 1e-2) {
                large++;
            }
            double numeric = (plus - minus) / (2 * H);
            double tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3;
            if (Math.abs(numeric - analytic) <= tol) {
                return;
            }
            double forward = (plus - zero) / H;
            double backward = (zero - minus) / H;
            if (Math.abs(forward - backward) > 2e-2 * Math.max(Math.abs(forward), Math.abs(backward)) + 4e-3) {
                kinks++;
                return;
            }
            throw new AssertionError(what + ": finite difference " + numeric + " vs backward " + analytic
                    + " (one-sided " + forward + ", " + backward + ")");
        }
    }

    @Test
    public void wholeNetworkGradient() {
        SplittableRandom rng = new SplittableRandom(2002);
        MSCREDNetwork net = tiny();
        net.initialise(rng);
        float[] params = net.parameters();
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) (rng.nextDouble() * 0.2 - 0.1); // non-zero biases, livelier gates
        }
        int batch = 2;
        float[] x = random(rng, batch * net.inputSize(), 1.0);
        float[] q = random(rng, batch * net.outputSize(), 1.0);
        float[] p = random(rng, batch * net.attentionSize(2), 1.0);
        MSCREDNetwork.Workspace ws = net.newWorkspace(batch + 1); // capacity larger than the batch
        double zero = probeLoss(net, x, batch, ws, q, p);
        float[] grads = new float[net.numParameters()];
        float[] dx = new float[x.length];
        net.backward(q, p, batch, ws, grads, dx);

        // every sub-layer's block: up to 40 indices each, first and last included (weights and biases)
        int[] blocks = net.blockOffsets();
        assertEquals(3 * 3 + 1, blocks.length);
        assertEquals(net.numParameters(), blocks[blocks.length - 1]);
        Checker checker = new Checker();
        for (int blk = 0; blk + 1 < blocks.length; blk++) {
            int from = blocks[blk], to = blocks[blk + 1];
            int count = Math.min(40, to - from);
            for (int j = 0; j < count; j++) {
                int i = j == 0 ? from : (j == 1 ? to - 1 : from + rng.nextInt(to - from));
                float keep = params[i];
                params[i] = keep + H;
                double plus = probeLoss(net, x, batch, ws, q, p);
                params[i] = keep - H;
                double minus = probeLoss(net, x, batch, ws, q, p);
                params[i] = keep;
                checker.check(plus, zero, minus, grads[i], "dParam[" + i + "] (block " + blk + ")");
            }
        }
        int paramChecks = checker.checked;
        assertTrue(paramChecks >= 300, "checked " + paramChecks);
        for (int j = 0; j < 120; j++) {
            int i = rng.nextInt(x.length);
            float keep = x[i];
            x[i] = keep + H;
            double plus = probeLoss(net, x, batch, ws, q, p);
            x[i] = keep - H;
            double minus = probeLoss(net, x, batch, ws, q, p);
            x[i] = keep;
            checker.check(plus, zero, minus, dx[i], "dInput[" + i + "]");
        }
        assertTrue(checker.kinks <= checker.checked / 50, checker.kinks + " of " + checker.checked
                + " points had a ReLU switch within ±h");
        assertTrue(checker.large >= checker.checked / 2, checker.large + " of " + checker.checked
                + " gradients above 0.01");

        // the Ĥ_2 gradient matters, and backward adds into the buffer
        float[] withoutP = new float[grads.length];
        probeLoss(net, x, batch, ws, q, p);
        net.backward(q, null, batch, ws, withoutP, null);
        assertNotEquals(Arrays.toString(grads), Arrays.toString(withoutP));
        float[] twice = grads.clone();
        net.backward(q, p, batch, ws, twice, null);
        for (int i = 0; i < grads.length; i++) {
            assertEquals(2 * grads[i], twice[i], 1e-5 * Math.max(1, Math.abs(grads[i])), "[" + i + "]");
        }
    }

    @Test
    public void teacherAndStudentShapesAndParameterCounts() {
        int[] teacherC = {32, 64, 128, 256};
        int[] teacherK = {3, 3, 2, 2};
        for (int n : new int[]{55, 25}) {
            MSCREDNetwork teacher = MSCREDNetwork.teacher(3, n, 5);
            MSCREDNetwork student = MSCREDNetwork.student(3, n, 5);
            assertEquals(4, teacher.levels());
            assertEquals(2, student.levels());
            int[] sides = n == 55 ? new int[]{55, 28, 14, 7} : new int[]{25, 13, 7, 4};
            for (int level = 1; level <= 4; level++) {
                assertEquals(sides[level - 1], teacher.levelSide(level));
                assertArrayEquals(new int[]{teacherC[level - 1], sides[level - 1], sides[level - 1]},
                        teacher.levelShape(level));
                assertEquals(sides[level - 1], teacher.encoderLayer(level).outHeight());
                // deconv_ℓ goes back to the previous level's side (n for ℓ = 1)
                ConvTranspose2DLayer t = teacher.decoderLayer(level);
                assertEquals(level == 1 ? n : sides[level - 2], t.outHeight());
                assertEquals(level == 1 ? 3 : teacherC[level - 2], t.outChannels());
                assertEquals(level == 4 ? 256 : 2 * teacherC[level - 1], t.inChannels());
            }
            for (int level = 1; level <= 2; level++) {
                assertArrayEquals(teacher.levelShape(level), student.levelShape(level));
            }
            // the distilled maps (ConvLSTM2) have the same shape: 64 × 28 × 28 (n = 55), 64 × 13 × 13 (n = 25)
            assertEquals(teacher.attentionSize(MSCREDNetwork.DISTILLED_LEVEL),
                    student.attentionSize(MSCREDNetwork.DISTILLED_LEVEL));
            assertEquals(64 * sides[1] * sides[1], student.attentionSize(2));
            assertEquals(handCount(3, teacherC, teacherK), teacher.numParameters());
            assertEquals(handCount(3, new int[]{32, 64}, new int[]{3, 3}), student.numParameters());
            // seed 002: "approximately 6.7 million" and "about 400,000", ratio "0.061"
            assertEquals(6_687_843, teacher.numParameters());
            assertEquals(408_611, student.numParameters());
            System.out.printf("MSCRED n=%d: teacher %,d parameters, %,d MAC/example; student %,d parameters, "
                            + "%,d MAC/example; ratio %.4f%n", n, teacher.numParameters(),
                    teacher.multiplyAccumulates(), student.numParameters(), student.multiplyAccumulates(),
                    (double) student.numParameters() / teacher.numParameters());
        }
        assertEquals(0.061, 408_611.0 / 6_687_843.0, 5e-4);
    }

    /** The teacher's geometry end to end with fewer channels (8, 16, 32, 64): 55 → 55, 28, 14, 7 → 55. */
    @Test
    public void smallTeacherRunsAt55And25() {
        for (int n : new int[]{55, 25}) {
            MSCREDNetwork net = new MSCREDNetwork(3, n, 5, new int[]{8, 16, 32, 64}, new int[]{3, 3, 2, 2},
                    new int[]{1, 2, 2, 2}, 5.0);
            assertEquals(handCount(3, new int[]{8, 16, 32, 64}, new int[]{3, 3, 2, 2}), net.numParameters());
            net.initialise(new SplittableRandom(n));
            int batch = 1;
            float[] x = random(new SplittableRandom(n + 1), batch * net.inputSize(), 1.0);
            MSCREDNetwork.Workspace ws = net.newWorkspace(batch);
            float[] y = net.forward(x, batch, ws);
            assertEquals(batch * 3 * n * n, y.length);
            int side2 = n == 55 ? 28 : 13;
            assertEquals(batch * 16 * side2 * side2, net.attentionOutput(ws, 2).length);
            assertEquals(batch * 64 * (n == 55 ? 49 : 16), net.attentionOutput(ws, 4).length);
            float[] grads = new float[net.numParameters()];
            float[] dx = new float[x.length];
            net.backward(y.clone(), new float[batch * net.attentionSize(2)], batch, ws, grads, dx);
            for (float g : grads) {
                assertTrue(Float.isFinite(g));
            }
            for (float g : dx) {
                assertTrue(Float.isFinite(g));
            }
            float[] residuals = new float[batch * n * n];
            net.residuals(x, batch, ws, residuals);
            int last = (5 - 1) * 3 * n * n; // channel 0 of the last stack
            for (int j = 0; j < n * n; j++) {
                assertEquals(x[last + j] - y[j], residuals[j], 0f);
            }
        }
    }

    /** One example alone gives the same bits as its row of a batch (reconstruction, Ĥ, α and residuals). */
    @Test
    public void singleExampleEqualsItsRowInABatch() {
        MSCREDNetwork net = tiny();
        net.initialise(new SplittableRandom(31));
        int batch = 3;
        float[] x = random(new SplittableRandom(32), batch * net.inputSize(), 1.0);
        MSCREDNetwork.Workspace big = net.newWorkspace(batch);
        MSCREDNetwork.Workspace one = net.newWorkspace(1);
        float[] all = net.forward(x, batch, big).clone();
        float[][] att = new float[3][];
        float[][] alpha = new float[3][];
        for (int level = 1; level <= 3; level++) {
            att[level - 1] = net.attentionOutput(big, level).clone();
            alpha[level - 1] = net.attentionWeights(big, level).clone();
        }
        int out = net.outputSize();
        for (int b = 0; b < batch; b++) {
            float[] y = net.forward(x, b * net.inputSize(), 1, one);
            assertArrayEquals(Arrays.copyOfRange(all, b * out, (b + 1) * out), Arrays.copyOf(y, out),
                    "reconstruction of example " + b);
            for (int level = 1; level <= 3; level++) {
                int d = net.attentionSize(level);
                assertArrayEquals(Arrays.copyOfRange(att[level - 1], b * d, (b + 1) * d),
                        Arrays.copyOf(net.attentionOutput(one, level), d), "Ĥ_" + level + " of example " + b);
                assertArrayEquals(Arrays.copyOfRange(alpha[level - 1], b * 3, b * 3 + 3),
                        Arrays.copyOf(net.attentionWeights(one, level), 3), "α_" + level + " of example " + b);
            }
        }
        // copies compute the same and share workspaces
        MSCREDNetwork copy = net.copy();
        assertArrayEquals(all, copy.forward(x, batch, big).clone());
        float[] sum = net.attentionWeights(big, 1);
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int t = 0; t < 3; t++) {
                s += sum[b * 3 + t];
            }
            assertEquals(1.0, s, 1e-6);
        }
    }

    /** A smooth multivariate series as signature-matrix-like stacks {@code S_t[c] = v_t v_tᵀ · (c+1)/2}. */
    private static float[] syntheticStacks(int examples, int steps, int scales, int n) {
        int f = scales * n * n;
        float[] stacks = new float[(examples + steps) * f];
        for (int t = 0; t < examples + steps; t++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = Math.sin(0.35 * t + 0.9 * i);
            }
            for (int c = 0; c < scales; c++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        stacks[t * f + (c * n + i) * n + j] = (float) (v[i] * v[j] * (c + 1) / 2);
                    }
                }
            }
        }
        // examples: windows of `steps` consecutive stacks, [examples, T, C·n·n]
        float[] windows = new float[examples * steps * f];
        for (int e = 0; e < examples; e++) {
            System.arraycopy(stacks, e * f, windows, e * steps * f, steps * f);
        }
        return windows;
    }

    @Test
    public void trainingIsDeterministicOnOneAndTwoThreads() {
        int examples = 10;
        float[] data = syntheticStacks(examples, 3, 2, 7);
        float[][] finals = new float[2][];
        double[][] history = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            MSCREDNetwork net = tiny();
            net.initialise(new SplittableRandom(41));
            history[threads - 1] = MinibatchTraining.train(net.parameters(), cap -> net.newShard(data, cap), examples,
                    net.outputSize(), new AdamOptimiser(0.01), 2, 5, new SplittableRandom(42), "mscred", threads);
            finals[threads - 1] = net.parameters().clone();
        }
        assertArrayEquals(finals[0], finals[1], "1 and 2 threads must train identical weights");
        assertArrayEquals(history[0], history[1]);
    }

    @Test
    public void trainingLowersTheReconstructionLoss() {
        int examples = 24;
        float[] data = syntheticStacks(examples, 3, 2, 7);
        MSCREDNetwork net = tiny();
        net.initialise(new SplittableRandom(51));
        double[] history = MinibatchTraining.train(net.parameters(), cap -> net.newShard(data, cap), examples,
                net.outputSize(), new AdamOptimiser(0.01), 25, 8, new SplittableRandom(52), "mscred", 2);
        assertTrue(history[history.length - 1] < 0.3 * history[0], Arrays.toString(history));
        // the reported loss is the mean squared residual of the last stack (eq. 4) over all scales
        MSCREDNetwork.Workspace ws = net.newWorkspace(examples);
        float[] y = net.forward(data, examples, ws);
        int f = net.outputSize();
        double sse = 0;
        for (int e = 0; e < examples; e++) {
            for (int j = 0; j < f; j++) {
                double d = y[e * f + j] - data[(e * 3 + 2) * f + j];
                sse += d * d;
            }
        }
        assertTrue(sse / ((double) examples * f) < 0.5 * history[0]);
    }

    @Test
    public void validation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MSCREDNetwork(3, 10, 5, new int[]{8, 16}, new int[]{3}, new int[]{1, 2}, 5.0));
        assertTrue(e.getMessage().contains("one entry per level"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MSCREDNetwork(3, 10, 5, new int[]{8, 0}, new int[]{3, 3}, new int[]{1, 2}, 5.0));
        assertTrue(e.getMessage().contains("Level 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MSCREDNetwork(0, 10, 5, new int[]{8}, new int[]{3}, new int[]{1}, 5.0));
        assertTrue(e.getMessage().contains("scales 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MSCREDNetwork(3, 10, 5, new int[]{8}, new int[]{3}, new int[]{1}, 0.0));
        assertTrue(e.getMessage().contains("rescale"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tiny().levelSide(4));
        assertThrows(IllegalArgumentException.class, () -> tiny().levelSide(0));

        // one level: no Ĥ_2 to distil
        MSCREDNetwork single = new MSCREDNetwork(1, 5, 2, new int[]{2}, new int[]{3}, new int[]{2}, 5.0);
        single.initialise(new SplittableRandom(61));
        MSCREDNetwork.Workspace ws = single.newWorkspace(1);
        float[] y = single.forward(new float[single.inputSize()], 1, ws);
        e = assertThrows(IllegalArgumentException.class, () -> single.backward(y, new float[8], 1, ws,
                new float[single.numParameters()], null));
        assertTrue(e.getMessage().contains("at least 2 levels"), e.getMessage());
        assertEquals(handCount(1, new int[]{2}, new int[]{3}), single.numParameters());

        MSCREDNetwork net = tiny();
        MSCREDNetwork.Workspace small = net.newWorkspace(2);
        assertThrows(IllegalArgumentException.class, () -> net.forward(new float[3 * net.inputSize()], 3, small));
        assertThrows(IllegalStateException.class, () -> net.backward(new float[2 * net.outputSize()], null, 2, small,
                new float[net.numParameters()], null));
        assertThrows(IllegalArgumentException.class, () -> net.forward(new float[net.inputSize()], 1, ws));
        assertThrows(IllegalArgumentException.class, () -> net.newShard(new float[net.inputSize() + 1], 2));
    }
}
