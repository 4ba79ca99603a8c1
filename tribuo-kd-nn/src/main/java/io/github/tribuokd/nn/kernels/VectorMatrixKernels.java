package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
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
    static final int MAGIC_BITS = Float.floatToRawIntBits(FastMath.MAGIC);

    static final VectorMatrixKernels INSTANCE = new VectorMatrixKernels();

    /** Per thread: packed A, packed B, and a spill buffer for partial tiles. */
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[][]{
            new float[0], new float[0], new float[MR * NR]});

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
        // The single-example paths first: they need no scratch (no thread-local lookup on the scoring path).
        if (!transA && n == 1 && (transB || ldb == 1)) {
            dots(m, k, alpha, a, aOff, lda, b, bOff, 1, c, cOff, ldc, null);
            return;
        }
        if (m < MR && !transA && !transB) {
            smallM(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
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
        if (n == 1) {
            dots(m, k, alpha, a, aOff, lda, b, bOff, transB ? 1 : ldb, c, cOff, ldc, s);
            return;
        }
        if (m < MR && !transB) {
            smallM(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int nr = n <= L ? L : NR; // narrow outputs use one-vector tiles
        s[1] = BlockedMatrixKernels.ensure(s[1], KC * (NC + NR));
        float[] packed = s[1];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                packB(transB, b, bOff, ldb, p0, kc, j0, nc, nr, packed, 0);
                block(m, alpha, a, aOff, lda, p0, kc, j0, nc, nr, packed, 0, c, cOff, ldc, s[2]);
            }
        }
    }

    /**
     * Packs op(B) into every k-block × n-block of {@link #gemm}'s loops, in their order (a column for n = 1, the
     * dot-product path).
     */
    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix reuse) {
        PackedMatrix p = PackedMatrix.fits(reuse, k, n, this) ? reuse : new PackedMatrix(k, n, this);
        if (n == 1) {
            p.data = BlockedMatrixKernels.ensure(p.data, k);
            int stride = transB ? 1 : ldb;
            for (int q = 0; q < k; q++) {
                p.data[q] = b[bOff + q * stride];
            }
            return p;
        }
        int nr = n <= L ? L : NR;
        p.nr = nr;
        int blocks = ((k + KC - 1) / KC) * ((n + NC - 1) / NC);
        if (p.blockOffsets.length != blocks) {
            p.blockOffsets = new int[blocks];
        }
        int size = 0, idx = 0;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                p.blockOffsets[idx++] = size;
                size += kc * ((nc + nr - 1) / nr) * nr;
            }
        }
        p.data = BlockedMatrixKernels.ensure(p.data, size);
        idx = 0;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int j0 = 0; j0 < n; j0 += NC) {
                packB(transB, b, bOff, ldb, p0, kc, j0, Math.min(NC, n - j0), nr, p.data, p.blockOffsets[idx++]);
            }
        }
        return p;
    }

    @Override
    public void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                     float beta, float[] c, int cOff, int ldc) {
        b.check(b.k, b.n, this);
        int n = b.n, k = b.k;
        if (m == 0) {
            return;
        }
        BlockedMatrixKernels.scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) {
            return;
        }
        float[][] s = scratch.get();
        if (transA) {
            s[0] = BlockedMatrixKernels.ensure(s[0], m * k);
            BlockedMatrixKernels.transpose(a, aOff, lda, k, m, s[0]);
            a = s[0];
            aOff = 0;
            lda = k;
        }
        if (n == 1) {
            dots(m, k, alpha, a, aOff, lda, b.data, 0, 1, c, cOff, ldc, null);
            return;
        }
        // Fewer than 4 rows: kernel1 over the packed panels sums in the same order as smallM (p in order, per block).
        int idx = 0;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int j0 = 0; j0 < n; j0 += NC) {
                block(m, alpha, a, aOff, lda, p0, kc, j0, Math.min(NC, n - j0), b.nr, b.data, b.blockOffsets[idx++],
                        c, cOff, ldc, s[2]);
            }
        }
    }

    /**
     * One packed block of B ({@code kc × nc} at (p0, j0), panels of {@code nr} from {@code packedOff}) against every
     * row of A. Panel outer, row blocks inner: a panel stays in L1 while every block of 4 rows of A streams past it
     * (the GotoBLAS order).
     */
    private static void block(int m, float alpha, float[] a, int aOff, int lda, int p0, int kc, int j0, int nc,
                              int nr, float[] packed, int packedOff, float[] c, int cOff, int ldc, float[] spill) {
        int panels = (nc + nr - 1) / nr;
        int mBlocks = m - m % MR;
        for (int q = 0; q < panels; q++) {
            int width = Math.min(nr, nc - q * nr);
            int srcAt = packedOff + q * kc * nr;
            for (int i = 0; i < mBlocks; i += MR) {
                int cAt = cOff + i * ldc + j0 + q * nr;
                if (nr == NR) {
                    kernel4x2(a, aOff + i * lda + p0, lda, packed, srcAt, nr, kc, alpha, c, cAt, ldc, width, spill);
                } else {
                    kernel4x1(a, aOff + i * lda + p0, lda, packed, srcAt, nr, kc, alpha, c, cAt, ldc, width, spill);
                }
            }
            for (int i = mBlocks; i < m; i++) {
                kernel1(a, aOff + i * lda + p0, packed, srcAt, nr, kc, nr, alpha, c, cOff + i * ldc + j0 + q * nr,
                        width, spill);
            }
        }
    }

    /**
     * SIMD activations: ReLU as {@code max(x, 0)}; tanh and sigmoid with the vector form of {@link FastMath},
     * which gives the same bits as its scalar form (used for the tail and by the plain kernels).
     */
    @Override
    public void activate(Activation f, float[] in, int inOff, float[] out, int outOff, int n) {
        int nv = n - n % L;
        switch (f) {
            case IDENTITY:
                if (in != out || inOff != outOff) {
                    System.arraycopy(in, inOff, out, outOff, n);
                }
                return;
            case RELU:
                for (int i = 0; i < nv; i += L) {
                    FloatVector.fromArray(S, in, inOff + i).max(0f).intoArray(out, outOff + i);
                }
                break;
            case TANH:
                for (int i = 0; i < nv; i += L) {
                    FloatVector e = exp(FloatVector.fromArray(S, in, inOff + i).mul(2f));
                    FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)))
                            .intoArray(out, outOff + i);
                }
                break;
            case SIGMOID:
                for (int i = 0; i < nv; i += L) {
                    FloatVector e = exp(FloatVector.fromArray(S, in, inOff + i).neg());
                    FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(out, outOff + i);
                }
                break;
            default:
                nv = 0;
        }
        for (int i = nv; i < n; i++) {
            out[outOff + i] = f.apply(in[inOff + i]);
        }
    }

    /** {@link FastMath#exp} on every lane, operation for operation (also used by the one-hidden-layer kernel). */
    static FloatVector exp(FloatVector x) {
        x = x.max(FastMath.MIN_X).min(FastMath.MAX_X);
        FloatVector t = x.mul(FastMath.LOG2E).add(FastMath.MAGIC);
        FloatVector n = t.sub(FastMath.MAGIC);
        FloatVector negN = n.neg();
        FloatVector r = negN.fma(FloatVector.broadcast(S, FastMath.LN2_HI), x);
        r = negN.fma(FloatVector.broadcast(S, FastMath.LN2_LO), r);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p = FloatVector.broadcast(S, FastMath.C6).fma(r, FloatVector.broadcast(S, FastMath.C5));
        p = p.fma(r, FloatVector.broadcast(S, FastMath.C4));
        p = p.fma(r, FloatVector.broadcast(S, FastMath.C3));
        p = p.fma(r, FloatVector.broadcast(S, FastMath.C2));
        p = p.fma(r, one);
        p = p.fma(r, one);
        // t's low mantissa bits hold n (t = 1.5·2^23 + n): 2^n = ((bits(t) − bits(1.5·2^23) + 127) << 23), the same
        // integer as the scalar (int) n, without a float-to-int conversion (not intrinsified in JDK 17).
        IntVector bits = t.reinterpretAsInts().sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /**
     * One output column: {@code C[i, 0] += alpha · A[i, :] · B[:, 0]}, vectorised along k (B's column is packed
     * contiguous first when its stride is not 1). The output layer of a scorer.
     */
    private static void dots(int m, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                             int bStride, float[] c, int cOff, int ldc, float[][] s) {
        if (bStride != 1) {
            s[1] = BlockedMatrixKernels.ensure(s[1], k);
            for (int p = 0; p < k; p++) {
                s[1][p] = b[bOff + p * bStride];
            }
            b = s[1];
            bOff = 0;
        }
        int kv = k - k % L;
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * lda;
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                acc = FloatVector.fromArray(S, a, aRow + p).fma(FloatVector.fromArray(S, b, bOff + p), acc);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (int p = kv; p < k; p++) {
                sum += a[aRow + p] * b[bOff + p];
            }
            c[cOff + i * ldc] += alpha * sum;
        }
    }

    /**
     * Fewer rows than a micro-tile (a single example, say): no packing; for each row and each strip of one
     * vector of columns, {@code acc += a[i, p] · B[p, strip]} over each block of {@value #KC} values of p, then
     * {@code C += alpha · acc}. The summation order is exactly the packed kernels', so an example scores the same
     * bits alone as in a batch. Allocation-free: the single-sample scoring path.
     */
    private static void smallM(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                               int ldb, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * lda;
            int cRow = cOff + i * ldc;
            for (int p0 = 0; p0 < k; p0 += KC) {
                int p1 = Math.min(k, p0 + KC);
                int j = 0;
                // four strips at a time: four independent FMA chains instead of one latency-bound chain
                for (; j + 4 * L <= n; j += 4 * L) {
                    FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                    FloatVector acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
                    for (int p = p0; p < p1; p++) {
                        FloatVector x = FloatVector.broadcast(S, a[aRow + p]);
                        int bi = bOff + p * ldb + j;
                        acc0 = x.fma(FloatVector.fromArray(S, b, bi), acc0);
                        acc1 = x.fma(FloatVector.fromArray(S, b, bi + L), acc1);
                        acc2 = x.fma(FloatVector.fromArray(S, b, bi + 2 * L), acc2);
                        acc3 = x.fma(FloatVector.fromArray(S, b, bi + 3 * L), acc3);
                    }
                    if (alpha != 1f) {
                        acc0 = acc0.mul(alpha); acc1 = acc1.mul(alpha); acc2 = acc2.mul(alpha); acc3 = acc3.mul(alpha);
                    }
                    int cj = cRow + j;
                    FloatVector.fromArray(S, c, cj).add(acc0).intoArray(c, cj);
                    FloatVector.fromArray(S, c, cj + L).add(acc1).intoArray(c, cj + L);
                    FloatVector.fromArray(S, c, cj + 2 * L).add(acc2).intoArray(c, cj + 2 * L);
                    FloatVector.fromArray(S, c, cj + 3 * L).add(acc3).intoArray(c, cj + 3 * L);
                }
                for (; j + L <= n; j += L) {
                    FloatVector acc = FloatVector.zero(S);
                    for (int p = p0; p < p1; p++) {
                        acc = FloatVector.broadcast(S, a[aRow + p]).fma(FloatVector.fromArray(S, b, bOff + p * ldb + j),
                                acc);
                    }
                    if (alpha != 1f) {
                        acc = acc.mul(alpha);
                    }
                    FloatVector.fromArray(S, c, cRow + j).add(acc).intoArray(c, cRow + j);
                }
                for (; j < n; j++) { // scalar tail, same order (masked vector ops are slow at array ends in JDK 17)
                    float acc = 0f;
                    for (int p = p0; p < p1; p++) {
                        acc = Math.fma(a[aRow + p], b[bOff + p * ldb + j], acc);
                    }
                    c[cRow + j] += alpha == 1f ? acc : alpha * acc;
                }
            }
        }
    }

    /** Packs B[p0:p0+kc, j0:j0+nc] (or its transposed storage) into panels [panel][p][nr], zero-padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, int nr,
                              float[] dst, int dstOff) {
        int panels = (nc + nr - 1) / nr;
        for (int q = 0; q < panels; q++) {
            int base = dstOff + q * kc * nr;
            int width = Math.min(nr, nc - q * nr);
            int col0 = j0 + q * nr;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + col0;
                    int d = base + p * nr;
                    System.arraycopy(b, src, dst, d, width);
                    for (int jj = width; jj < nr; jj++) {
                        dst[d + jj] = 0f;
                    }
                }
            } else { // B stored [n, k]: element (p, j) at b[bOff + j*ldb + p]
                for (int jj = 0; jj < nr; jj++) {
                    if (jj < width) {
                        int src = bOff + (col0 + jj) * ldb + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * nr + jj] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * nr + jj] = 0f;
                        }
                    }
                }
            }
        }
    }

    // C[4, width] += alpha * A[4, kc] (rows lda apart) · Bpanel[kc, 2L]. Stores are written out here (not in a
    // helper taking vectors) so that no vector crosses a method boundary, which could box it.
    private static void kernel4x2(float[] a, int aBase, int lda, float[] bp, int bBase, int bStride, int kc,
                                  float alpha, float[] c, int cBase, int ldc, int width, float[] spill) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a0 = aBase, a1 = aBase + lda, a2 = aBase + 2 * lda, a3 = aBase + 3 * lda;
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * bStride;
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
        if (alpha != 1f) {
            c00 = c00.mul(alpha); c01 = c01.mul(alpha); c10 = c10.mul(alpha); c11 = c11.mul(alpha);
            c20 = c20.mul(alpha); c21 = c21.mul(alpha); c30 = c30.mul(alpha); c31 = c31.mul(alpha);
        }
        if (width == NR) {
            int r0 = cBase, r1 = cBase + ldc, r2 = cBase + 2 * ldc, r3 = cBase + 3 * ldc;
            FloatVector.fromArray(S, c, r0).add(c00).intoArray(c, r0);
            FloatVector.fromArray(S, c, r0 + L).add(c01).intoArray(c, r0 + L);
            FloatVector.fromArray(S, c, r1).add(c10).intoArray(c, r1);
            FloatVector.fromArray(S, c, r1 + L).add(c11).intoArray(c, r1 + L);
            FloatVector.fromArray(S, c, r2).add(c20).intoArray(c, r2);
            FloatVector.fromArray(S, c, r2 + L).add(c21).intoArray(c, r2 + L);
            FloatVector.fromArray(S, c, r3).add(c30).intoArray(c, r3);
            FloatVector.fromArray(S, c, r3 + L).add(c31).intoArray(c, r3 + L);
        } else { // partial tile: spill and add the valid columns
            c00.intoArray(spill, 0); c01.intoArray(spill, L);
            c10.intoArray(spill, NR); c11.intoArray(spill, NR + L);
            c20.intoArray(spill, 2 * NR); c21.intoArray(spill, 2 * NR + L);
            c30.intoArray(spill, 3 * NR); c31.intoArray(spill, 3 * NR + L);
            for (int r = 0; r < MR; r++) {
                for (int j = 0; j < width; j++) {
                    c[cBase + r * ldc + j] += spill[r * NR + j];
                }
            }
        }
    }

    // C[4, width] += alpha * A[4, kc] · Bpanel[kc, L]: one-vector tiles for narrow outputs (n ≤ L).
    private static void kernel4x1(float[] a, int aBase, int lda, float[] bp, int bBase, int bStride, int kc,
                                  float alpha, float[] c, int cBase, int ldc, int width, float[] spill) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        int a0 = aBase, a1 = aBase + lda, a2 = aBase + 2 * lda, a3 = aBase + 3 * lda;
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(S, bp, bBase + p * bStride);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(bv, c3);
        }
        if (alpha != 1f) {
            c0 = c0.mul(alpha); c1 = c1.mul(alpha); c2 = c2.mul(alpha); c3 = c3.mul(alpha);
        }
        if (width == L) {
            int r0 = cBase, r1 = cBase + ldc, r2 = cBase + 2 * ldc, r3 = cBase + 3 * ldc;
            FloatVector.fromArray(S, c, r0).add(c0).intoArray(c, r0);
            FloatVector.fromArray(S, c, r1).add(c1).intoArray(c, r1);
            FloatVector.fromArray(S, c, r2).add(c2).intoArray(c, r2);
            FloatVector.fromArray(S, c, r3).add(c3).intoArray(c, r3);
        } else {
            c0.intoArray(spill, 0); c1.intoArray(spill, L); c2.intoArray(spill, 2 * L); c3.intoArray(spill, 3 * L);
            for (int r = 0; r < MR; r++) {
                for (int j = 0; j < width; j++) {
                    c[cBase + r * ldc + j] += spill[r * L + j];
                }
            }
        }
    }

    // C[1, width] += alpha * A[1, kc] · Bpanel[kc, nr] (nr = L or 2L)
    private static void kernel1(float[] a, int aBase, float[] bp, int bBase, int bStride, int kc, int nr,
                                float alpha, float[] c, int cBase, int width, float[] spill) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        boolean two = nr == NR;
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * bStride;
            FloatVector x = FloatVector.broadcast(S, a[aBase + p]);
            c0 = x.fma(FloatVector.fromArray(S, bp, bi), c0);
            if (two) {
                c1 = x.fma(FloatVector.fromArray(S, bp, bi + L), c1);
            }
        }
        if (alpha != 1f) {
            c0 = c0.mul(alpha);
            c1 = c1.mul(alpha);
        }
        c0.intoArray(spill, 0);
        c1.intoArray(spill, L);
        for (int j = 0; j < width; j++) {
            c[cBase + j] += spill[j];
        }
    }
}
