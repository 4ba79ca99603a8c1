package io.github.tribuokd.timeseries;

import java.util.Arrays;
import java.util.Objects;

/**
 * The multi-scale signature matrices of MSCRED (Zhang et al., AAAI 2019; eq. 1 of seed paper 002,
 * {@code m_t(i, j) = Σ_{δ=0}^{ℓ-1} x^i_{t-δ} x^j_{t-δ} / ℓ}) maintained over a stream: each
 * {@link #push(float[])} of a new point costs O(n²) per scale instead of the O(n²·ℓ) of the direct formula,
 * and {@link #current(float[], int)} writes the stack {@code [scales, n, n]} at the latest point. Mutable,
 * not thread-safe.
 * <p>
 * Time is counted from the first push after construction or {@link #reset()}: the first point is time 0.
 * Before a window is full the missing points are zeros and the sum is still divided by ℓ, exactly as in
 * {@link SignatureMatrices#compute(MultivariateSeries, int)}; at every time the stack equals that direct
 * computation on the points pushed so far, up to rounding (see below).
 * <p>
 * <b>Algorithm.</b> For a scale ℓ, time is cut into blocks of ℓ points {@code [bℓ, (b+1)ℓ)}. After point t,
 * whose block starts at s, the window {@code [t-ℓ+1, t]} is the head {@code [s, t]} of the current block
 * plus the tail {@code [t-ℓ+1, s-1]} of the previous block. Three double-precision accumulators per scale
 * (upper triangles of n × n matrices, the matrices being symmetric):
 * <ul>
 *     <li>{@code H = Σ_{q=s}^{t} x_q x_qᵀ}, the current block so far;</li>
 *     <li>{@code T}, the whole previous block (the {@code H} kept when that block ended);</li>
 *     <li>{@code P = Σ_{q=s-ℓ}^{t-ℓ} x_q x_qᵀ}, the points of the previous block that have already left
 *     the window;</li>
 * </ul>
 * and the window sum is {@code H + (T - P)}. A push adds {@code x_t x_tᵀ} to H and the outer product of the
 * leaving point {@code x_{t-ℓ}} (read from a ring buffer of the last {@code max(scales)} points) to P, two
 * rank-1 updates of n(n+1)/2 entries, the same work as the textbook running sum
 * {@code S += x_t x_tᵀ - x_{t-ℓ} x_{t-ℓ}ᵀ}. When a block ends, T takes H and H and P restart from zero.
 * <p>
 * <b>Numerical behaviour.</b> No accumulator ever subtracts, and every one restarts from zero every ℓ
 * points, so rounding errors cannot accumulate over the stream: there is no drift, however long it runs.
 * The only cancellation is {@code T - P}, between sums over the previous block, so the error of an entry
 * at time t is at most of the order of {@code ℓ · 2⁻⁵³ · Σ |x^i x^j|} over the last 2ℓ points; a burst of
 * large values stops influencing the result 2ℓ points after it, as it should. (The textbook running sum
 * keeps the rounding error of the largest values it ever saw: in the test, after 300 points of size 10⁶,
 * points of size 10⁻³ come out with relative errors above 10³ at scale 60.) At the last point of every block
 * ({@code t ≡ ℓ - 1 mod ℓ}) {@code P} and {@code T} hold the same products added in the same order, so
 * {@code T - P} is exactly 0 and the sum is exactly the plain double sum over the window. The sum is
 * multiplied by the double {@code 1/ℓ} and rounded to float once, as in the direct computation of
 * {@link SignatureMatrices}, with which it agrees to about one float ulp (tested to 1e-5 relative at every
 * one of 100,000 points; on that test the floats are in fact identical).
 * <p>
 * <b>Memory</b> is fixed at construction, whatever the length of the stream (see {@link #stateBytes()}):
 * a ring of {@code max(scales) · n} doubles and {@code 3 · scales · n²} doubles of accumulators, e.g.
 * about 245 KB for n = 55 and scales {10, 30, 60}.
 */
public final class IncrementalSignatureMatrix {

    private final int[] scales;
    private final int numVariables;
    private final int ringLength;
    /**
     * The last {@code ringLength} points, [ringLength][n]; point t in row {@code t % ringLength}. Rows are
     * separate arrays (as are the accumulators' rows) so that the rank-1 updates vectorise, see
     * {@link SignatureMatrices#addOuterUpper(double[][], double[])}.
     */
    private final double[][] ring;
    /** Per scale: the current block so far, [scales][n][n] (upper triangle used). */
    private final double[][][] head;
    /** Per scale: the whole previous block, [scales][n][n] (upper triangle used). */
    private final double[][][] previous;
    /** Per scale: the points of the previous block that have left the window, [scales][n][n] (upper). */
    private final double[][][] left;
    /** Per scale: the position of the next point in its block, in [0, ℓ). */
    private final int[] blockPosition;
    /** The point being pushed, [n], in double precision; swapped with the ring row it replaces. */
    private double[] point;
    /** One output row before rounding to float, [n]. */
    private final double[] outputRow;
    /** The ring row of the next point, in [0, ringLength). */
    private int ringPosition;
    /** The number of points pushed since construction or the last reset. */
    private long numPushed;

    /**
     * Creates an empty incremental signature matrix for the scales of a configuration.
     *
     * @param config       The configuration; only its scales are used.
     * @param numVariables The number of variables n, at least 1.
     * @throws IllegalArgumentException If {@code numVariables} is less than 1 or the state is too large.
     */
    public IncrementalSignatureMatrix(SignatureMatrices config, int numVariables) {
        this(Objects.requireNonNull(config, "config must not be null").scales(), numVariables);
    }

    /**
     * Creates an empty incremental signature matrix.
     *
     * @param scales       The window lengths ℓ, positive and strictly increasing (the channel order of a
     *                     stack); copied.
     * @param numVariables The number of variables n, at least 1.
     * @throws IllegalArgumentException If the scales are invalid, {@code numVariables} is less than 1 or
     *                                  the state is too large.
     */
    public IncrementalSignatureMatrix(int[] scales, int numVariables) {
        this.scales = SignatureMatrices.checkScales(scales);
        SignatureMatrices.stackSize(this.scales.length, numVariables); // checks n and the stack size
        this.numVariables = numVariables;
        this.ringLength = this.scales[this.scales.length - 1];
        this.ring = new double[ringLength][numVariables];
        this.head = new double[this.scales.length][numVariables][numVariables];
        this.previous = new double[this.scales.length][numVariables][numVariables];
        this.left = new double[this.scales.length][numVariables][numVariables];
        this.blockPosition = new int[this.scales.length];
        this.point = new double[numVariables];
        this.outputRow = new double[numVariables];
    }

    /**
     * Copy constructor: an independent deep copy of the state.
     */
    private IncrementalSignatureMatrix(IncrementalSignatureMatrix other) {
        this.scales = other.scales.clone();
        this.numVariables = other.numVariables;
        this.ringLength = other.ringLength;
        this.ring = deepCopy(other.ring);
        this.head = deepCopy(other.head);
        this.previous = deepCopy(other.previous);
        this.left = deepCopy(other.left);
        this.blockPosition = other.blockPosition.clone();
        this.point = new double[numVariables];
        this.outputRow = new double[numVariables];
        this.ringPosition = other.ringPosition;
        this.numPushed = other.numPushed;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] copy = new double[a.length][];
        for (int k = 0; k < a.length; k++) {
            copy[k] = a[k].clone();
        }
        return copy;
    }

    private static double[][][] deepCopy(double[][][] a) {
        double[][][] copy = new double[a.length][][];
        for (int k = 0; k < a.length; k++) {
            copy[k] = deepCopy(a[k]);
        }
        return copy;
    }

    private static void fill(double[][] matrix) {
        for (double[] row : matrix) {
            Arrays.fill(row, 0.0);
        }
    }

    private static long doubles(double[][] matrix) {
        long count = 0;
        for (double[] row : matrix) {
            count += row.length;
        }
        return count;
    }

    /**
     * Returns the scales, strictly increasing.
     *
     * @return A fresh copy of the scales.
     */
    public int[] scales() {
        return scales.clone();
    }

    /**
     * Returns the number of scales (the channels of a stack).
     *
     * @return The number of scales.
     */
    public int numScales() {
        return scales.length;
    }

    /**
     * Returns the number of variables n.
     *
     * @return The number of variables.
     */
    public int numVariables() {
        return numVariables;
    }

    /**
     * Returns the number of floats of a stack, {@code scales · n · n}.
     *
     * @return The stack size.
     */
    public int stackSize() {
        return scales.length * numVariables * numVariables;
    }

    /**
     * Returns the number of points pushed since construction or the last {@link #reset()}.
     *
     * @return The number of points.
     */
    public long numPushed() {
        return numPushed;
    }

    /**
     * Returns the time of the latest point, {@code numPushed() - 1}; -1 before the first push.
     *
     * @return The latest time.
     */
    public long time() {
        return numPushed - 1;
    }

    /**
     * Returns the number of points the ring buffer holds, {@code max(scales)}; fixed at construction.
     *
     * @return The ring capacity in points.
     */
    public int ringCapacity() {
        return ringLength;
    }

    /**
     * Returns the bytes held by the state's arrays, computed from their actual lengths: the ring
     * ({@code max(scales) · n} doubles), the accumulators ({@code 3 · scales · n²} doubles) and small
     * per-point scratch. It is fixed at construction; pushes never allocate.
     *
     * @return The state size in bytes (array payloads only, no object headers).
     */
    public long stateBytes() {
        long count = doubles(ring) + point.length;
        for (int k = 0; k < scales.length; k++) {
            count += doubles(head[k]) + doubles(previous[k]) + doubles(left[k]);
        }
        return (count + outputRow.length) * Double.BYTES + (long) blockPosition.length * Integer.BYTES;
    }

    /**
     * Pushes the next point; see {@link #push(float[], int)}.
     *
     * @param x The point, {@code numVariables()} finite values.
     * @throws IllegalArgumentException If {@code x} has the wrong length or a value is not finite; the state
     *                                  is then unchanged.
     */
    public void push(float[] x) {
        Objects.requireNonNull(x, "point must not be null");
        if (x.length != numVariables) {
            throw new IllegalArgumentException("point " + numPushed + " (0-based, counted from the first push"
                    + " or the last reset) has " + x.length + " values, expected " + numVariables);
        }
        push(x, 0);
    }

    /**
     * Pushes the next point, the {@code numVariables()} values from {@code values[offset]} (e.g. row t of a
     * row-major series at offset {@code t * numVariables}), in O(n² · scales) time and without allocation.
     *
     * @param values The array holding the point.
     * @param offset Where the point starts.
     * @throws IllegalArgumentException If the array is too short or a value is not finite (the message names
     *                                  the point's index and the variable); the state is then unchanged.
     */
    public void push(float[] values, int offset) {
        Objects.requireNonNull(values, "values must not be null");
        int n = numVariables;
        if (offset < 0 || (long) offset + n > values.length) {
            throw new IllegalArgumentException("point " + numPushed + " (0-based, counted from the first push or the"
                    + " last reset): " + n + " values from offset " + offset + " do not fit in an array of length "
                    + values.length);
        }
        for (int v = 0; v < n; v++) {
            float x = values[offset + v];
            if (Float.isNaN(x) || Float.isInfinite(x)) {
                throw new IllegalArgumentException("point " + numPushed + " (0-based, counted from the first push or"
                        + " the last reset): variable " + v + " is " + x + "; signature matrices need finite values");
            }
            point[v] = x;
        }
        for (int k = 0; k < scales.length; k++) {
            int scale = scales[k];
            if (blockPosition[k] == 0) {
                // A block starts: the block that just ended becomes the previous one; H and P restart.
                double[][] ended = head[k];
                head[k] = previous[k];
                previous[k] = ended;
                fill(head[k]);
                fill(left[k]);
            }
            SignatureMatrices.addOuterUpper(head[k], point);
            if (numPushed >= scale) {
                // Point t - ℓ leaves the window; it lies in row (t - ℓ) mod ringLength of the ring.
                int row = ringPosition - scale;
                if (row < 0) {
                    row += ringLength;
                }
                SignatureMatrices.addOuterUpper(left[k], ring[row]);
            }
            blockPosition[k] = blockPosition[k] + 1 == scale ? 0 : blockPosition[k] + 1;
        }
        // Only now replace the ring row (for ℓ = max(scales) the leaving point was in it): swap the arrays.
        double[] replaced = ring[ringPosition];
        ring[ringPosition] = point;
        point = replaced;
        ringPosition = ringPosition + 1 == ringLength ? 0 : ringPosition + 1;
        numPushed++;
    }

    /**
     * Returns the stack {@code [scales, n, n]} at the latest point; see {@link #current(float[], int)}.
     *
     * @return A new array of {@link #stackSize()} floats.
     * @throws IllegalStateException If no point has been pushed.
     */
    public float[] current() {
        float[] dst = new float[stackSize()];
        current(dst, 0);
        return dst;
    }

    /**
     * Writes the stack {@code [scales, n, n]} at the latest point to {@code dst[offset ...]}: element
     * {@code (k, i, j)} at {@code offset + (k * n + i) * n + j} is {@code (float) ((H + (T - P)) · (1/ℓ_k))} for
     * the upper triangle, mirrored to the lower. O(n² · scales), no allocation.
     *
     * @param dst    The destination, with room for {@link #stackSize()} floats from {@code offset}.
     * @param offset Where the stack starts in {@code dst}.
     * @throws IllegalStateException    If no point has been pushed.
     * @throws IllegalArgumentException If {@code dst} is too short.
     */
    public void current(float[] dst, int offset) {
        if (numPushed == 0) {
            throw new IllegalStateException("no point has been pushed yet (since construction or the last reset),"
                    + " so there is no signature matrix");
        }
        int n = numVariables;
        SignatureMatrices.checkDestination(dst, offset, stackSize(), "stack");
        double[] out = outputRow;
        for (int k = 0; k < scales.length; k++) {
            double inverse = 1.0 / scales[k];
            int base = offset + k * n * n;
            for (int i = 0; i < n; i++) {
                double[] h = head[k][i];
                double[] p = previous[k][i];
                double[] l = left[k][i];
                for (int j = i; j < n; j++) {
                    out[j] = (h[j] + (p[j] - l[j])) * inverse;
                }
                SignatureMatrices.writeSymmetricRow(out, i, n, dst, base);
            }
        }
    }

    /**
     * Forgets every point: the next push is time 0 again. Keeps the allocated state.
     */
    public void reset() {
        fill(ring);
        for (int k = 0; k < scales.length; k++) {
            fill(head[k]);
            fill(previous[k]);
            fill(left[k]);
        }
        Arrays.fill(blockPosition, 0);
        ringPosition = 0;
        numPushed = 0;
    }

    /**
     * Returns an independent copy of the state (a snapshot): pushing to either does not affect the other,
     * and both give the same stacks after the same pushes. Costs one copy of {@link #stateBytes()}.
     *
     * @return The copy.
     */
    public IncrementalSignatureMatrix copy() {
        return new IncrementalSignatureMatrix(this);
    }

    /**
     * Returns a short description: scales, variables and the number of points pushed.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "IncrementalSignatureMatrix(scales=" + Arrays.toString(scales) + ", numVariables=" + numVariables
                + ", numPushed=" + numPushed + ")";
    }
}
