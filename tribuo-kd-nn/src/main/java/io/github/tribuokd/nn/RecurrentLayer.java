package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.SplittableRandom;

/**
 * A recurrent layer run over whole sequences, with full backpropagation through time: {@link LSTMLayer},
 * {@link GRULayer}, {@link SimpleRNNLayer}, and {@link ConvLSTMLayer} (whose features are flattened NCHW maps).
 * <p>
 * <b>Layout: time-major.</b> Inputs are {@code x [steps, batch, inputSize()]} and outputs
 * {@code h [steps, batch, hiddenSize()]}, row-major: element (t, b, f) is at {@code (t·batch + b)·features + f}, so
 * time step t is the contiguous block starting at {@code t·batch·features} and one step's matrix product is one
 * {@link MatrixKernels#gemm} call. {@link SequenceOps} converts from and to the batch-major layout
 * {@code [batch, steps, features]} of a Tribuo window. States ({@link RecurrentState}) are {@code [batch, hidden]}.
 * <p>
 * Like a {@link Layer}, a recurrent layer owns no parameter memory: its parameters are the slice
 * {@code [offset, offset + numParameters())} of a caller's flat buffer, given by {@link #bind}, and gradients go to a
 * caller's buffer of the same layout. Everything a backward pass needs (a copy of the inputs, the gate activations,
 * every hidden and cell state) is kept in a per-thread {@link Cache}, sized once by {@link #newCache}; forward and
 * backward allocate nothing. A layer holds no per-call state, so several threads may share it, each with its own
 * cache.
 * <p>
 * Call order: {@link #forward}, then optionally {@link #copyFinalState} and/or {@link #backward} with the same
 * cache, batch and steps.
 */
public interface RecurrentLayer {

    /**
     * The number of input features per time step.
     * @return The input width.
     */
    int inputSize();

    /**
     * The hidden width H (the width of each output {@code h_t}).
     * @return The hidden size.
     */
    int hiddenSize();

    /**
     * Whether the layer carries a cell state {@code c} besides {@code h} (true for an LSTM).
     * @return True when states of this layer have a cell state.
     */
    boolean hasCellState();

    /**
     * The number of trainable parameters of this layer.
     * @return The parameter count.
     */
    int numParameters();

    /**
     * Binds this layer to its slice of a flat parameter buffer.
     * @param parameters The parameter buffer.
     * @param offset The first index of this layer's parameters.
     */
    void bind(float[] parameters, int offset);

    /**
     * Writes initial values into this layer's parameter slice.
     * @param rng The random source (consumed in a fixed order, so that a seed gives identical weights).
     */
    void initialise(SplittableRandom rng);

    /**
     * Allocates per-thread scratch memory for calls of up to {@code maxBatch} sequences of up to
     * {@code maxSteps} steps.
     * @param maxBatch The largest batch.
     * @param maxSteps The longest sequence.
     * @return A new cache.
     */
    Cache newCache(int maxBatch, int maxSteps);

    /**
     * A zero state of this layer's shape (with a cell state when {@link #hasCellState()}).
     * @param batch The number of sequences.
     * @return A new zero state.
     */
    default RecurrentState newState(int batch) {
        return new RecurrentState(batch, hiddenSize(), hasCellState());
    }

    /**
     * The forward pass over {@code steps} time steps, keeping in {@code cache} everything {@link #backward} needs.
     * @param x The inputs {@code [steps, batch, inputSize()]}, time-major; copied into the cache.
     * @param batch The number of sequences (at most the cache's {@link Cache#maxBatch()}).
     * @param steps The number of time steps (at most the cache's {@link Cache#maxSteps()}).
     * @param initial The state before the first step ({@code h_0}, and {@code c_0} for an LSTM), of this batch and
     *                layer's shape; {@code null} means zeros. Read before anything is written, so it may be the
     *                same object a previous {@link #copyFinalState} wrote into.
     * @param hOut Receives every output {@code h_t}, {@code [steps, batch, hiddenSize()]}, time-major; may be
     *             {@code null} when only the final state is needed.
     * @param cache Scratch memory from {@link #newCache} of this layer (or of one with the same sizes).
     * @throws IllegalArgumentException If batch or steps exceed the cache, or a state has the wrong shape.
     */
    void forward(float[] x, int batch, int steps, RecurrentState initial, float[] hOut, Cache cache);

    /**
     * Copies the state after the last step of the last {@link #forward} on {@code cache} ({@code h_T}, and
     * {@code c_T} for an LSTM) into {@code dst}: to carry state into the next call, pass {@code dst} as that call's
     * initial state.
     * @param cache The cache of the forward call.
     * @param batch The batch of the forward call.
     * @param dst Receives the final state; of this layer's shape and this batch.
     */
    void copyFinalState(Cache cache, int batch, RecurrentState dst);

    /**
     * The state after the last step of the last {@link #forward} on {@code cache}, as a new object (allocates; see
     * {@link #copyFinalState} for the allocation-free form).
     * @param cache The cache of the forward call.
     * @param batch The batch of the forward call.
     * @return A new state holding {@code h_T} (and {@code c_T}).
     */
    default RecurrentState finalState(Cache cache, int batch) {
        RecurrentState s = newState(batch);
        copyFinalState(cache, batch, s);
        return s;
    }

    /**
     * Backpropagation through time for the last {@link #forward} on {@code cache}.
     * @param dH dLoss/dh_t for every output, {@code [steps, batch, hiddenSize()]}, time-major; {@code null} means
     *           zeros (a loss on the final state only).
     * @param dFinal dLoss/d(final state) ({@code dh_T}, and {@code dc_T} for an LSTM), added to what flows back
     *               from {@code dH}; {@code null} means zeros.
     * @param batch The batch of the forward call.
     * @param steps The steps of the forward call.
     * @param cache The cache of the forward call (its gradient scratch is overwritten; the forward results are
     *              kept, so backward may run again and {@link #copyFinalState} still works).
     * @param dX Receives dLoss/dx, {@code [steps, batch, inputSize()]}, overwritten; may be {@code null}.
     * @param gradients A buffer with the layout of the parameter buffer; this layer ADDS its parameter gradients
     *                  into its slice.
     * @param dInitial Receives dLoss/d(initial state) ({@code dh_0}, and {@code dc_0} for an LSTM), overwritten; may
     *                 be {@code null}.
     * @throws IllegalArgumentException If batch or steps differ from the forward call's, or a state has the wrong
     *                                  shape.
     * @throws IllegalStateException If no forward pass has run on this cache.
     */
    void backward(float[] dH, RecurrentState dFinal, int batch, int steps, Cache cache, float[] dX,
                  float[] gradients, RecurrentState dInitial);

    /**
     * Per-thread scratch memory of a recurrent layer, sized for up to {@link #maxBatch()} sequences of up to
     * {@link #maxSteps()} steps. Each layer keeps its own kind; create one with {@link RecurrentLayer#newCache}.
     * <p>
     * Every cache holds the hidden states {@code h [(maxSteps + 1), maxBatch, H]} of the last forward pass, time-major
     * with the initial state as block 0 (block t + 1 is the output of step t), and, for an LSTM, the cell states in
     * the same layout.
     */
    abstract class Cache {
        private final int inputSize;
        private final int hiddenSize;
        private final int maxBatch;
        private final int maxSteps;
        /** Hidden states {@code [steps + 1, batch, H]}: block 0 is h_0, block t + 1 is the output of step t. */
        final float[] h;
        /** Cell states in the layout of {@link #h}, or null for layers without one. */
        final float[] c;
        /** Batch of the last forward pass (0 before the first). */
        int batch;
        /** Steps of the last forward pass (0 before the first). */
        int steps;

        Cache(int inputSize, int hiddenSize, int maxBatch, int maxSteps, boolean withCell) {
            if (maxBatch < 1 || maxSteps < 1) {
                throw new IllegalArgumentException("A recurrent cache needs a positive maxBatch and maxSteps, found "
                        + maxBatch + " and " + maxSteps);
            }
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
            this.maxBatch = maxBatch;
            this.maxSteps = maxSteps;
            int stateSize = Math.multiplyExact(Math.multiplyExact(maxSteps + 1, maxBatch), hiddenSize);
            this.h = new float[stateSize];
            this.c = withCell ? new float[stateSize] : null;
        }

        /**
         * The largest batch this cache serves.
         * @return The batch capacity.
         */
        public int maxBatch() {
            return maxBatch;
        }

        /**
         * The longest sequence this cache serves.
         * @return The step capacity.
         */
        public int maxSteps() {
            return maxSteps;
        }

        /** Throws unless this cache fits a layer of these sizes. */
        void checkOwner(int layerInput, int layerHidden, String layerName) {
            if (inputSize != layerInput || hiddenSize != layerHidden) {
                throw new IllegalArgumentException("This cache was made for a layer of input " + inputSize
                        + " and hidden " + hiddenSize + ", not for a " + layerName + " of input " + layerInput
                        + " and hidden " + layerHidden);
            }
        }

        /** Validates a forward call's sizes and initial state, records the sizes and loads the initial state. */
        void beginForward(float[] x, int batch, int steps, RecurrentState initial, float[] hOut) {
            if (batch < 1 || steps < 1) {
                throw new IllegalArgumentException("batch and steps must be positive, found batch " + batch
                        + ", steps " + steps);
            }
            if (batch > maxBatch || steps > maxSteps) {
                throw new IllegalArgumentException("A call with batch " + batch + " and " + steps + " steps does not "
                        + "fit a recurrent cache of maxBatch " + maxBatch + " and maxSteps " + maxSteps
                        + "; make the cache with newCache(" + Math.max(batch, maxBatch) + ", "
                        + Math.max(steps, maxSteps) + ")");
            }
            int n = steps * batch;
            if (x.length < n * inputSize) {
                throw new IllegalArgumentException("x must hold [steps, batch, input] = [" + steps + ", " + batch
                        + ", " + inputSize + "] floats, found length " + x.length);
            }
            if (hOut != null && hOut.length < n * hiddenSize) {
                throw new IllegalArgumentException("hOut must hold [steps, batch, hidden] = [" + steps + ", " + batch
                        + ", " + hiddenSize + "] floats, found length " + hOut.length);
            }
            if (initial != null) {
                initial.checkShape(batch, hiddenSize, c != null, "The initial state");
            }
            this.batch = batch;
            this.steps = steps;
            loadInitial(initial);
        }

        /** Validates that a backward (or final-state) call matches the last forward call. */
        void checkAfterForward(int batch, int steps) {
            if (this.steps == 0) {
                throw new IllegalStateException("No forward pass has run on this cache");
            }
            if (batch != this.batch || steps != this.steps) {
                throw new IllegalArgumentException("The last forward pass on this cache had batch " + this.batch
                        + " and " + this.steps + " steps, not batch " + batch + " and " + steps + " steps");
            }
        }

        /** Validates the optional arrays of a backward call. */
        void checkBackwardArrays(float[] dH, float[] dX) {
            int n = steps * batch;
            if (dH != null && dH.length < n * hiddenSize) {
                throw new IllegalArgumentException("dH must hold [steps, batch, hidden] = [" + steps + ", " + batch
                        + ", " + hiddenSize + "] floats, found length " + dH.length);
            }
            if (dX != null && dX.length < n * inputSize) {
                throw new IllegalArgumentException("dX must hold [steps, batch, input] = [" + steps + ", " + batch
                        + ", " + inputSize + "] floats, found length " + dX.length);
            }
        }

        /** Writes the initial state (or zeros) into block 0 of h (and c). */
        private void loadInitial(RecurrentState initial) {
            int n = batch * hiddenSize;
            if (initial == null) {
                java.util.Arrays.fill(h, 0, n, 0f);
                if (c != null) {
                    java.util.Arrays.fill(c, 0, n, 0f);
                }
            } else {
                System.arraycopy(initial.h(), 0, h, 0, n);
                if (c != null) {
                    System.arraycopy(initial.c(), 0, c, 0, n);
                }
            }
        }

        /** Copies block {@code steps} of h (and c) into dst. */
        void copyFinal(int batch, RecurrentState dst) {
            checkAfterForward(batch, steps);
            dst.checkShape(batch, hiddenSize, c != null, "The destination state");
            int n = batch * hiddenSize;
            System.arraycopy(h, steps * n, dst.h(), 0, n);
            if (c != null) {
                System.arraycopy(c, steps * n, dst.c(), 0, n);
            }
        }
    }
}
