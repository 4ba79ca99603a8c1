package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.SplittableRandom;

/**
 * An Elman recurrent layer (Elman, "Finding Structure in Time", Cognitive Science 1990), the simplest recurrent
 * structure of the Long-Term Accumulator (seed 002, eq. (5)):
 * <pre>
 *   h_t = tanh(x_t·W + h_{t−1}·U + b)            [batch, H]
 * </pre>
 * <b>Parameter layout</b> in the flat buffer, from the bound offset: {@code W [input, H]}, then {@code U [H, H]},
 * then {@code b [H]}, all row-major (ONNX's RNN stores the transposes and splits b into two biases).
 * <p>
 * <b>Initialisation</b>: W and U uniform in ±1/sqrt(H) (PyTorch's default for {@code nn.RNN}); b zero.
 * <p>
 * Layout of x and h: time-major {@code [steps, batch, features]} (see {@link RecurrentLayer}). Forward computes
 * {@code x·W + b} for all steps in one gemm and adds {@code h_{t−1}·U} per step; backward runs
 * {@code dA_t = (dH_t + dh_t) ⊙ (1 − h_t²)}, {@code dh_{t−1} = dA_t·Uᵀ} per step in reverse, then makes the parameter
 * gradients for all steps at once.
 */
public final class SimpleRNNLayer implements RecurrentLayer {

    private static final String NAME = "SimpleRNNLayer";

    private final int in;
    private final int hidden;
    private float[] params;
    private int offset;

    /**
     * Creates a simple (Elman) recurrent layer with a tanh nonlinearity.
     * @param inputSize The number of input features per step.
     * @param hiddenSize The hidden width H.
     */
    public SimpleRNNLayer(int inputSize, int hiddenSize) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("RNN sizes must be positive, found input " + inputSize + ", hidden "
                    + hiddenSize);
        }
        this.in = inputSize;
        this.hidden = hiddenSize;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    /**
     * A simple RNN carries only h.
     * @return False.
     */
    @Override
    public boolean hasCellState() {
        return false;
    }

    /**
     * {@code input·H + H·H + H}.
     * @return The parameter count.
     */
    @Override
    public int numParameters() {
        return hidden * (in + hidden + 1);
    }

    @Override
    public void bind(float[] parameters, int offset) {
        if (offset < 0 || parameters.length - offset < numParameters()) {
            throw new IllegalArgumentException("An RNN of " + numParameters() + " parameters does not fit at offset "
                    + offset + " of a buffer of length " + parameters.length);
        }
        this.params = parameters;
        this.offset = offset;
    }

    /**
     * Offset of the input weights {@code W [input, H]} in the flat buffer.
     * @return The offset.
     */
    public int inputWeightOffset() {
        return offset;
    }

    /**
     * Offset of the recurrent weights {@code U [H, H]} in the flat buffer.
     * @return The offset.
     */
    public int recurrentWeightOffset() {
        return offset + in * hidden;
    }

    /**
     * Offset of the bias {@code b [H]} in the flat buffer.
     * @return The offset.
     */
    public int biasOffset() {
        return offset + (in + hidden) * hidden;
    }

    /**
     * W and U uniform in ±1/sqrt(H) (W first, then U, row-major); b zero.
     * @param rng The random source.
     */
    @Override
    public void initialise(SplittableRandom rng) {
        double limit = 1.0 / Math.sqrt(hidden);
        int w = inputWeightOffset();
        int nWeights = (in + hidden) * hidden; // W and U are contiguous
        for (int i = 0; i < nWeights; i++) {
            params[w + i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * limit);
        }
        java.util.Arrays.fill(params, biasOffset(), biasOffset() + hidden, 0f);
    }

    @Override
    public Cache newCache(int maxBatch, int maxSteps) {
        return new RNNCache(in, hidden, maxBatch, maxSteps);
    }

    private RNNCache cast(Cache cache) {
        if (!(cache instanceof RNNCache)) {
            throw new IllegalArgumentException("A SimpleRNNLayer needs a cache from SimpleRNNLayer.newCache, found "
                    + (cache == null ? "null" : cache.getClass().getName()));
        }
        cache.checkOwner(in, hidden, NAME);
        return (RNNCache) cache;
    }

    // x [T, B, I], h_0 [B, H] -> hOut [T, B, H]; keeps x and h_t in the cache.
    @Override
    public void forward(float[] x, int batch, int steps, RecurrentState initial, float[] hOut, Cache cache) {
        final RNNCache k = cast(cache);
        k.beginForward(x, batch, steps, initial, hOut);
        final int H = hidden;
        final int rows = steps * batch;
        final int bh = batch * H;
        final float[] p = params;
        final float[] h = k.h;
        final MatrixKernels mk = Kernels.get();
        System.arraycopy(x, 0, k.x, 0, rows * in);

        // A [T·B, H] = X [T·B, I] · W [I, H] + b, written straight into blocks 1..T of k.h
        mk.gemm(false, false, rows, H, in, 1f, k.x, 0, in, p, inputWeightOffset(), H, 0f, h, bh, H);
        final int bo = biasOffset();
        for (int r = 0; r < rows; r++) {
            int ar = bh + r * H;
            for (int j = 0; j < H; j++) {
                h[ar + j] += p[bo + j];
            }
        }
        final int uo = recurrentWeightOffset();
        for (int t = 0; t < steps; t++) {
            int cur = (t + 1) * bh;
            // A_t [B, H] += h_{t−1} [B, H] · U [H, H]; h_t = tanh(A_t)
            mk.gemm(false, false, batch, H, H, 1f, h, t * bh, H, p, uo, H, 1f, h, cur, H);
            for (int i = cur; i < cur + bh; i++) {
                h[i] = (float) Math.tanh(h[i]);
            }
        }
        if (hOut != null) {
            System.arraycopy(h, bh, hOut, 0, rows * H);
        }
    }

    @Override
    public void copyFinalState(Cache cache, int batch, RecurrentState dst) {
        cast(cache).copyFinal(batch, dst);
    }

    // dH [T, B, H], dh_T [B, H] -> dX [T, B, I], dW, dU, db (added), dh_0 [B, H]
    @Override
    public void backward(float[] dH, RecurrentState dFinal, int batch, int steps, Cache cache, float[] dX,
                         float[] gradients, RecurrentState dInitial) {
        final RNNCache k = cast(cache);
        k.checkAfterForward(batch, steps);
        k.checkBackwardArrays(dH, dX);
        if (dFinal != null) {
            dFinal.checkShape(batch, hidden, false, "dFinal");
        }
        if (dInitial != null) {
            dInitial.checkShape(batch, hidden, false, "dInitial");
        }
        final int H = hidden;
        final int rows = steps * batch;
        final int bh = batch * H;
        final float[] p = params;
        final float[] h = k.h;
        final float[] dA = k.dA;         // dLoss/d(pre-activation) [T, B, H]
        final float[] dhNext = k.dhNext; // dLoss/dh_t flowing back from step t + 1 [B, H]
        final MatrixKernels mk = Kernels.get();
        final int uo = recurrentWeightOffset();
        if (dFinal == null) {
            java.util.Arrays.fill(dhNext, 0, bh, 0f);
        } else {
            System.arraycopy(dFinal.h(), 0, dhNext, 0, bh);
        }
        for (int t = steps - 1; t >= 0; t--) {
            int s = t * bh;         // rows of step t in [T, B, H]
            int cur = s + bh;       // h_t in k.h
            for (int i = 0; i < bh; i++) {
                float ht = h[cur + i];
                float dh = (dH == null ? 0f : dH[s + i]) + dhNext[i];
                dA[s + i] = dh * (1f - ht * ht);
            }
            // dh_{t−1} [B, H] = dA_t [B, H] · Uᵀ   (U stored [H, H])
            mk.gemm(false, true, batch, H, H, 1f, dA, s, H, p, uo, H, 0f, dhNext, 0, H);
        }
        // dU [H, H] += H_prevᵀ · dA over all steps (H_prev = blocks 0..T−1 of k.h, [T·B, H])
        mk.gemm(true, false, H, H, rows, 1f, h, 0, H, dA, 0, H, 1f, gradients, uo, H);
        // dW [I, H] += Xᵀ · dA
        mk.gemm(true, false, in, H, rows, 1f, k.x, 0, in, dA, 0, H, 1f, gradients, inputWeightOffset(), H);
        // db [H] += Σ_rows dA
        final int bo = biasOffset();
        for (int r = 0; r < rows; r++) {
            int ar = r * H;
            for (int j = 0; j < H; j++) {
                gradients[bo + j] += dA[ar + j];
            }
        }
        // dX [T·B, I] = dA · Wᵀ   (W stored [I, H])
        if (dX != null) {
            mk.gemm(false, true, rows, in, H, 1f, dA, 0, H, p, inputWeightOffset(), H, 0f, dX, 0, in);
        }
        if (dInitial != null) {
            System.arraycopy(dhNext, 0, dInitial.h(), 0, bh);
        }
    }

    @Override
    public String toString() {
        return "SimpleRNNLayer(input=" + in + ",hidden=" + hidden + ")";
    }

    /** Scratch of a simple RNN: inputs and the gradients (the states live in the base cache). */
    private static final class RNNCache extends Cache {
        final float[] x;      // [T, B, I]
        final float[] dA;     // [T, B, H]
        final float[] dhNext; // [B, H]

        RNNCache(int in, int hidden, int maxBatch, int maxSteps) {
            super(in, hidden, maxBatch, maxSteps, false);
            int rows = Math.multiplyExact(maxSteps, maxBatch);
            x = new float[Math.multiplyExact(rows, in)];
            dA = new float[Math.multiplyExact(rows, hidden)];
            dhNext = new float[maxBatch * hidden];
        }
    }
}
