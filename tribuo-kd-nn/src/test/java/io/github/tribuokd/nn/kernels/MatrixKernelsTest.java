package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both kernel implementations against a double-precision reference, and against each other. */
public class MatrixKernelsTest {

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** C = alpha·op(A)·op(B) + beta·C in double precision. */
    private static double[] reference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff,
                                      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                      int ldc) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                out[i * n + j] = alpha * s + (beta == 0f ? 0 : beta * c[cOff + i * ldc + j]);
            }
        }
        return out;
    }

    private static void check(MatrixKernels kernels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] sizes = {1, 3, 4, 5, 17, 31, 32, 33, 64, 100, 257, 300};
        for (int trial = 0; trial < 60; trial++) {
            int m = sizes[rng.nextInt(sizes.length)], n = sizes[rng.nextInt(sizes.length)];
            int k = sizes[rng.nextInt(sizes.length)];
            boolean ta = rng.nextBoolean(), tb = rng.nextBoolean();
            float alpha = trial % 3 == 0 ? 1f : (float) (rng.nextDouble() * 2 - 1);
            float beta = trial % 4 == 0 ? 0f : (trial % 4 == 1 ? 1f : 0.5f);
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            int lda = aCols + rng.nextInt(3), ldb = bCols + rng.nextInt(3), ldc = n + rng.nextInt(3);
            int aOff = rng.nextInt(5), bOff = rng.nextInt(5), cOff = rng.nextInt(5);
            float[] a = random(rng, aOff + aRows * lda);
            float[] b = random(rng, bOff + bRows * ldb);
            float[] c = random(rng, cOff + m * ldc + 3);
            double[] ref = reference(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            float[] got = c.clone();
            kernels.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double tol = 1e-5 * k + 1e-5;
                    assertEquals(ref[i * n + j], got[cOff + i * ldc + j], tol, kernels.name() + " " + m + "x" + n
                            + "x" + k + " ta=" + ta + " tb=" + tb + " at (" + i + "," + j + ")");
                }
                // Padding between rows is untouched.
                for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
                    assertEquals(c[cOff + i * ldc + j], got[cOff + i * ldc + j], 0.0, "padding written");
                }
            }
        }
    }

    @Test
    public void plainJavaMatchesReference() {
        check(Kernels.plainJava(), 1L);
    }

    @Test
    public void vectorApiMatchesReference() {
        assertTrue(Kernels.vectorApiAvailable(), "tests run with --add-modules jdk.incubator.vector");
        check(Kernels.vectorApi(), 2L);
        assertEquals(Kernels.vectorApi(), Kernels.get(), "the Vector API is chosen when present");
    }

    @Test
    public void implementationsAgree() {
        SplittableRandom rng = new SplittableRandom(3);
        int m = 67, n = 129, k = 300;
        float[] a = random(rng, m * k), b = random(rng, k * n);
        float[] c1 = new float[m * n], c2 = new float[m * n];
        Kernels.plainJava().gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c1, 0, n);
        Kernels.vectorApi().gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c2, 0, n);
        for (int i = 0; i < c1.length; i++) {
            assertEquals(c1[i], c2[i], 1e-4, "element " + i);
        }
    }

    /** The SIMD activations give the same bits as the scalar ones (any lane, any tail, either implementation). */
    @Test
    public void activationsAreBitwiseEqualAcrossImplementations() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 1003;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rng.nextDouble() * 2 - 1) * (i % 7 == 0 ? 200 : 8));
        }
        for (Activation f : Activation.values()) {
            float[] v = new float[n], p = new float[n];
            Kernels.vectorApi().activate(f, x, 0, v, 0, n);
            Kernels.plainJava().activate(f, x, 0, p, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(p[i]), Float.floatToIntBits(v[i]), f + " at " + x[i]);
                assertEquals(Float.floatToIntBits(f.apply(x[i])), Float.floatToIntBits(v[i]), f + " scalar at " + x[i]);
            }
        }
    }

    @Test
    public void fastMathIsAccurate() {
        for (double x = -80; x <= 80; x += 0.0137) {
            float fx = (float) x;
            double exact = Math.exp(fx);
            assertEquals(exact, FastMath.exp(fx), 3e-7 * exact, "exp(" + fx + ")");
            assertEquals(Math.tanh(fx), FastMath.tanh(fx), 3e-7, "tanh(" + fx + ")");
            assertEquals(1 / (1 + Math.exp(-fx)), FastMath.sigmoid(fx), 3e-7, "sigmoid(" + fx + ")");
        }
        assertEquals(1f, FastMath.tanh(1000f), 0f);
        assertEquals(-1f, FastMath.tanh(-1000f), 0f);
        assertEquals(0f, FastMath.sigmoid(-1000f), 1e-37f);
    }

    /** A pre-packed B gives exactly the bits of the unpacked product (both implementations, every path). */
    @Test
    public void packedProductsAreBitIdentical() {
        SplittableRandom rng = new SplittableRandom(9);
        int[] sizes = {1, 2, 3, 4, 5, 16, 17, 33, 257, 600};
        for (MatrixKernels kernels : new MatrixKernels[]{Kernels.plainJava(), Kernels.vectorApi()}) {
            PackedMatrix reuse = null;
            for (int trial = 0; trial < 60; trial++) {
                int m = sizes[rng.nextInt(sizes.length)], n = sizes[rng.nextInt(sizes.length)];
                int k = sizes[rng.nextInt(sizes.length)];
                boolean ta = rng.nextBoolean(), tb = rng.nextBoolean();
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] a = random(rng, m * k), b = random(rng, k * n), c = random(rng, m * n);
                float beta = rng.nextBoolean() ? 0f : 1f;
                float[] expected = c.clone(), got = c.clone();
                kernels.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, expected, 0, n);
                PackedMatrix packed = kernels.pack(tb, k, n, b, 0, ldb, reuse);
                kernels.gemm(ta, m, 1f, a, 0, lda, packed, beta, got, 0, n);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), kernels.name() + " "
                            + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " element " + i);
                }
                reuse = packed;
            }
        }
    }
}
