package io.github.tribuokd.timeseries;

import java.util.Objects;

/**
 * The signature-matrix stacks of a whole series at the matrix times {@code t_k = firstTime() + k·gap},
 * built by {@link SignatureMatrices#build(MultivariateSeries, int, int)} (MSCRED, Zhang et al. AAAI 2019;
 * eq. 1 of seed paper 002). Immutable.
 * <p>
 * Layout: one row-major float array {@code [count, scales, n, n]}; stack {@code k} starts at
 * {@code k * stackSize()} and element {@code (k, s, i, j)} is at {@code ((k * scales + s) * n + i) * n + j}.
 * <p>
 * <b>Model inputs.</b> The MSCRED input ending at matrix {@code k} is the stacks {@code k - steps + 1 ... k}
 * ({@code [steps, scales, n, n]}, oldest first). Because consecutive stacks are stored consecutively, input
 * {@code i} (ending at matrix {@code i + steps - 1}) is the contiguous block of {@link #inputSize()} floats
 * from {@link #inputOffset(int)} in {@link #valuesView()}: models can read it without a copy. There are
 * {@link #numInputs()} = {@code count - steps + 1} inputs (none when {@code count < steps}); input {@code i}
 * ends at time {@link #inputTime(int)} {@code = firstTime() + (i + steps - 1)·gap}.
 * <p>
 * <b>Scores back to points.</b> {@link #pointScores(double[])} maps one score per input to one score per
 * time step of the series with the rule of {@link PointScores}: each point takes the score of the latest
 * input ending at or before it; the points before the first input take the first input's score.
 */
public final class SignatureMatrixSequence {

    private final SignatureMatrices config;
    private final String seriesName;
    private final int seriesLength;
    private final int numVariables;
    private final int firstTime;
    private final int count;
    private final int stackSize;
    /** [count, scales, n, n], row-major. */
    private final float[] values;

    /**
     * Takes ownership of {@code values}; called by {@link SignatureMatrices#build}.
     */
    SignatureMatrixSequence(SignatureMatrices config, String seriesName, int seriesLength, int numVariables,
                            int firstTime, int count, float[] values) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.seriesName = Objects.requireNonNull(seriesName, "seriesName must not be null");
        this.seriesLength = seriesLength;
        this.numVariables = numVariables;
        this.firstTime = firstTime;
        this.count = count;
        this.stackSize = config.stackSize(numVariables);
        if (values.length != (long) count * stackSize) {
            throw new IllegalArgumentException("expected " + count + " x " + stackSize + " values, found "
                    + values.length);
        }
        this.values = values;
    }

    /**
     * Returns the configuration (scales, gap, steps) the stacks were built with.
     *
     * @return The configuration.
     */
    public SignatureMatrices config() {
        return config;
    }

    /**
     * Returns the name of the series the stacks were built from.
     *
     * @return The series name.
     */
    public String seriesName() {
        return seriesName;
    }

    /**
     * Returns the number of time steps of the series the stacks were built from.
     *
     * @return The series length.
     */
    public int seriesLength() {
        return seriesLength;
    }

    /**
     * Returns the number of variables n of the series (the matrices are n × n).
     *
     * @return The number of variables.
     */
    public int numVariables() {
        return numVariables;
    }

    /**
     * Returns the number of stacks (matrix times).
     *
     * @return The number of stacks.
     */
    public int count() {
        return count;
    }

    /**
     * Returns the time of the first stack.
     *
     * @return The first matrix time.
     */
    public int firstTime() {
        return firstTime;
    }

    /**
     * Returns the time of stack {@code k}: {@code firstTime() + k * gap}.
     *
     * @param k The stack index, in {@code [0, count())}.
     * @return The matrix time.
     * @throws IndexOutOfBoundsException If {@code k} is out of range.
     */
    public int time(int k) {
        Objects.checkIndex(k, count);
        return firstTime + k * config.gap();
    }

    /**
     * Returns the times of all stacks, in order.
     *
     * @return A fresh array of {@link #count()} times.
     */
    public int[] times() {
        int[] times = new int[count];
        for (int k = 0; k < count; k++) {
            times[k] = firstTime + k * config.gap();
        }
        return times;
    }

    /**
     * Returns the number of floats in one stack, {@code scales · n · n}.
     *
     * @return The stack size.
     */
    public int stackSize() {
        return stackSize;
    }

    /**
     * Copies stack {@code k} ({@code [scales, n, n]}) into {@code dst[dstOffset ...]}.
     *
     * @param k         The stack index, in {@code [0, count())}.
     * @param dst       The destination, or {@code null} to allocate one of {@link #stackSize()} floats.
     * @param dstOffset Where to write in {@code dst} (0 when {@code dst} is null).
     * @return {@code dst}, or the new array.
     * @throws IndexOutOfBoundsException If {@code k} is out of range.
     * @throws IllegalArgumentException  If {@code dst} is too short.
     */
    public float[] stack(int k, float[] dst, int dstOffset) {
        Objects.checkIndex(k, count);
        return copyBlock(k * stackSize, stackSize, dst, dstOffset, "stack");
    }

    /**
     * Returns the number of model inputs: {@code count() - steps + 1}, or 0 when {@code count() < steps}.
     *
     * @return The number of inputs.
     */
    public int numInputs() {
        return Math.max(0, count - config.steps() + 1);
    }

    /**
     * Returns the number of floats in one model input, {@code steps · scales · n · n}.
     *
     * @return The input size.
     */
    public int inputSize() {
        return config.steps() * stackSize;
    }

    /**
     * Returns the time at which input {@code i} ends (the time of its newest stack):
     * {@code firstTime() + (i + steps - 1) * gap}.
     *
     * @param i The input index, in {@code [0, numInputs())}.
     * @return The time of the input.
     * @throws IndexOutOfBoundsException If {@code i} is out of range.
     */
    public int inputTime(int i) {
        Objects.checkIndex(i, numInputs());
        return firstTime + (i + config.steps() - 1) * config.gap();
    }

    /**
     * Returns where input {@code i} starts in {@link #valuesView()}: it is the contiguous block
     * {@code [inputOffset(i), inputOffset(i) + inputSize())}, the stacks {@code i ... i + steps - 1}.
     *
     * @param i The input index, in {@code [0, numInputs())}.
     * @return The offset, {@code i * stackSize()}.
     * @throws IndexOutOfBoundsException If {@code i} is out of range.
     */
    public int inputOffset(int i) {
        Objects.checkIndex(i, numInputs());
        return i * stackSize;
    }

    /**
     * Copies input {@code i} ({@code [steps, scales, n, n]}, oldest stack first) into {@code dst[dstOffset ...]}.
     *
     * @param i         The input index, in {@code [0, numInputs())}.
     * @param dst       The destination, or {@code null} to allocate one of {@link #inputSize()} floats.
     * @param dstOffset Where to write in {@code dst} (0 when {@code dst} is null).
     * @return {@code dst}, or the new array.
     * @throws IndexOutOfBoundsException If {@code i} is out of range.
     * @throws IllegalArgumentException  If {@code dst} is too short.
     */
    public float[] input(int i, float[] dst, int dstOffset) {
        return copyBlock(inputOffset(i), inputSize(), dst, dstOffset, "model input");
    }

    private float[] copyBlock(int from, int size, float[] dst, int dstOffset, String what) {
        if (dst == null) {
            dst = new float[size];
            dstOffset = 0;
        } else {
            SignatureMatrices.checkDestination(dst, dstOffset, size, what);
        }
        System.arraycopy(values, from, dst, dstOffset, size);
        return dst;
    }

    /**
     * Returns the backing array {@code [count, scales, n, n]} without copying.
     * <p>
     * <b>Read-only:</b> this exists so that models can read inputs in place (see {@link #inputOffset(int)});
     * writing to it breaks the immutability of this sequence. Use {@link #copyValues()} for a mutable copy.
     *
     * @return The backing array; must not be modified.
     */
    public float[] valuesView() {
        return values;
    }

    /**
     * Returns a copy of all stacks, {@code [count, scales, n, n]}.
     *
     * @return A fresh copy.
     */
    public float[] copyValues() {
        return values.clone();
    }

    /**
     * Maps one score per model input to one score per time step of the series
     * ({@link PointScores#fromGridScores(double[], int, int, int)} with the input times as the grid): point
     * {@code t} gets the score of the latest input ending at or before {@code t}; the points before
     * {@code inputTime(0)} get {@code inputScores[0]}; the points after the last input time get the last
     * score.
     *
     * @param inputScores One score per input, {@link #numInputs()} of them, in input order.
     * @return A new array of {@link #seriesLength()} point scores.
     * @throws IllegalArgumentException If there are no inputs or the number of scores is wrong.
     */
    public double[] pointScores(double[] inputScores) {
        Objects.requireNonNull(inputScores, "inputScores must not be null");
        if (numInputs() == 0) {
            throw new IllegalArgumentException("series '" + seriesName + "' has " + count + " stacks, fewer than the "
                    + config.steps() + " steps of one input, so there are no inputs to map scores from");
        }
        if (inputScores.length != numInputs()) {
            throw new IllegalArgumentException("series '" + seriesName + "': expected " + numInputs()
                    + " input scores (one per input), found " + inputScores.length);
        }
        return PointScores.fromGridScores(inputScores, inputTime(0), config.gap(), seriesLength);
    }

    /**
     * Returns a short description: series, shape and times (not the values).
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "SignatureMatrixSequence(series=" + seriesName + ", " + config + ", numVariables=" + numVariables
                + ", count=" + count + ", times=" + firstTime + ".." + (count == 0 ? firstTime : time(count - 1))
                + ", inputs=" + numInputs() + ")";
    }
}
