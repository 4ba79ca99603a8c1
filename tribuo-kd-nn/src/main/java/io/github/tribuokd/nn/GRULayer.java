package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.Arrays;

/**
 * A gated recurrent unit layer (Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for
 * Statistical Machine Translation", EMNLP 2014), in PyTorch's formulation ({@code torch.nn.GRU}, which is also
 * ONNX's GRU with {@code linear_before_reset = 1}), one of the Long-Term Accumulator's choices (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md), eq. (5)).
 * <p>
 * Per time step t, for a batch (rows) at once:
 * <pre>
 *   r_t = σ(x_t·W_r + b_r + h_{t−1}·U_r + b_hr)                reset gate
 *   z_t = σ(x_t·W_z + b_z + h_{t−1}·U_z + b_hz)                update gate
 *   n_t = tanh(x_t·W_n + b_n + r_t ⊙ (h_{t−1}·U_n + b_hn))     candidate state
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 * </pre>
 * The reset gate multiplies the whole recurrent term of n, recurrent bias included (Cho et al. apply it to
 * {@code h_{t−1}} before the product; the two differ, and this is PyTorch's choice).
 * <p>
 * <b>Parameter layout</b> in the flat buffer, from the bound offset: {@code W [input, 3H]}, then {@code U [H, 3H]},
 * then the input bias {@code b_x [3H]}, then the recurrent bias {@code b_h [3H]}, all row-major, with the gate
 * blocks in columns in the order <b>r, z, n</b> (PyTorch's order; ONNX's GRU uses z, r, h).
 * <p>
 * <b>Initialisation</b>: W and U uniform in ±1/sqrt(H) (PyTorch's default); both biases zero (PyTorch draws them
 * from the same uniform; zero biases, as in Keras, start the update gate at 1/2).
 * <p>
 * Layout of x and h: time-major {@code [steps, batch, features]} (see {@link RecurrentLayer}). Forward computes
 * {@code x·W + b_x} for all steps in one gemm and {@code h_{t−1}·U + b_h} per step (kept apart, since r multiplies
 * only the recurrent part of n). Backward runs per step in reverse with {@code dh_{t−1} = dh_t ⊙ z_t + dA_t·Uᵀ}, where
 * {@code dA_t} is the gradient w.r.t. the recurrent pre-activations, then makes the parameter gradients for all steps
 * at once ({@link DenseRecurrentLayer}).
 */
public final class GRULayer extends DenseRecurrentLayer<GRULayer.GRUCache> {

    /**
     * Creates a GRU layer.
     * @param inputSize The number of input features per step.
     * @param hiddenSize The hidden width H.
     */
    public GRULayer(int inputSize, int hiddenSize) {
        super("A GRU", "A GRULayer", GRUCache.class, inputSize, hiddenSize, 3, false, true);
    }

    /**
     * Offset of the input bias {@code b_x [3H]} (blocks r, z, n) in the flat buffer.
     * @return The offset.
     */
    public int inputBiasOffset() {
        return firstBiasOffset();
    }

    /**
     * Offset of the recurrent bias {@code b_h [3H]} (blocks r, z, n) in the flat buffer.
     * @return The offset.
     */
    public int recurrentBiasOffset() {
        return inputBiasOffset() + 3 * hiddenSize();
    }

    /** Both biases zero. */
    @Override
    void initialiseBiases(float[] p, int biasOffset) {
        Arrays.fill(p, biasOffset, biasOffset + 6 * hiddenSize(), 0f);
    }

    @Override
    public Cache newCache(int maxBatch, int maxSteps) {
        return new GRUCache(inputSize(), hiddenSize(), maxBatch, maxSteps);
    }

    // x [T, B, I] (in k.x), h_0 [B, H] (block 0 of k.h) -> h_t in block t of k.h;
    // keeps r/z/n, h_{t−1}·U_n + b_hn in the cache.
    @Override
    void cellForward(GRUCache k, int batch, int steps) {
        final int H = hiddenSize();
        final int G = 3 * H;
        final int rows = steps * batch;
        final int bh = batch * H;
        final float[] p = boundParameters();
        final float[] gates = k.gates;
        final float[] gh = k.ghStep;
        final MatrixKernels mk = Kernels.get();
        // A_x [T·B, 3H] = X [T·B, I] · W [I, 3H] + b_x
        projectInputs(k.x, rows, gates, 0);
        final int uo = recurrentWeightOffset();
        final int bho = recurrentBiasOffset();
        for (int t = 0; t < steps; t++) {
            // A_h [B, 3H] = h_{t−1} [B, H] · U [H, 3H] + b_h   (h_{t−1} is block t of k.h)
            for (int b = 0; b < batch; b++) {
                System.arraycopy(p, bho, gh, b * G, G);
            }
            mk.gemm(false, false, batch, G, H, 1f, k.h, t * bh, H, p, uo, G, 1f, gh, 0, G);
            for (int b = 0; b < batch; b++) {
                int ar = (t * batch + b) * G;   // row of A_x at step t
                int hr = b * G;                 // row of A_h
                int sr = (t * batch + b) * H;   // row in [T, B, H] arrays
                int prev = t * bh + b * H;      // h_{t−1}
                int cur = prev + bh;            // h_t
                for (int j = 0; j < H; j++) {
                    float rg = sigmoid(gates[ar + j] + gh[hr + j]);
                    float zg = sigmoid(gates[ar + H + j] + gh[hr + H + j]);
                    float hn = gh[hr + 2 * H + j];
                    float ng = (float) Math.tanh(gates[ar + 2 * H + j] + rg * hn);
                    gates[ar + j] = rg;
                    gates[ar + H + j] = zg;
                    gates[ar + 2 * H + j] = ng;
                    k.hn[sr + j] = hn;
                    k.h[cur + j] = (1f - zg) * ng + zg * k.h[prev + j];
                }
            }
        }
    }

    // dH [T, B, H], dh_T [B, H] (in k.dhNext) -> dA_x, dA_h [T, B, 3H] (k.dAx, k.dAh), dh_0 [B, H] (k.dhNext)
    @Override
    void cellBackward(float[] dH, GRUCache k, int batch, int steps) {
        final int H = hiddenSize();
        final int G = 3 * H;
        final int bh = batch * H;
        final float[] p = boundParameters();
        final float[] gates = k.gates;
        final float[] dAx = k.dAx;       // dLoss/d(x·W + b_x)        [T, B, 3H]
        final float[] dAh = k.dAh;       // dLoss/d(h_{t−1}·U + b_h)  [T, B, 3H]
        final float[] dhNext = k.dhNext; // dLoss/dh_t flowing back from step t + 1 [B, H]
        final MatrixKernels mk = Kernels.get();
        final int uo = recurrentWeightOffset();
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                int ar = (t * batch + b) * G;
                int sr = (t * batch + b) * H;
                int prev = t * bh + b * H;
                int nb = b * H;
                for (int j = 0; j < H; j++) {
                    float rg = gates[ar + j];
                    float zg = gates[ar + H + j];
                    float ng = gates[ar + 2 * H + j];
                    float hp = k.h[prev + j];
                    float dh = (dH == null ? 0f : dH[sr + j]) + dhNext[nb + j];
                    // h = (1 − z) n + z h_prev
                    float dn = dh * (1f - zg);
                    float dzg = dh * (hp - ng);
                    // n = tanh(a_n + r ⊙ hn)
                    float dan = dn * (1f - ng * ng);
                    float drg = dan * k.hn[sr + j];
                    float dar = drg * rg * (1f - rg);
                    float daz = dzg * zg * (1f - zg);
                    dAx[ar + j] = dar;
                    dAx[ar + H + j] = daz;
                    dAx[ar + 2 * H + j] = dan;
                    dAh[ar + j] = dar;
                    dAh[ar + H + j] = daz;
                    dAh[ar + 2 * H + j] = dan * rg;
                    dhNext[nb + j] = dh * zg; // the direct path z ⊙ h_{t−1}
                }
            }
            // dh_{t−1} [B, H] += dA_h,t [B, 3H] · Uᵀ   (U stored [H, 3H])
            mk.gemm(false, true, batch, H, G, 1f, dAh, t * batch * G, G, p, uo, G, 1f, dhNext, 0, H);
        }
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    @Override
    public String toString() {
        return "GRULayer(input=" + inputSize() + ",hidden=" + hiddenSize() + ")";
    }

    /** Scratch of a GRU: activated gates and the recurrent part of n (inputs and gradients in the base cache). */
    static final class GRUCache extends SequenceCache {
        final float[] gates;  // [T, B, 3H]: r, z, n after their nonlinearity
        final float[] hn;     // [T, B, H]: h_{t−1}·U_n + b_hn
        final float[] ghStep; // [B, 3H]: h_{t−1}·U + b_h of the current step

        GRUCache(int in, int hidden, int maxBatch, int maxSteps) {
            super(in, hidden, maxBatch, maxSteps, 3, false, true);
            int rows = Math.multiplyExact(maxSteps, maxBatch);
            gates = new float[Math.multiplyExact(rows, 3 * hidden)];
            hn = new float[Math.multiplyExact(rows, hidden)];
            ghStep = new float[maxBatch * 3 * hidden];
        }
    }
}
