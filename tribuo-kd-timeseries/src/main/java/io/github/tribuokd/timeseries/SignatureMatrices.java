// Over 600 lines: one idea, MSCRED's signature matrices (eq. 1) in batch: the scale/gap/step geometry, its
// validation and the fill; the incremental form is its own class (IncrementalSignatureMatrix).
package io.github.tribuokd.timeseries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The multi-scale signature matrices of MSCRED (Zhang et al., "A Deep Neural Network for Unsupervised
 * Anomaly Detection and Diagnosis in Multivariate Time Series Data", AAAI 2019, §"Characterizing Status
 * with Signature Matrices"; eq. 1 of the seed paper 002, Kim, "Generating Small Anomaly Detection Models
 * through Distillation of Long-Term Dependency"), and the configuration that says which of them form a
 * model input. Immutable.
 * <p>
 * <b>Eq. 1.</b> For a scale (window length) ℓ and a time step t, the signature matrix of a series of n
 * variables is the n × n matrix
 * <pre>
 *   m_t(i, j) = Σ_{δ=0}^{ℓ-1} x^i_{t-δ} · x^j_{t-δ} / ℓ
 * </pre>
 * the inner product of the last ℓ values of variables i and j, <i>including</i> x_t, divided by ℓ. It is
 * symmetric. The seed paper writes the window as {@code {x_{t-ℓ}, ..., x_t}}, which lists ℓ + 1 values
 * but divides by ℓ; this class uses ℓ values, as the reference implementation of MSCRED does
 * ({@code np.inner(data[i, t-win:t], data[j, t-win:t]) / win}, whose window ends at {@code t - 1}: its
 * time {@code t} is time {@code t - 1} here).
 * <p>
 * <b>Before the window is full</b> ({@code t < ℓ - 1}) the values before the start of the series are
 * taken to be 0: the sum runs over the available prefix {@code x_0 ... x_t} and is still divided by ℓ.
 * (The reference implementation instead outputs all-zero matrices for its first 60 time steps.) Such
 * padded matrices appear only when asked for explicitly; {@link #firstMatrixTime()} and
 * {@link #firstValidTime()} are the first times without padding.
 * <p>
 * <b>Stacks and model inputs.</b> MSCRED uses several scales at once (default {10, 30, 60}), computes the
 * matrices every {@code gap} time steps (default 10), and feeds its ConvLSTM the {@code steps} (default 5)
 * most recent stacks. Layouts, all row-major {@code float}:
 * <ul>
 *     <li>a <i>stack</i> at time t is {@code [scales, n, n]}: element {@code (k, i, j)} at
 *     {@code (k * n + i) * n + j} is m_t(i, j) at scale {@code scales()[k]};</li>
 *     <li>the <i>model input</i> at time t is {@code [steps, scales, n, n]}: the stacks at times
 *     {@code t - (steps-1)·gap, ..., t - gap, t}, oldest first.</li>
 * </ul>
 * Scales must be given in strictly increasing order, because their order is the channel order of a stack.
 * <p>
 * <b>Matrix times.</b> Matrices are computed on the grid {@code t0, t0 + gap, t0 + 2·gap, ...}; by default
 * {@code t0 = firstMatrixTime() = max(scales) - 1}, the first time whose largest window lies inside the
 * series (this is the reference implementation's grid). The first model input without padding then ends
 * at {@link #firstValidTime()}.
 * <p>
 * Three ways to compute the matrices, all with the same layout:
 * <ul>
 *     <li>{@link #compute(MultivariateSeries, int)}: one stack, directly from eq. 1, O(n²·max ℓ);</li>
 *     <li>{@link #build(MultivariateSeries, int, int)}: every stack of a whole series on the matrix grid,
 *     on several threads, as a {@link SignatureMatrixSequence};</li>
 *     <li>{@link IncrementalSignatureMatrix} and {@link SignatureMatrixStream}: on a stream, O(n²) per new
 *     point and scale.</li>
 * </ul>
 * <b>Precision.</b> The direct computation sums the products in double precision (a product of two floats
 * is exact in double), newest point first, multiplies by the double {@code 1/ℓ} (within one double ulp of
 * the quotient, and much faster than a division per entry) and rounds each entry to float once. It reads
 * every value it uses and rejects NaN and infinities, naming the time step and the variable.
 */
public final class SignatureMatrices {

    /** The default scales of MSCRED: windows of 10, 30 and 60 time steps. */
    private static final int[] DEFAULT_SCALES = {10, 30, 60};
    /** The default gap of MSCRED: a matrix every 10 time steps. */
    public static final int DEFAULT_GAP = 10;
    /** The default number of stacks in one MSCRED input (the ConvLSTM's steps). */
    public static final int DEFAULT_STEPS = 5;

    private final int[] scales;
    private final int gap;
    private final int steps;
    private final int firstMatrixTime;
    private final int firstValidTime;

    /**
     * Creates the configuration of the MSCRED paper: scales {10, 30, 60}, gap 10, 5 steps.
     */
    public SignatureMatrices() {
        this(DEFAULT_SCALES, DEFAULT_GAP, DEFAULT_STEPS);
    }

    /**
     * Creates a configuration.
     *
     * @param scales The window lengths ℓ of eq. 1, positive and strictly increasing (their order is the
     *               channel order of a stack); at least one. The array is copied.
     * @param gap    The number of time steps between two matrix times, at least 1.
     * @param steps  The number of stacks in one model input, at least 1.
     * @throws IllegalArgumentException If a scale is not positive, the scales are not strictly increasing,
     *                                  {@code gap} or {@code steps} is less than 1, or
     *                                  {@link #firstValidTime()} does not fit in an int.
     */
    public SignatureMatrices(int[] scales, int gap, int steps) {
        this.scales = checkScales(scales);
        if (gap < 1) {
            throw new IllegalArgumentException("gap must be at least 1, found " + gap);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, found " + steps);
        }
        this.gap = gap;
        this.steps = steps;
        this.firstMatrixTime = this.scales[this.scales.length - 1] - 1;
        long firstValid = firstMatrixTime + (long) (steps - 1) * gap;
        if (firstValid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max(scales) - 1 + (steps - 1) * gap = " + firstValid
                    + " does not fit in an int (scales " + Arrays.toString(scales) + ", gap " + gap
                    + ", steps " + steps + ")");
        }
        this.firstValidTime = (int) firstValid;
    }

    /**
     * The configuration for a model input of about {@code inputLength} points (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) speaks of input lengths:
     * MSL teacher 800 and students 800/400/200/100, SMAP teacher 100 and students 100/50/25). MSCRED's defaults
     * (scales 10/30/60, gap 10, 5 steps) cover {@code (steps − 1)·gap + max ℓ = 100} points; an input of length L
     * scales them: gap {@code round(L/10)}, scales {@code round(L·{0.1, 0.3, 0.6})}, 5 steps, so that the
     * stacks of one input together span about L points ({@link #inputSpan()}) and L = 100 gives MSCRED exactly.
     * The compute per input is the same for every L (5 stacks of n×n matrices); a longer input sees further back.
     *
     * @param inputLength L, at least 10.
     * @return The configuration.
     * @throws IllegalArgumentException If L is below 10 (the three scales would collide).
     */
    public static SignatureMatrices forInputLength(int inputLength) {
        if (inputLength < 10) {
            throw new IllegalArgumentException("inputLength must be at least 10 (three distinct scales), found "
                    + inputLength);
        }
        int gap = Math.max(1, (int) Math.round(inputLength / 10.0));
        int s1 = Math.max(1, (int) Math.round(inputLength * 0.1));
        int s2 = Math.max(s1 + 1, (int) Math.round(inputLength * 0.3));
        int s3 = Math.max(s2 + 1, (int) Math.round(inputLength * 0.6));
        return new SignatureMatrices(new int[]{s1, s2, s3}, gap, DEFAULT_STEPS);
    }

    /**
     * The number of consecutive points one model input depends on: {@code (steps − 1)·gap + max ℓ}.
     * @return The span.
     */
    public int inputSpan() {
        return firstValidTime + 1;
    }

    /**
     * Validates scales (non-null, non-empty, positive, strictly increasing) and returns a copy.
     *
     * @param scales The scales.
     * @return A copy.
     */
    static int[] checkScales(int[] scales) {
        Objects.requireNonNull(scales, "scales must not be null");
        if (scales.length == 0) {
            throw new IllegalArgumentException("scales must hold at least one window length, found none");
        }
        int[] copy = scales.clone();
        for (int k = 0; k < copy.length; k++) {
            if (copy[k] < 1) {
                throw new IllegalArgumentException("scales must be positive window lengths, found scales["
                        + k + "] = " + copy[k] + " in " + Arrays.toString(copy));
            }
            if (k > 0 && copy[k] <= copy[k - 1]) {
                String what = copy[k] == copy[k - 1] ? "a duplicate" : "out of order";
                throw new IllegalArgumentException("scales must be strictly increasing (their order is the channel"
                        + " order of a stack), but scales[" + k + "] = " + copy[k] + " is " + what + " after scales["
                        + (k - 1) + "] = " + copy[k - 1] + " in " + Arrays.toString(copy));
            }
        }
        return copy;
    }

    /**
     * Returns the scales (window lengths ℓ of eq. 1), strictly increasing.
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
     * Returns scale {@code k}.
     *
     * @param k The scale index, in {@code [0, numScales())}.
     * @return The window length of channel {@code k}.
     * @throws IndexOutOfBoundsException If {@code k} is out of range.
     */
    public int scale(int k) {
        Objects.checkIndex(k, scales.length);
        return scales[k];
    }

    /**
     * Returns the largest scale, {@code max(scales)}.
     *
     * @return The largest window length.
     */
    public int maxScale() {
        return scales[scales.length - 1];
    }

    /**
     * Returns the number of time steps between two matrix times.
     *
     * @return The gap.
     */
    public int gap() {
        return gap;
    }

    /**
     * Returns the number of stacks in one model input.
     *
     * @return The steps.
     */
    public int steps() {
        return steps;
    }

    /**
     * Returns {@code max(scales) - 1}: the first time whose stack needs no zero padding, and the default
     * first matrix time of {@link #build(MultivariateSeries)} and {@link SignatureMatrixStream}.
     *
     * @return The first matrix time without padding.
     */
    public int firstMatrixTime() {
        return firstMatrixTime;
    }

    /**
     * Returns {@code max(scales) - 1 + (steps - 1) * gap}: the first time t whose whole model input
     * (the stacks at {@code t - (steps-1)·gap, ..., t}) needs no zero padding.
     *
     * @return The first valid input time.
     */
    public int firstValidTime() {
        return firstValidTime;
    }

    /**
     * Returns the number of floats in one stack over {@code numVariables} variables:
     * {@code scales · n · n}.
     *
     * @param numVariables The number of variables n, at least 1.
     * @return The stack size.
     * @throws IllegalArgumentException If {@code numVariables} is less than 1 or the size overflows an int.
     */
    public int stackSize(int numVariables) {
        return stackSize(scales.length, numVariables);
    }

    /**
     * Returns the number of floats in one model input over {@code numVariables} variables:
     * {@code steps · scales · n · n}.
     *
     * @param numVariables The number of variables n, at least 1.
     * @return The input size.
     * @throws IllegalArgumentException If {@code numVariables} is less than 1 or the size overflows an int.
     */
    public int inputSize(int numVariables) {
        long size = (long) steps * stackSize(numVariables);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a model input of " + steps + " stacks of " + stackSize(numVariables)
                    + " floats does not fit in one array");
        }
        return (int) size;
    }

    /**
     * {@code numScales · n · n}, checked.
     */
    static int stackSize(int numScales, int numVariables) {
        if (numVariables < 1) {
            throw new IllegalArgumentException("numVariables must be at least 1, found " + numVariables);
        }
        long size = (long) numScales * numVariables * numVariables;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a stack of " + numScales + " x " + numVariables + " x " + numVariables
                    + " floats does not fit in one array");
        }
        return (int) size;
    }

    /**
     * Returns the number of matrix times {@code firstTime, firstTime + gap, ...} inside a series of
     * {@code numSteps} steps: {@code floor((numSteps - 1 - firstTime) / gap) + 1}, or 0 when
     * {@code firstTime >= numSteps}.
     *
     * @param numSteps  The number of time steps of the series, at least 0.
     * @param firstTime The first matrix time, at least 0.
     * @return The number of matrix times.
     * @throws IllegalArgumentException If an argument is negative.
     */
    public int numMatrices(int numSteps, int firstTime) {
        if (numSteps < 0) {
            throw new IllegalArgumentException("numSteps must not be negative, found " + numSteps);
        }
        if (firstTime < 0) {
            throw new IllegalArgumentException("firstTime must not be negative, found " + firstTime);
        }
        if (firstTime >= numSteps) {
            return 0;
        }
        return (numSteps - 1 - firstTime) / gap + 1;
    }

    /**
     * Computes the stack {@code [scales, n, n]} at time {@code t} of a series, directly from eq. 1.
     *
     * @param series The series.
     * @param t      The time step, in {@code [0, series.numSteps())}; before {@code ℓ - 1} the missing
     *               values are zeros (see the class documentation).
     * @return A new array of {@link #stackSize(int)} floats.
     * @throws IndexOutOfBoundsException If {@code t} is outside the series.
     */
    public float[] compute(MultivariateSeries series, int t) {
        Objects.requireNonNull(series, "series must not be null");
        int n = series.numVariables();
        float[] dst = new float[stackSize(n)];
        compute(series.valuesView(), series.numSteps(), n, t, dst, 0);
        return dst;
    }

    /**
     * Computes the stack {@code [scales, n, n]} at time {@code t} of a series given as a raw row-major
     * array (time step {@code τ}, variable {@code v} at {@code τ * numVariables + v}), directly from eq. 1,
     * and writes it to {@code dst[dstOffset ...]}. Costs O(n² · max(scales)): the scales share their sums,
     * since the window of a smaller scale is the newest part of the window of a larger one.
     *
     * @param values       The values, row-major, of length {@code numSteps * numVariables}.
     * @param numSteps     The number of time steps, at least 1.
     * @param numVariables The number of variables n, at least 1.
     * @param t            The time step, in {@code [0, numSteps)}.
     * @param dst          The destination, with room for {@link #stackSize(int)} floats from {@code dstOffset}.
     * @param dstOffset    Where the stack starts in {@code dst}.
     * @throws IllegalArgumentException  If the sizes are inconsistent, {@code dst} is too short, or a value
     *                                   read is not finite (the message names its time step and variable).
     * @throws IndexOutOfBoundsException If {@code t} is outside the series.
     */
    public void compute(float[] values, int numSteps, int numVariables, int t, float[] dst, int dstOffset) {
        checkSeries(values, numSteps, numVariables);
        Objects.checkIndex(t, numSteps);
        checkDestination(dst, dstOffset, stackSize(numVariables), "stack");
        Scratch scratch = new Scratch(numVariables);
        computeStack(values, numVariables, t, scratch, dst, dstOffset);
    }

    /**
     * Builds every stack of a series on the default matrix grid {@code firstMatrixTime(), + gap, ...} on
     * one thread; see {@link #build(MultivariateSeries, int, int)}.
     *
     * @param series The series; it must have at least {@code max(scales)} time steps.
     * @return The stacks and their times.
     * @throws IllegalArgumentException If the series is shorter than {@code max(scales)}.
     */
    public SignatureMatrixSequence build(MultivariateSeries series) {
        return build(series, firstMatrixTime, 1);
    }

    /**
     * Builds the stacks of a series at the matrix times {@code t = firstTime, firstTime + gap, ...} up to the
     * last time step, as one row-major array {@code [count, scales, n, n]}. Stack {@code k} (time
     * {@code firstTime + k·gap}) is computed exactly as {@link #compute(MultivariateSeries, int)} computes
     * it, so the result is the same bits whatever the number of threads. The stacks are cut into
     * {@code numThreads} contiguous ranges, each computed on its own thread with its own scratch (n² + n
     * doubles and n floats); nothing is allocated per stack.
     * <p>
     * Memory: {@code count · scales · n² · 4} bytes, e.g. 36 KB per stack for the 55 variables of MSL with
     * three scales, 265 MB for all 7,373 stacks of its 73,729 test points at gap 10.
     *
     * @param series     The series.
     * @param firstTime  The first matrix time, in {@code [0, series.numSteps())}; times before
     *                   {@link #firstMatrixTime()} give zero-padded stacks.
     * @param numThreads The number of threads, at least 1 (1 computes on the caller's thread).
     * @return The stacks and their times.
     * @throws IllegalArgumentException If {@code firstTime} is outside the series, {@code numThreads} is
     *                                  less than 1, or the result does not fit in one array.
     */
    public SignatureMatrixSequence build(MultivariateSeries series, int firstTime, int numThreads) {
        Objects.requireNonNull(series, "series must not be null");
        if (numThreads < 1) {
            throw new IllegalArgumentException("numThreads must be at least 1, found " + numThreads);
        }
        if (firstTime < 0 || firstTime >= series.numSteps()) {
            throw new IllegalArgumentException("series '" + series.name() + "' has " + series.numSteps()
                    + " time steps, so the first matrix time must be in [0, " + series.numSteps() + "), found "
                    + firstTime + (firstTime == firstMatrixTime
                    ? " (max(scales) - 1: the series is shorter than the largest scale " + maxScale() + ")" : ""));
        }
        int n = series.numVariables();
        int count = numMatrices(series.numSteps(), firstTime);
        int stackSize = stackSize(n);
        long total = (long) count * stackSize;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("series '" + series.name() + "': " + count + " stacks of "
                    + stackSize + " floats do not fit in one array; build the matrices of time slices"
                    + " (MultivariateSeries.slice) separately");
        }
        float[] out = new float[(int) total];
        float[] values = series.valuesView();
        int threads = Math.min(numThreads, count);
        if (threads == 1) {
            computeRange(values, n, firstTime, 0, count, out);
        } else {
            List<Thread> workers = new ArrayList<>(threads - 1);
            Throwable[] failures = new Throwable[threads];
            for (int w = 1; w < threads; w++) {
                int from = (int) ((long) count * w / threads);
                int to = (int) ((long) count * (w + 1) / threads);
                int worker = w;
                Thread thread = new Thread(() -> {
                    try {
                        computeRange(values, n, firstTime, from, to, out);
                    } catch (Throwable e) {
                        failures[worker] = e;
                    }
                }, "tribuo-kd-signature-matrices-" + w);
                thread.setDaemon(true);
                thread.start();
                workers.add(thread);
            }
            try {
                computeRange(values, n, firstTime, 0, (int) ((long) count / threads), out);
            } finally {
                for (Thread thread : workers) {
                    try {
                        thread.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while building signature matrices of series '"
                                + series.name() + "'", e);
                    }
                }
            }
            for (Throwable failure : failures) {
                if (failure != null) {
                    throw new IllegalStateException("a thread building signature matrices of series '"
                            + series.name() + "' failed: " + failure, failure);
                }
            }
        }
        return new SignatureMatrixSequence(this, series.name(), series.numSteps(), n, firstTime, count, out);
    }

    /**
     * Computes stacks {@code [from, to)} of the grid starting at {@code firstTime} into {@code out}.
     */
    private void computeRange(float[] values, int n, int firstTime, int from, int to, float[] out) {
        Scratch scratch = new Scratch(n);
        int stackSize = scales.length * n * n;
        for (int k = from; k < to; k++) {
            computeStack(values, n, firstTime + k * gap, scratch, out, k * stackSize);
        }
    }

    /** Per-thread scratch of the direct computation. */
    private static final class Scratch {
        /** Upper triangle of Σ x xᵀ, n rows of n (entries with j &lt; i unused). */
        final double[][] sum;
        /** The current point in double precision, [n]. */
        final double[] point;
        /** One output row before rounding to float, [n]. */
        final double[] row;

        Scratch(int n) {
            this.sum = new double[n][n];
            this.point = new double[n];
            this.row = new double[n];
        }
    }

    /**
     * Eq. 1 for every scale at time t. The window of scale k is the newest ℓ_k points, so the sums are
     * built newest point first and scale k is emitted once the first ℓ_k points (or all available ones)
     * have been added.
     */
    private void computeStack(float[] values, int n, int t, Scratch scratch, float[] dst, int dstOffset) {
        double[][] sum = scratch.sum;
        double[] point = scratch.point;
        for (double[] row : sum) {
            Arrays.fill(row, 0.0);
        }
        int delta = 0; // points added so far: x_t, x_{t-1}, ..., x_{t-delta+1}
        for (int k = 0; k < scales.length; k++) {
            int scale = scales[k];
            int limit = Math.min(scale, t + 1); // zero padding: no points before time 0
            for (; delta < limit; delta++) {
                int tau = t - delta;
                int base = tau * n;
                for (int v = 0; v < n; v++) {
                    float x = values[base + v];
                    if (Float.isNaN(x) || Float.isInfinite(x)) {
                        throw new IllegalArgumentException("value at time step " + tau + ", variable " + v
                                + " (0-based) is " + x + "; signature matrices need finite values");
                    }
                    point[v] = x;
                }
                addOuterUpper(sum, point);
            }
            double inverse = 1.0 / scale;
            double[] out = scratch.row;
            for (int i = 0; i < n; i++) {
                double[] s = sum[i];
                for (int j = i; j < n; j++) {
                    out[j] = s[j] * inverse;
                }
                writeSymmetricRow(out, i, n, dst, dstOffset + k * n * n);
            }
        }
    }

    /**
     * {@code acc[i][j] += x_i · x_j} for {@code j >= i}: the upper triangle of a rank-1 update. The
     * accumulator is kept as one array per row so that the inner loop indexes both arrays by the same
     * {@code j}, which the JIT vectorises (an offset form such as {@code acc[i*n + j]} with {@code x[j]} is
     * not vectorised by JDK 17's C2 and runs about 2.5 times slower).
     *
     * @param acc The accumulator, n rows of (at least) n.
     * @param x   The vector, of length n = {@code acc.length}.
     */
    static void addOuterUpper(double[][] acc, double[] x) {
        int n = acc.length;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double[] row = acc[i];
            for (int j = i; j < n; j++) {
                row[j] += xi * x[j];
            }
        }
    }

    /**
     * Rounds the upper part {@code row[i .. n)} of row i of a symmetric n × n matrix to float and writes
     * it to row i of {@code dst[offset ...]} from column i on and, mirrored, to column i of the rows below.
     *
     * @param row    Row i of the matrix, entries {@code [i, n)} set.
     * @param i      The row.
     * @param n      The matrix size.
     * @param dst    The destination, [n, n] row-major from {@code offset}.
     * @param offset Where the matrix starts in {@code dst}.
     */
    static void writeSymmetricRow(double[] row, int i, int n, float[] dst, int offset) {
        int rowStart = offset + i * n;
        for (int j = i; j < n; j++) {
            float m = (float) row[j];
            dst[rowStart + j] = m;
            dst[offset + j * n + i] = m;
        }
    }

    private static void checkSeries(float[] values, int numSteps, int numVariables) {
        Objects.requireNonNull(values, "values must not be null");
        if (numSteps < 1) {
            throw new IllegalArgumentException("numSteps must be at least 1, found " + numSteps);
        }
        if (numVariables < 1) {
            throw new IllegalArgumentException("numVariables must be at least 1, found " + numVariables);
        }
        if (values.length != (long) numSteps * numVariables) {
            throw new IllegalArgumentException("expected " + numSteps + " x " + numVariables + " = "
                    + ((long) numSteps * numVariables) + " values, found " + values.length);
        }
    }

    /**
     * Checks that {@code dst[offset, offset + size)} exists.
     */
    static void checkDestination(float[] dst, int offset, int size, String what) {
        Objects.requireNonNull(dst, "dst must not be null");
        if (offset < 0 || (long) offset + size > dst.length) {
            throw new IllegalArgumentException("dst has length " + dst.length + ", too short for a " + what + " of "
                    + size + " floats at offset " + offset);
        }
    }

    /**
     * Two configurations are equal when their scales, gaps and steps are equal.
     *
     * @param o The object to compare with.
     * @return True if equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SignatureMatrices)) {
            return false;
        }
        SignatureMatrices other = (SignatureMatrices) o;
        return gap == other.gap && steps == other.steps && Arrays.equals(scales, other.scales);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scales) + gap) + steps;
    }

    /**
     * Returns a description of the configuration.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "SignatureMatrices(scales=" + Arrays.toString(scales) + ", gap=" + gap + ", steps=" + steps + ")";
    }
}
