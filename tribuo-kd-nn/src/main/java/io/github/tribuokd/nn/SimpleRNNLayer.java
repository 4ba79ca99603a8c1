package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.Arrays;

/**
 * An Elman recurrent layer (Elman, "Finding Structure in Time", Cognitive Science 1990), the simplest recurrent
 * structure of the Long-Term Accumulator (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md), eq. (5)):
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
 * gradients for all steps at once ({@link DenseRecurrentLayer}).
 */
public final class SimpleRNNLayer extends DenseRecurrentLayer<SimpleRNNLayer.RNNCache> {

    /**
     * Creates a simple (Elman) recurrent layer with a tanh nonlinearity.
     * @param inputSize The number of input features per step.
     * @param hiddenSize The hidden width H.
     */
    public SimpleRNNLayer(int inputSize, int hiddenSize) {
        super("An RNN", "A SimpleRNNLayer", RNNCache.class, inputSize, hiddenSize, 1, false, false);
    }

    /**
     * Offset of the bias {@code b [H]} in the flat buffer.
     * @return The offset.
     */
    public int biasOffset() {
        return firstBiasOffset();
    }

    /** b zero. */
    @Override
    void initialiseBiases(float[] p, int biasOffset) {
        Arrays.fill(p, biasOffset, biasOffset + hiddenSize(), 0f);
    }

    @Override
    public Cache newCache(int maxBatch, int maxSteps) {
        return new RNNCache(inputSize(), hiddenSize(), maxBatch, maxSteps);
    }

    // x [T, B, I] (in k.x), h_0 [B, H] (block 0 of k.h) -> h_t [B, H] in block t of k.h
    @Override
    void cellForward(RNNCache k, int batch, int steps) {
        final int H = hiddenSize();
        final int rows = steps * batch;
        final int bh = batch * H;
        final float[] p = boundParameters();
        final float[] h = k.h;
        final MatrixKernels mk = Kernels.get();
        // A [T·B, H] = X [T·B, I] · W [I, H] + b, written straight into blocks 1..T of k.h
        projectInputs(k.x, rows, h, bh);
        final int uo = recurrentWeightOffset();
        for (int t = 0; t < steps; t++) {
            int cur = (t + 1) * bh;
            // A_t [B, H] += h_{t−1} [B, H] · U [H, H]; h_t = tanh(A_t)
            mk.gemm(false, false, batch, H, H, 1f, h, t * bh, H, p, uo, H, 1f, h, cur, H);
            for (int i = cur; i < cur + bh; i++) {
                h[i] = (float) Math.tanh(h[i]);
            }
        }
    }

    // dH [T, B, H], dh_T [B, H] (in k.dhNext) -> dA [T, B, H] (k.dAx), dh_0 [B, H] (k.dhNext)
    @Override
    void cellBackward(float[] dH, RNNCache k, int batch, int steps) {
        final int H = hiddenSize();
        final int bh = batch * H;
        final float[] p = boundParameters();
        final float[] h = k.h;
        final float[] dA = k.dAx;        // dLoss/d(pre-activation) [T, B, H]
        final float[] dhNext = k.dhNext; // dLoss/dh_t flowing back from step t + 1 [B, H]
        final MatrixKernels mk = Kernels.get();
        final int uo = recurrentWeightOffset();
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
    }

    @Override
    public String toString() {
        return "SimpleRNNLayer(input=" + inputSize() + ",hidden=" + hiddenSize() + ")";
    }

    /** Scratch of a simple RNN: inputs and dA (in the base cache); the states live in the base cache too. */
    static final class RNNCache extends SequenceCache {
        RNNCache(int in, int hidden, int maxBatch, int maxSteps) {
            super(in, hidden, maxBatch, maxSteps, 1, false, false);
        }
    }
}
