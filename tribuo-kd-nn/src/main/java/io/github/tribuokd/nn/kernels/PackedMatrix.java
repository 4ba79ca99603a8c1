package io.github.tribuokd.nn.kernels;

/**
 * The right operand B of many products, packed once by {@link MatrixKernels#pack} in the layout a kernel's inner
 * loop reads. A recurrent layer multiplies the same {@code U} at every step of a window: packing it once per pass,
 * not once per step, saves a copy of U per step. Opaque; reusable across calls of the same shape.
 */
public final class PackedMatrix {

    final int k;
    final int n;
    final MatrixKernels owner;
    float[] data = new float[0];
    int[] blockOffsets = new int[0];
    int nr;

    PackedMatrix(int k, int n, MatrixKernels owner) {
        this.k = k;
        this.n = n;
        this.owner = owner;
    }

    /** @return The inner dimension k (rows of op(B)). */
    public int k() {
        return k;
    }

    /** @return The columns n of op(B). */
    public int n() {
        return n;
    }

    /** Whether {@code reuse} can be refilled for these dimensions by this kernel implementation. */
    static boolean fits(PackedMatrix reuse, int k, int n, MatrixKernels owner) {
        return reuse != null && reuse.k == k && reuse.n == n && reuse.owner == owner;
    }

    void check(int k, int n, MatrixKernels owner) {
        if (this.k != k || this.n != n || this.owner != owner) {
            throw new IllegalArgumentException("Packed matrix of " + this.k + "x" + this.n + " (by " + this.owner.name()
                    + ") used for a product needing " + k + "x" + n + " (by " + owner.name() + ")");
        }
    }
}
