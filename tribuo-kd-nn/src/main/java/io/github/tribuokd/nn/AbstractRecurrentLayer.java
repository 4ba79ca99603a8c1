package io.github.tribuokd.nn;

import java.util.Arrays;

/**
 * What every {@link RecurrentLayer} of this package does the same way, so that each cell's file holds only its own
 * equations: the sizes and the binding to a slice of the flat parameter buffer, the check that a cache is this
 * layer's kind, and the frame of a forward and a backward call through time — argument and shape checks, loading
 * the initial state (or zeros) into block 0 of the cache's states, copying the outputs out, loading
 * {@code dLoss/d(final state)} (or zeros) into the running state gradient before the reverse time loop and copying
 * {@code dLoss/d(initial state)} out after it.
 * <p>
 * A cell implements {@link #forwardSteps} (the time loop: every h_t, and c_t for a cell with one, into blocks
 * 1..T of {@link RecurrentLayer.Cache}'s states, block 0 already holding the initial state) and
 * {@link #backwardSteps} (the reverse time loop and the parameter gradients, starting from {@link StepCache#dhNext}
 * and {@link StepCache#dcNext} holding {@code dLoss/dh_T} and {@code dLoss/dc_T}, and leaving there
 * {@code dLoss/dh_0} and {@code dLoss/dc_0}). The frame only moves whole arrays, so the cells' floating-point
 * arithmetic is what it was when each layer carried its own copy of the frame.
 * <p>
 * Layout and cache conventions: see {@link RecurrentLayer}. {@link DenseRecurrentLayer} adds what the matrix cells
 * (LSTM, GRU, simple RNN) share; {@link ConvLSTMLayer} extends this class directly.
 * @param <C> The layer's own cache type.
 */
abstract class AbstractRecurrentLayer<C extends AbstractRecurrentLayer.StepCache> implements RecurrentLayer {

    private final String kind;
    private final String name;
    private final Class<C> cacheType;
    private final int inputSize;
    private final int hiddenSize;
    private final boolean withCell;
    private float[] params;
    private int offset;

    /**
     * Records the sizes; the subclass checks them (a recurrent layer's sizes are products of its own dimensions).
     * @param kind The kind of layer with its article, for messages ("An LSTM").
     * @param name The class name with its article, for messages ("An LSTMLayer").
     * @param cacheType The class of this layer's cache.
     * @param inputSize The input width per step.
     * @param hiddenSize The hidden width per step.
     * @param withCell Whether the layer carries a cell state.
     */
    AbstractRecurrentLayer(String kind, String name, Class<C> cacheType, int inputSize, int hiddenSize,
                           boolean withCell) {
        this.kind = kind;
        this.name = name;
        this.cacheType = cacheType;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.withCell = withCell;
    }

    /**
     * The number of input features per time step.
     * @return The input width.
     */
    @Override
    public final int inputSize() {
        return inputSize;
    }

    /**
     * The hidden width (the width of each output {@code h_t}).
     * @return The hidden size.
     */
    @Override
    public final int hiddenSize() {
        return hiddenSize;
    }

    /**
     * Whether the layer carries a cell state {@code c} besides {@code h}.
     * @return True for the LSTMs.
     */
    @Override
    public final boolean hasCellState() {
        return withCell;
    }

    /**
     * Binds this layer to its slice {@code [offset, offset + numParameters())} of a flat parameter buffer.
     * @param parameters The parameter buffer.
     * @param offset The first index of this layer's parameters.
     * @throws IllegalArgumentException If the slice does not fit in the buffer.
     */
    @Override
    public void bind(float[] parameters, int offset) {
        if (offset < 0 || parameters.length - offset < numParameters()) {
            throw new IllegalArgumentException(kind + " of " + numParameters() + " parameters does not fit at offset "
                    + offset + " of a buffer of length " + parameters.length);
        }
        this.params = parameters;
        this.offset = offset;
    }

    /** The bound parameter buffer (null before {@link #bind}). */
    final float[] boundParameters() {
        return params;
    }

    /** The first index of this layer's slice of the bound buffer. */
    final int boundOffset() {
        return offset;
    }

    /** This layer's cache, or an exception naming what was passed instead. */
    final C cast(Cache cache) {
        if (!cacheType.isInstance(cache)) {
            String simpleName = getClass().getSimpleName();
            throw new IllegalArgumentException(name + " needs a cache from " + simpleName + ".newCache, found "
                    + (cache == null ? "null" : cache.getClass().getName()));
        }
        cache.checkOwner(inputSize, hiddenSize, getClass().getSimpleName());
        return cacheType.cast(cache);
    }

    /**
     * The forward pass: checks the call, loads the initial state into block 0 of the cache's states, runs
     * {@link #forwardSteps} and copies {@code h_1..h_T} to {@code hOut}. See {@link RecurrentLayer#forward}.
     * @param x The inputs {@code [steps, batch, inputSize()]}, time-major.
     * @param batch The number of sequences.
     * @param steps The number of time steps.
     * @param initial The state before the first step, or {@code null} for zeros.
     * @param hOut Receives every output {@code [steps, batch, hiddenSize()]}, or {@code null}.
     * @param cache Scratch memory from {@link #newCache} of this layer.
     */
    @Override
    public final void forward(float[] x, int batch, int steps, RecurrentState initial, float[] hOut, Cache cache) {
        final C k = cast(cache);
        k.beginForward(x, batch, steps, initial, hOut);
        forwardSteps(x, batch, steps, k);
        if (hOut != null) {
            // hOut [T, B, H] = blocks 1..T of k.h
            System.arraycopy(k.h, batch * hiddenSize, hOut, 0, steps * batch * hiddenSize);
        }
    }

    /**
     * The cell's time loop, after the frame has checked the call and loaded {@code h_0} (and {@code c_0}) into
     * block 0 of {@code k.h} (and {@code k.c}): writes {@code h_t} (and {@code c_t}) into block t, and keeps what the
     * backward pass needs in the cache.
     * @param x The inputs {@code [steps, batch, inputSize()]}, time-major (checked, not yet copied).
     * @param batch The number of sequences.
     * @param steps The number of time steps.
     * @param k The cache.
     */
    abstract void forwardSteps(float[] x, int batch, int steps, C k);

    /**
     * Copies the final state of the last forward pass on the cache into {@code dst}.
     * @param cache The cache of the forward call.
     * @param batch The batch of the forward call.
     * @param dst Receives {@code h_T} (and {@code c_T}).
     */
    @Override
    public final void copyFinalState(Cache cache, int batch, RecurrentState dst) {
        cast(cache).copyFinal(batch, dst);
    }

    /**
     * Backpropagation through time: checks the call, loads {@code dFinal} (or zeros) into the running state gradient,
     * runs {@link #backwardSteps} and copies the gradient with respect to the initial state to {@code dInitial}. See
     * {@link RecurrentLayer#backward}.
     * @param dH dLoss/dh_t for every output {@code [steps, batch, hiddenSize()]}, or {@code null} for zeros.
     * @param dFinal dLoss/d(final state), or {@code null} for zeros.
     * @param batch The batch of the forward call.
     * @param steps The steps of the forward call.
     * @param cache The cache of the forward call.
     * @param dX Receives dLoss/dx {@code [steps, batch, inputSize()]}, or {@code null}.
     * @param gradients The gradient buffer; this layer adds into its slice.
     * @param dInitial Receives dLoss/d(initial state), or {@code null}.
     */
    @Override
    public final void backward(float[] dH, RecurrentState dFinal, int batch, int steps, Cache cache, float[] dX,
                               float[] gradients, RecurrentState dInitial) {
        final C k = cast(cache);
        k.checkAfterForward(batch, steps);
        k.checkBackwardArrays(dH, dX);
        if (dFinal != null) {
            dFinal.checkShape(batch, hiddenSize, withCell, "dFinal");
        }
        if (dInitial != null) {
            dInitial.checkShape(batch, hiddenSize, withCell, "dInitial");
        }
        final int bh = batch * hiddenSize;
        // dhNext, dcNext [B, H] = dLoss/dh_T, dLoss/dc_T
        if (dFinal == null) {
            Arrays.fill(k.dhNext, 0, bh, 0f);
            if (withCell) {
                Arrays.fill(k.dcNext, 0, bh, 0f);
            }
        } else {
            System.arraycopy(dFinal.h(), 0, k.dhNext, 0, bh);
            if (withCell) {
                System.arraycopy(dFinal.c(), 0, k.dcNext, 0, bh);
            }
        }
        backwardSteps(dH, batch, steps, k, dX, gradients, dInitial != null);
        // dInitial [B, H] = dhNext, dcNext after step 0 = dLoss/dh_0, dLoss/dc_0
        if (dInitial != null) {
            System.arraycopy(k.dhNext, 0, dInitial.h(), 0, bh);
            if (withCell) {
                System.arraycopy(k.dcNext, 0, dInitial.c(), 0, bh);
            }
        }
    }

    /**
     * The cell's reverse time loop and its parameter gradients, after the frame has checked the call and loaded
     * {@code dLoss/dh_T} (and {@code dLoss/dc_T}) into {@code k.dhNext} (and {@code k.dcNext}). Leaves
     * {@code dLoss/dh_0} (and {@code dLoss/dc_0}) there when {@code needInitial}.
     * @param dH dLoss/dh_t for every output, or {@code null} for zeros.
     * @param batch The batch.
     * @param steps The steps.
     * @param k The cache of the forward call.
     * @param dX Receives dLoss/dx, or {@code null}.
     * @param gradients The gradient buffer (ADD into this layer's slice).
     * @param needInitial Whether the caller wants the gradient with respect to the initial state.
     */
    abstract void backwardSteps(float[] dH, int batch, int steps, C k, float[] dX, float[] gradients,
                                boolean needInitial);

    /**
     * A recurrent layer's cache with the running gradients of the state that the backward time loop carries from
     * step t + 1 to step t.
     */
    abstract static class StepCache extends Cache {
        /** dLoss/dh_t flowing back from step t + 1, {@code [B, H]}. */
        final float[] dhNext;
        /** dLoss/dc_t flowing back from step t + 1, {@code [B, H]}, or null for a layer without a cell state. */
        final float[] dcNext;

        StepCache(int in, int hidden, int maxBatch, int maxSteps, boolean withCell) {
            super(in, hidden, maxBatch, maxSteps, withCell);
            dhNext = new float[maxBatch * hidden];
            dcNext = withCell ? new float[maxBatch * hidden] : null;
        }
    }
}
