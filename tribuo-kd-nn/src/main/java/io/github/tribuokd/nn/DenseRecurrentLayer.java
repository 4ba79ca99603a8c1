package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.SplittableRandom;

/**
 * What the matrix recurrent cells ({@link LSTMLayer}, {@link GRULayer}, {@link SimpleRNNLayer}) share besides the
 * frame of {@link AbstractRecurrentLayer}: a layer with {@code gates} gate blocks of width H has
 * <pre>
 *   W [input, G]    input weights,      G = gates·H, gate blocks in columns
 *   U [H, G]        recurrent weights
 *   b [G]           bias (a GRU adds a second, recurrent bias b_h [G])
 * </pre>
 * in that order from its offset, row-major; W and U start uniform in ±1/sqrt(H) (PyTorch's default), drawn W first
 * and then U from one random stream. Its forward pass starts with the input projection of all steps in one
 * product, {@code A_x [T·B, G] = X [T·B, I]·W + b}, and its backward pass ends with the parameter and input
 * gradients of all steps at once:
 * <pre>
 *   dU [H, G] += H_prevᵀ · dA_h     H_prev = h_0..h_{T−1}, [T·B, H]
 *   dW [I, G] += Xᵀ · dA_x
 *   db  [G]   += Σ_rows dA_x        (db_h += Σ_rows dA_h for a GRU)
 *   dX [T·B, I] = dA_x · Wᵀ
 * </pre>
 * where {@code dA_x} and {@code dA_h} are the gradients with respect to the input and recurrent pre-activations
 * (the same array unless the reset gate of a GRU sets them apart). Each cell's file holds its own time loops:
 * {@link #cellForward} and {@link #cellBackward}.
 * @param <C> The layer's own cache type.
 */
abstract class DenseRecurrentLayer<C extends DenseRecurrentLayer.SequenceCache> extends AbstractRecurrentLayer<C> {

    private final int in;
    private final int hidden;
    /** G = gates·H, the width of one row of W, U and b. */
    private final int gateWidth;
    private final boolean recurrentBias;

    /**
     * Checks and records the sizes.
     * @param kind The kind of layer with its article, for messages ("An LSTM").
     * @param name The class name with its article, for messages ("An LSTMLayer").
     * @param cacheType The class of this layer's cache.
     * @param inputSize The number of input features per step.
     * @param hiddenSize The hidden width H.
     * @param gates The number of gate blocks (1 for a simple RNN, 3 for a GRU, 4 for an LSTM).
     * @param withCell Whether the layer carries a cell state.
     * @param recurrentBias Whether the layer has a second bias vector for the recurrent pre-activations (GRU).
     */
    DenseRecurrentLayer(String kind, String name, Class<C> cacheType, int inputSize, int hiddenSize, int gates,
                        boolean withCell, boolean recurrentBias) {
        super(kind, name, cacheType, inputSize, hiddenSize, withCell);
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(kind.substring(kind.indexOf(' ') + 1) + " sizes must be positive, "
                    + "found input " + inputSize + ", hidden " + hiddenSize);
        }
        this.in = inputSize;
        this.hidden = hiddenSize;
        this.gateWidth = gates * hiddenSize;
        this.recurrentBias = recurrentBias;
    }

    /**
     * {@code input·G + H·G + G}, and another {@code G} with a recurrent bias, where {@code G = gates·H}.
     * @return The parameter count.
     */
    @Override
    public final int numParameters() {
        return gateWidth * (in + hidden + (recurrentBias ? 2 : 1));
    }

    /**
     * Offset of the input weights {@code W [input, G]} in the flat buffer (gate blocks in the cell's order).
     * @return The offset.
     */
    public final int inputWeightOffset() {
        return boundOffset();
    }

    /**
     * Offset of the recurrent weights {@code U [H, G]} in the flat buffer (gate blocks in the cell's order).
     * @return The offset.
     */
    public final int recurrentWeightOffset() {
        return boundOffset() + in * gateWidth;
    }

    /** Offset of the (input) bias {@code b [G]}; a recurrent bias follows it. */
    final int firstBiasOffset() {
        return boundOffset() + (in + hidden) * gateWidth;
    }

    /**
     * W and U uniform in ±1/sqrt(H) (W first, then U, row-major), then the cell's biases
     * ({@link #initialiseBiases}).
     * @param rng The random source.
     */
    @Override
    public final void initialise(SplittableRandom rng) {
        final float[] p = boundParameters();
        double limit = 1.0 / Math.sqrt(hidden);
        int w = inputWeightOffset();
        int nWeights = (in + hidden) * gateWidth; // W and U are contiguous
        for (int i = 0; i < nWeights; i++) {
            p[w + i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * limit);
        }
        initialiseBiases(p, firstBiasOffset());
    }

    /**
     * Writes the initial biases.
     * @param p The parameter buffer.
     * @param biasOffset Where the first bias vector starts.
     */
    abstract void initialiseBiases(float[] p, int biasOffset);

    /** Copies x into the cache, then runs the cell's time loop. */
    @Override
    final void forwardSteps(float[] x, int batch, int steps, C k) {
        System.arraycopy(x, 0, k.x, 0, steps * batch * in);
        cellForward(k, batch, steps);
    }

    /**
     * The cell's forward time loop; {@code k.x} holds the inputs and block 0 of {@code k.h} (and {@code k.c}) the
     * initial state.
     * @param k The cache.
     * @param batch The number of sequences.
     * @param steps The number of time steps.
     */
    abstract void cellForward(C k, int batch, int steps);

    /**
     * {@code dst [rows, G] (from dstOffset) = X [rows, I]·W [I, G] + b}: the input projection of all steps in one
     * product, then the bias added row by row.
     * @param x The inputs {@code [rows, I]}.
     * @param rows The number of rows, {@code steps·batch}.
     * @param dst The destination.
     * @param dstOffset Where row 0 of the destination starts.
     */
    final void projectInputs(float[] x, int rows, float[] dst, int dstOffset) {
        final float[] p = boundParameters();
        final int g = gateWidth;
        Kernels.get().gemm(false, false, rows, g, in, 1f, x, 0, in, p, inputWeightOffset(), g, 0f, dst, dstOffset, g);
        final int bo = firstBiasOffset();
        for (int r = 0; r < rows; r++) {
            int ar = dstOffset + r * g;
            for (int j = 0; j < g; j++) {
                dst[ar + j] += p[bo + j];
            }
        }
    }

    /** The cell's reverse time loop into {@code k.dAx} and {@code k.dAh}, then every parameter gradient at once. */
    @Override
    final void backwardSteps(float[] dH, int batch, int steps, C k, float[] dX, float[] gradients,
                             boolean needInitial) {
        cellBackward(dH, k, batch, steps);
        final int rows = steps * batch;
        final int g = gateWidth;
        final int wo = inputWeightOffset();
        final int uo = recurrentWeightOffset();
        final MatrixKernels mk = Kernels.get();
        // dU [H, G] += H_prevᵀ · dA_h over all steps (H_prev = blocks 0..T−1 of k.h, [T·B, H])
        mk.gemm(true, false, hidden, g, rows, 1f, k.h, 0, hidden, k.dAh, 0, g, 1f, gradients, uo, g);
        // dW [I, G] += Xᵀ · dA_x
        mk.gemm(true, false, in, g, rows, 1f, k.x, 0, in, k.dAx, 0, g, 1f, gradients, wo, g);
        // db [G] += Σ_rows dA_x; db_h [G] += Σ_rows dA_h
        addRowSums(k.dAx, rows, g, gradients, firstBiasOffset());
        if (recurrentBias) {
            addRowSums(k.dAh, rows, g, gradients, firstBiasOffset() + g);
        }
        // dX [T·B, I] = dA_x · Wᵀ   (W stored [I, G])
        if (dX != null) {
            mk.gemm(false, true, rows, in, g, 1f, k.dAx, 0, g, boundParameters(), wo, g, 0f, dX, 0, in);
        }
    }

    /**
     * The cell's reverse time loop: from {@code k.dhNext} (and {@code k.dcNext}) holding {@code dLoss/dh_T} (and
     * {@code dLoss/dc_T}), fills {@code k.dAx} and {@code k.dAh} for every step and leaves {@code dLoss/dh_0} (and
     * {@code dLoss/dc_0}) in {@code k.dhNext} (and {@code k.dcNext}).
     * @param dH dLoss/dh_t for every output {@code [T, B, H]}, or {@code null} for zeros.
     * @param k The cache of the forward call.
     * @param batch The batch.
     * @param steps The steps.
     */
    abstract void cellBackward(float[] dH, C k, int batch, int steps);

    /** {@code gradients[at + j] += Σ_r dA[r·width + j]}, rows in order. */
    private static void addRowSums(float[] dA, int rows, int width, float[] gradients, int at) {
        for (int r = 0; r < rows; r++) {
            int ar = r * width;
            for (int j = 0; j < width; j++) {
                gradients[at + j] += dA[ar + j];
            }
        }
    }

    /**
     * The cache of a matrix cell: the inputs and the pre-activation gradients of every step, besides the states and
     * running state gradients.
     */
    abstract static class SequenceCache extends StepCache {
        /** The inputs {@code [T, B, I]}. */
        final float[] x;
        /** dLoss/d(input pre-activations) {@code [T, B, G]}. */
        final float[] dAx;
        /** dLoss/d(recurrent pre-activations) {@code [T, B, G]}: the same array as {@link #dAx} unless separate. */
        final float[] dAh;

        SequenceCache(int in, int hidden, int maxBatch, int maxSteps, int gates, boolean withCell,
                      boolean separateRecurrentGradient) {
            super(in, hidden, maxBatch, maxSteps, withCell);
            int rows = Math.multiplyExact(maxSteps, maxBatch);
            x = new float[Math.multiplyExact(rows, in)];
            dAx = new float[Math.multiplyExact(rows, gates * hidden)];
            dAh = separateRecurrentGradient ? new float[dAx.length] : dAx;
        }
    }
}
