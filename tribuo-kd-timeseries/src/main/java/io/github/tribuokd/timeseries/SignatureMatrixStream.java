package io.github.tribuokd.timeseries;

import java.util.Arrays;
import java.util.Objects;

/**
 * MSCRED model inputs over a stream (Zhang et al., AAAI 2019; eq. 1 of seed paper 002): an
 * {@link IncrementalSignatureMatrix} plus a ring of the last {@code steps} stacks at the matrix times, so
 * that whenever a matrix time is reached the input {@code [steps, scales, n, n]} (the stacks at
 * {@code t - (steps-1)·gap, ..., t - gap, t}, oldest first) is available without recomputing anything.
 * Mutable, not thread-safe.
 * <p>
 * <b>Times.</b> The first point pushed is time 0. The matrix times are {@code t0, t0 + gap, t0 + 2·gap, ...}
 * with {@code t0} given at construction (default {@link SignatureMatrices#firstMatrixTime()}
 * {@code = max(scales) - 1}), the same grid as {@link SignatureMatrices#build(MultivariateSeries, int, int)}
 * with that first time: pushing the rows of a series yields, at each matrix time, the input that the
 * batch's {@link SignatureMatrixSequence} holds for that time (up to the rounding of the incremental
 * computation, about one float ulp). The first input is complete at time {@code t0 + (steps-1)·gap}, which
 * is {@link SignatureMatrices#firstValidTime()} for the default {@code t0}.
 * <p>
 * <b>Cost.</b> A push costs what {@link IncrementalSignatureMatrix#push(float[], int)} costs (O(n²) per
 * scale), plus, at a matrix time, writing one stack (O(n² · scales)) into the ring. Handing out an input is
 * a copy of {@code steps · scales · n²} floats.
 * <p>
 * <b>Memory</b> is fixed at construction (see {@link #stateBytes()}): the incremental state plus
 * {@code steps · scales · n²} floats of stacks.
 */
public final class SignatureMatrixStream {

    private final SignatureMatrices config;
    private final int numVariables;
    private final long firstMatrixTime;
    private final int stackSize;
    private final IncrementalSignatureMatrix matrices;
    /** The last {@code steps} stacks, [steps, scales, n, n]; matrix number m in slot {@code m % steps}. */
    private final float[] stacks;
    /** The slot of the next stack, in [0, steps). */
    private int nextSlot;
    /** The number of stacks stored since construction or the last reset. */
    private long numStacks;
    /** The next matrix time. */
    private long nextMatrixTime;

    /**
     * Creates a stream whose matrix times start at {@link SignatureMatrices#firstMatrixTime()}.
     *
     * @param config       The scales, gap and steps.
     * @param numVariables The number of variables n, at least 1.
     * @throws IllegalArgumentException If {@code numVariables} is less than 1 or the state is too large.
     */
    public SignatureMatrixStream(SignatureMatrices config, int numVariables) {
        this(config, numVariables, Objects.requireNonNull(config, "config must not be null").firstMatrixTime());
    }

    /**
     * Creates a stream whose matrix times are {@code firstMatrixTime + k·gap}, {@code k = 0, 1, ...}.
     *
     * @param config          The scales, gap and steps.
     * @param numVariables    The number of variables n, at least 1.
     * @param firstMatrixTime The first matrix time, at least 0; times before {@code max(scales) - 1} give
     *                        zero-padded stacks.
     * @throws IllegalArgumentException If an argument is out of range or the state is too large.
     */
    public SignatureMatrixStream(SignatureMatrices config, int numVariables, long firstMatrixTime) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        if (firstMatrixTime < 0) {
            throw new IllegalArgumentException("firstMatrixTime must not be negative, found " + firstMatrixTime);
        }
        this.numVariables = numVariables;
        this.firstMatrixTime = firstMatrixTime;
        this.stackSize = config.stackSize(numVariables);
        this.stacks = new float[config.inputSize(numVariables)];
        this.matrices = new IncrementalSignatureMatrix(config, numVariables);
        this.nextMatrixTime = firstMatrixTime;
    }

    /**
     * Copy constructor: an independent deep copy of the state.
     */
    private SignatureMatrixStream(SignatureMatrixStream other) {
        this.config = other.config;
        this.numVariables = other.numVariables;
        this.firstMatrixTime = other.firstMatrixTime;
        this.stackSize = other.stackSize;
        this.matrices = other.matrices.copy();
        this.stacks = other.stacks.clone();
        this.nextSlot = other.nextSlot;
        this.numStacks = other.numStacks;
        this.nextMatrixTime = other.nextMatrixTime;
    }

    /**
     * Returns the configuration.
     *
     * @return The scales, gap and steps.
     */
    public SignatureMatrices config() {
        return config;
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
     * Returns the first matrix time.
     *
     * @return The first matrix time.
     */
    public long firstMatrixTime() {
        return firstMatrixTime;
    }

    /**
     * Returns the time of the first complete input, {@code firstMatrixTime() + (steps - 1) * gap}.
     *
     * @return The first input time.
     */
    public long firstInputTime() {
        return firstMatrixTime + (long) (config.steps() - 1) * config.gap();
    }

    /**
     * Returns the time of the latest point, -1 before the first push.
     *
     * @return The latest time.
     */
    public long time() {
        return matrices.time();
    }

    /**
     * Returns the number of floats of one input, {@code steps · scales · n²}.
     *
     * @return The input size.
     */
    public int inputSize() {
        return stacks.length;
    }

    /**
     * Pushes the next point; see {@link #push(float[], int)}.
     *
     * @param x The point, {@code numVariables()} finite values.
     * @return True when this point is a matrix time at which a complete input is available.
     * @throws IllegalArgumentException If {@code x} has the wrong length or a value is not finite (the message
     *                                  names the point's index); the state is then unchanged.
     */
    public boolean push(float[] x) {
        Objects.requireNonNull(x, "point must not be null");
        if (x.length != numVariables) {
            throw new IllegalArgumentException("point " + matrices.numPushed() + " (0-based, counted from the first"
                    + " push or the last reset) has " + x.length + " values, expected " + numVariables);
        }
        return push(x, 0);
    }

    /**
     * Pushes the next point, the {@code numVariables()} values from {@code values[offset]}. At a matrix time
     * the stack of this point is stored in the ring, replacing the oldest.
     *
     * @param values The array holding the point.
     * @param offset Where the point starts.
     * @return True when this point is a matrix time at which a complete input is available, i.e. at the
     * matrix times from {@link #firstInputTime()} on; {@link #input(float[], int)} then returns the input
     * ending at this point.
     * @throws IllegalArgumentException If the array is too short or a value is not finite (the message names
     *                                  the point's index); the state is then unchanged.
     */
    public boolean push(float[] values, int offset) {
        matrices.push(values, offset);
        if (matrices.time() != nextMatrixTime) {
            return false;
        }
        matrices.current(stacks, nextSlot * stackSize);
        nextSlot = nextSlot + 1 == config.steps() ? 0 : nextSlot + 1;
        numStacks++;
        nextMatrixTime += config.gap();
        return numStacks >= config.steps();
    }

    /**
     * Returns whether a complete input is available (at least {@code steps} stacks have been stored).
     *
     * @return True from time {@link #firstInputTime()} on.
     */
    public boolean hasInput() {
        return numStacks >= config.steps();
    }

    /**
     * Returns the time at which the available input ends: the latest matrix time reached.
     *
     * @return The input time.
     * @throws IllegalStateException If no complete input is available yet.
     */
    public long inputTime() {
        requireInput();
        return nextMatrixTime - config.gap();
    }

    /**
     * Returns the latest complete input; see {@link #input(float[], int)}.
     *
     * @return A new array of {@link #inputSize()} floats.
     * @throws IllegalStateException If no complete input is available yet.
     */
    public float[] input() {
        requireInput();
        float[] dst = new float[stacks.length];
        input(dst, 0);
        return dst;
    }

    /**
     * Writes the latest complete input {@code [steps, scales, n, n]}, the stacks at
     * {@code inputTime() - (steps-1)·gap, ..., inputTime()} oldest first, to {@code dst[offset ...]}. Between
     * matrix times this is still the input of the latest matrix time. Two array copies, no allocation.
     *
     * @param dst    The destination, with room for {@link #inputSize()} floats from {@code offset}.
     * @param offset Where the input starts in {@code dst}.
     * @throws IllegalStateException    If no complete input is available yet.
     * @throws IllegalArgumentException If {@code dst} is too short.
     */
    public void input(float[] dst, int offset) {
        requireInput();
        SignatureMatrices.checkDestination(dst, offset, stacks.length, "model input");
        // Once the ring is full, the oldest stack is in the slot written next.
        int oldest = nextSlot * stackSize;
        int firstPart = stacks.length - oldest;
        System.arraycopy(stacks, oldest, dst, offset, firstPart);
        System.arraycopy(stacks, 0, dst, offset + firstPart, oldest);
    }

    private void requireInput() {
        if (numStacks < config.steps()) {
            throw new IllegalStateException("no complete input yet: " + numStacks + " of " + config.steps()
                    + " stacks stored after " + matrices.numPushed() + " points; the first input ends at time "
                    + firstInputTime());
        }
    }

    /**
     * Returns the bytes held by the state's arrays: the incremental state
     * ({@link IncrementalSignatureMatrix#stateBytes()}) plus the ring of {@code steps} stacks. Fixed at
     * construction.
     *
     * @return The state size in bytes (array payloads only).
     */
    public long stateBytes() {
        return matrices.stateBytes() + (long) stacks.length * Float.BYTES;
    }

    /**
     * Forgets every point: the next push is time 0 again, and the matrix times start again at
     * {@link #firstMatrixTime()}.
     */
    public void reset() {
        matrices.reset();
        Arrays.fill(stacks, 0f);
        nextSlot = 0;
        numStacks = 0;
        nextMatrixTime = firstMatrixTime;
    }

    /**
     * Returns an independent copy of the state (a snapshot).
     *
     * @return The copy.
     */
    public SignatureMatrixStream copy() {
        return new SignatureMatrixStream(this);
    }

    /**
     * Returns a short description.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "SignatureMatrixStream(" + config + ", numVariables=" + numVariables + ", firstMatrixTime="
                + firstMatrixTime + ", time=" + time() + ", stacks=" + numStacks + ")";
    }
}
