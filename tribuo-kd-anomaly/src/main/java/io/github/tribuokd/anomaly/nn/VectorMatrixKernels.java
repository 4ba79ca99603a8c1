package io.github.tribuokd.anomaly.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatrixKernels} on the JDK Vector API ({@code jdk.incubator.vector}): SIMD fused multiply-adds in a
 * register-blocked micro-kernel, in the way of GotoBLAS.
 * <p>
 * Loops: k in blocks of {@value #KC} and n in blocks of {@value #NC}; each block of B is packed into panels of
 * {@code NR = 2·lanes} columns (zero-padded), so that the micro-kernel streams it contiguously; the micro-kernel
 * keeps a {@code 4 × NR} tile of C in 8 vector registers while it runs over the block's k, broadcasting one
 * element of each of 4 rows of A per step. Per element of C the sum runs over p = 0, 1, …, k−1 in order (block by
 * block), so results do not depend on threads or on how rows are split.
 * <p>
 * Loaded only by {@link Kernels} after it has checked that the module is present; compile and run with
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorMatrixKernels implements MatrixKernels {

    /** The preferred species (16 floats with AVX-512, 8 with AVX2); a static final constant, as it must be. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = 4;
    private static final int KC = 256;
    private static final int NC = 512;

    static final VectorMatrixKernels INSTANCE = new VectorMatrixKernels();

    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[2][0]);

    private VectorMatrixKernels() { }

    @Override
    public String name() {
        return "vector-api-" + (L * 32) + "bit";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        BlockedMatrixKernels.scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) {
            return;
        }
        float[][] s = scratch.get();
        if (transA) { // pack Aᵀ [k, m] into A [m, k]
            s[0] = BlockedMatrixKernels.ensure(s[0], m * k);
            BlockedMatrixKernels.transpose(a, aOff, lda, k, m, s[0]);
            a = s[0];
            aOff = 0;
            lda = k;
        }
        s[1] = BlockedMatrixKernels.ensure(s[1], KC * (NC + NR));
        float[] packed = s[1];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                int panels = (nc + NR - 1) / NR;
                packB(transB, b, bOff, ldb, p0, kc, j0, nc, packed);
                int i = 0;
                for (; i + MR <= m; i += MR) {
                    for (int q = 0; q < panels; q++) {
                        kernel4(a, aOff + i * lda + p0, lda, packed, q * kc * NR, kc, alpha,
                                c, cOff + i * ldc + j0 + q * NR, ldc, Math.min(NR, nc - q * NR));
                    }
                }
                for (; i < m; i++) {
                    for (int q = 0; q < panels; q++) {
                        kernel1(a, aOff + i * lda + p0, packed, q * kc * NR, kc, alpha,
                                c, cOff + i * ldc + j0 + q * NR, Math.min(NR, nc - q * NR));
                    }
                }
            }
        }
    }

    /** Packs B[p0:p0+kc, j0:j0+nc] (or its transposed storage) into panels [panel][p][NR], zero-padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              float[] dst) {
        int panels = (nc + NR - 1) / NR;
        for (int q = 0; q < panels; q++) {
            int base = q * kc * NR;
            int width = Math.min(NR, nc - q * NR);
            int col0 = j0 + q * NR;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + col0;
                    int d = base + p * NR;
                    System.arraycopy(b, src, dst, d, width);
                    for (int jj = width; jj < NR; jj++) {
                        dst[d + jj] = 0f;
                    }
                }
            } else { // B stored [n, k]: element (p, j) at b[bOff + j*ldb + p]
                for (int jj = 0; jj < NR; jj++) {
                    if (jj < width) {
                        int src = bOff + (col0 + jj) * ldb + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + jj] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + jj] = 0f;
                        }
                    }
                }
            }
        }
    }

    // C[4, width] += alpha * A[4, kc] (rows lda apart) · Bpanel[kc, NR]
    private static void kernel4(float[] a, int aBase, int lda, float[] bp, int bBase, int kc, float alpha,
                                float[] c, int cBase, int ldc, int width) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a0 = aBase, a1 = aBase + lda, a2 = aBase + 2 * lda, a3 = aBase + 3 * lda;
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        store(c00, c01, alpha, c, cBase, width);
        store(c10, c11, alpha, c, cBase + ldc, width);
        store(c20, c21, alpha, c, cBase + 2 * ldc, width);
        store(c30, c31, alpha, c, cBase + 3 * ldc, width);
    }

    // C[1, width] += alpha * A[1, kc] · Bpanel[kc, NR]
    private static void kernel1(float[] a, int aBase, float[] bp, int bBase, int kc, float alpha,
                                float[] c, int cBase, int width) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            FloatVector x = FloatVector.broadcast(S, a[aBase + p]);
            c0 = x.fma(FloatVector.fromArray(S, bp, bi), c0);
            c1 = x.fma(FloatVector.fromArray(S, bp, bi + L), c1);
        }
        store(c0, c1, alpha, c, cBase, width);
    }

    /** C[row, 0:width] += alpha * (v0 | v1), masked at the right edge. */
    private static void store(FloatVector v0, FloatVector v1, float alpha, float[] c, int at, int width) {
        if (alpha != 1f) {
            v0 = v0.mul(alpha);
            v1 = v1.mul(alpha);
        }
        if (width == NR) {
            FloatVector.fromArray(S, c, at).add(v0).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(v1).intoArray(c, at + L);
        } else {
            VectorMask<Float> m0 = S.indexInRange(0, width);
            FloatVector.fromArray(S, c, at, m0).add(v0).intoArray(c, at, m0);
            if (width > L) {
                VectorMask<Float> m1 = S.indexInRange(L, width);
                FloatVector.fromArray(S, c, at + L, m1).add(v1).intoArray(c, at + L, m1);
            }
        }
    }
}
