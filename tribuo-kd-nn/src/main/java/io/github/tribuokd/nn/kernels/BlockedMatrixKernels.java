package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;

/**
 * Plain-Java {@link MatrixKernels}: always available.
 * <p>
 * Transposed operands are first packed into row-major scratch; the product then runs as row-wise axpy updates
 * {@code C[i, j0:j1] += A[i, p] · B[p, j0:j1]} (an inner loop over contiguous memory that the JIT vectorises),
 * blocked over k and n so that the block of B in use stays in cache. The summation order for each C element is
 * p = 0, 1, …, k−1, whatever the block sizes: results are deterministic.
 */
public final class BlockedMatrixKernels implements MatrixKernels {

    /** The shared instance. */
    public static final BlockedMatrixKernels INSTANCE = new BlockedMatrixKernels();

    private static final int KC = 256;
    private static final int NC = 1024;

    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[2][0]);

    private BlockedMatrixKernels() { }

    @Override
    public String name() {
        return "plain-java-blocked";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) {
            return;
        }
        float[][] s = scratch.get();
        if (transA) { // pack Aᵀ [k, m] into A [m, k]
            s[0] = ensure(s[0], m * k);
            transpose(a, aOff, lda, k, m, s[0]);
            a = s[0];
            aOff = 0;
            lda = k;
        }
        if (transB) { // pack Bᵀ [n, k] into B [k, n]
            s[1] = ensure(s[1], k * n);
            transpose(b, bOff, ldb, n, k, s[1]);
            b = s[1];
            bOff = 0;
            ldb = n;
        }
        for (int j0 = 0; j0 < n; j0 += NC) {
            int j1 = Math.min(n, j0 + NC);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int p1 = Math.min(k, p0 + KC);
                for (int i = 0; i < m; i++) {
                    int aRow = aOff + i * lda;
                    int cRow = cOff + i * ldc;
                    for (int p = p0; p < p1; p++) {
                        float av = alpha * a[aRow + p];
                        if (av == 0f) {
                            continue;
                        }
                        int bRow = bOff + p * ldb;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += av * b[bRow + j];
                        }
                    }
                }
            }
        }
    }

    /** Plain Java: op(B) copied row-major; the product then runs as the unpacked one does after its own packing. */
    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix reuse) {
        PackedMatrix p = PackedMatrix.fits(reuse, k, n, this) ? reuse : new PackedMatrix(k, n, this);
        p.data = ensure(p.data, k * n);
        if (transB) {
            transpose(b, bOff, ldb, n, k, p.data);
        } else {
            for (int r = 0; r < k; r++) {
                System.arraycopy(b, bOff + r * ldb, p.data, r * n, n);
            }
        }
        return p;
    }

    @Override
    public void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                     float beta, float[] c, int cOff, int ldc) {
        b.check(b.k, b.n, this);
        gemm(transA, false, m, b.n, b.k, alpha, a, aOff, lda, b.data, 0, b.n, beta, c, cOff, ldc);
    }

    @Override
    public void activate(Activation f, float[] in, int inOff, float[] out, int outOff, int n) {
        switch (f) {
            case RELU:
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = Math.max(in[inOff + i], 0f); // branch-free
                }
                break;
            case IDENTITY:
                if (in != out || inOff != outOff) {
                    System.arraycopy(in, inOff, out, outOff, n);
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = f.apply(in[inOff + i]);
                }
        }
    }

    static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /** dst[cols, rows] = src[rows, cols]ᵀ (src with leading dimension ld). */
    static void transpose(float[] src, int off, int ld, int rows, int cols, float[] dst) {
        final int t = 32;
        for (int r0 = 0; r0 < rows; r0 += t) {
            int r1 = Math.min(rows, r0 + t);
            for (int c0 = 0; c0 < cols; c0 += t) {
                int c1 = Math.min(cols, c0 + t);
                for (int r = r0; r < r1; r++) {
                    int s = off + r * ld;
                    for (int cc = c0; cc < c1; cc++) {
                        dst[cc * rows + r] = src[s + cc];
                    }
                }
            }
        }
    }

    static float[] ensure(float[] buf, int size) {
        return buf.length >= size ? buf : new float[size];
    }
}
