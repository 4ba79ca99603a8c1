package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;

/**
 * The engine's one matrix-product kernel, BLAS {@code sgemm} on row-major float32 buffers:
 * <pre>
 *   C[m, n] = alpha · op(A)[m, k] · op(B)[k, n] + beta · C[m, n]
 * </pre>
 * where {@code op(X)} is X or its transpose. Row-major with leading dimensions: element (r, c) of a stored
 * matrix X with leading dimension {@code ldx} is {@code x[xOff + r·ldx + c]}; a transposed operand is stored as
 * its transpose ({@code A} stored {@code [k, m]} when {@code transA}).
 * <p>
 * Every layer's forward and backward products go through this interface (dense: {@code Y = X·W},
 * {@code dW += Xᵀ·dY}, {@code dX = dY·Wᵀ}; recurrent layers the same per time step), so the whole engine gets
 * faster when the kernel does. Implementations: {@link BlockedMatrixKernels} (plain Java, always available) and
 * {@code VectorMatrixKernels} (JDK Vector API, chosen by {@link Kernels} when {@code jdk.incubator.vector} is
 * present). They agree within float32 rounding (tested); each is deterministic (a fixed summation order).
 * Implementations are stateless apart from per-thread scratch and are safe to call from several threads.
 */
public interface MatrixKernels {

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}.
     * @param transA Whether A is stored transposed ({@code [k, m]}).
     * @param transB Whether B is stored transposed ({@code [n, k]}).
     * @param m Rows of C.
     * @param n Columns of C.
     * @param k The inner dimension.
     * @param alpha Scale of the product.
     * @param a A's buffer.
     * @param aOff A's first element.
     * @param lda A's leading dimension (row length as stored).
     * @param b B's buffer.
     * @param bOff B's first element.
     * @param ldb B's leading dimension.
     * @param beta Scale of the existing C (0 overwrites C, ignoring what it held; 1 accumulates).
     * @param c C's buffer.
     * @param cOff C's first element.
     * @param ldc C's leading dimension.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Packs {@code op(B)} ({@code [k, n]}) once, for several {@link #gemm(boolean, int, float, float[], int, int,
     * PackedMatrix, float, float[], int, int)} calls with different A. The result is bit-identical to the unpacked
     * {@code gemm}.
     * @param transB Whether B is stored transposed ({@code [n, k]}).
     * @param k Rows of op(B).
     * @param n Columns of op(B).
     * @param b B's buffer.
     * @param bOff B's first element.
     * @param ldb B's leading dimension.
     * @param reuse A previous result to refill (same k, n, implementation), or null.
     * @return The packed matrix.
     */
    PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix reuse);

    /**
     * {@code C = alpha · op(A) · B + beta · C} with a pre-packed B ({@code m × packed.k()} times
     * {@code packed.k() × packed.n()}).
     * @param transA Whether A is stored transposed.
     * @param m Rows of C.
     * @param alpha Scale of the product.
     * @param a A's buffer.
     * @param aOff A's first element.
     * @param lda A's leading dimension.
     * @param b The packed B, made by this implementation's {@link #pack}.
     * @param beta Scale of the existing C.
     * @param c C's buffer.
     * @param cOff C's first element.
     * @param ldc C's leading dimension.
     */
    void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Element-wise {@code out[i] = f(in[i])} for {@code n} elements (in may equal out). The activations of the
     * dense and recurrent layers go through here, so that they are vectorised with the products.
     * @param f The activation.
     * @param in The input buffer.
     * @param inOff The first input element.
     * @param out The output buffer.
     * @param outOff The first output element.
     * @param n The number of elements.
     */
    void activate(Activation f, float[] in, int inOff, float[] out, int outOff, int n);

    /**
     * A short name for logs and benchmark tables.
     * @return The name.
     */
    String name();
}
