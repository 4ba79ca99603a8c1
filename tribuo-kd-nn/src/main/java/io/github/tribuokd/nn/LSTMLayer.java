package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;
import io.github.tribuokd.nn.kernels.PackedMatrix;


/**
 * A long short-term memory layer (Hochreiter and Schmidhuber 1997, with the forget gate of Gers et al. 2000), the
 * recurrent unit of the LSTM encoder-decoder of Malhotra et al., "LSTM-based Encoder-Decoder for Multi-sensor
 * Anomaly Detection", 2016 (seed 000: Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) and of the Long-Term Accumulator's equation (6) (seed 002: Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md).
 * <p>
 * Per time step t, for a batch (rows) at once:
 * <pre>
 *   z_t = x_t·W + h_{t−1}·U + b                  [batch, 4H], split into four blocks of H columns, in the order
 *   i_t = σ(z_t[0:H])                            input gate
 *   f_t = σ(z_t[H:2H])                           forget gate
 *   g_t = tanh(z_t[2H:3H])                       candidate cell
 *   o_t = σ(z_t[3H:4H])                          output gate
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)
 * </pre>
 * <b>Parameter layout</b> in the flat buffer, from the bound offset: {@code W [input, 4H]}, then
 * {@code U [H, 4H]}, then {@code b [4H]}, all row-major, with the gate blocks in columns in the order
 * <b>i, f, g, o</b> (PyTorch's order; ONNX's LSTM uses i, o, f, c and needs a permutation on export:
 * {@link #toOnnxGateRows}, {@link #toOnnxBias}).
 * <p>
 * <b>Initialisation</b>: W and U uniform in ±1/sqrt(H) (PyTorch's default for {@code nn.LSTM}); b zero except the
 * forget-gate block, which starts at 1.0 so that the cell remembers by default (Gers et al. 2000; Jozefowicz et al.,
 * "An Empirical Exploration of Recurrent Network Architectures", ICML 2015).
 * <p>
 * Layout of x and h: time-major {@code [steps, batch, features]} (see {@link RecurrentLayer}). Forward computes
 * {@code x·W} for all steps in one gemm ({@code [steps·batch, input]·[input, 4H]}) and adds {@code h_{t−1}·U} per step
 * with a gemm of beta 1. Backward runs the gate gradients per step in reverse with {@code dh_{t−1} = dz_t·Uᵀ}, then
 * makes the parameter gradients for all steps at once: {@code dU += H_{prev}ᵀ·dZ}, {@code dW += Xᵀ·dZ},
 * {@code db += Σ dZ} and {@code dX = dZ·Wᵀ} ({@link DenseRecurrentLayer}).
 */
public final class LSTMLayer extends DenseRecurrentLayer<LSTMLayer.LSTMCache> {

    /**
     * Creates an LSTM layer.
     * @param inputSize The number of input features per step.
     * @param hiddenSize The hidden width H.
     */
    public LSTMLayer(int inputSize, int hiddenSize) {
        super("An LSTM", "An LSTMLayer", LSTMCache.class, inputSize, hiddenSize, 4, true, false);
    }

    /**
     * Offset of the bias {@code b [4H]} (blocks i, f, g, o) in the flat buffer.
     * @return The offset.
     */
    public int biasOffset() {
        return firstBiasOffset();
    }

    /** For each ONNX gate block (i, o, f, c), the block of this layer's layout (i, f, g, o) that holds it. */
    private static final int[] ONNX_GATE_SOURCE = {0, 3, 1, 2};

    /**
     * Rewrites a gate matrix of this layer's layout for ONNX's {@code LSTM} operator: {@code src [rows, 4H]}
     * row-major with gate blocks i, f, g, o in columns becomes {@code dst [4H, rows]} with gate blocks i, o, f, c in
     * rows, {@code dst[(k·H + j)·rows + r] = src[r·4H + s(k)·H + j]} with {@code s = (0, 3, 1, 2)}. So
     * {@code W [input, 4H]} becomes ONNX's {@code W [4H, input]} and {@code U [H, 4H]} its {@code R [4H, H]}.
     * @param src The source buffer.
     * @param offset Where the {@code [rows, 4H]} matrix starts.
     * @param rows The number of rows (input size for W, H for U).
     * @param hidden H.
     * @return A new {@code [4H · rows]} array.
     */
    public static float[] toOnnxGateRows(float[] src, int offset, int rows, int hidden) {
        int g = 4 * hidden;
        float[] dst = new float[g * rows];
        for (int k = 0; k < 4; k++) {
            int from = ONNX_GATE_SOURCE[k] * hidden;
            for (int j = 0; j < hidden; j++) {
                int d = (k * hidden + j) * rows;
                for (int r = 0; r < rows; r++) {
                    dst[d + r] = src[offset + r * g + from + j];
                }
            }
        }
        return dst;
    }

    /**
     * Rewrites a bias of this layer's layout ({@code b [4H]}, blocks i, f, g, o) as ONNX's {@code B [8H]}: the
     * input bias in blocks i, o, f, c, then a zero recurrent bias (this layer has one bias vector).
     * @param src The source buffer.
     * @param offset Where {@code b} starts.
     * @param hidden H.
     * @return A new {@code [8H]} array.
     */
    public static float[] toOnnxBias(float[] src, int offset, int hidden) {
        float[] dst = new float[8 * hidden];
        for (int k = 0; k < 4; k++) {
            System.arraycopy(src, offset + ONNX_GATE_SOURCE[k] * hidden, dst, k * hidden, hidden);
        }
        return dst;
    }

    /** b zero except the forget-gate block at 1.0. */
    @Override
    void initialiseBiases(float[] p, int biasOffset) {
        final int hidden = hiddenSize();
        for (int j = 0; j < 4 * hidden; j++) {
            p[biasOffset + j] = (j >= hidden && j < 2 * hidden) ? 1f : 0f;
        }
    }

    @Override
    public Cache newCache(int maxBatch, int maxSteps) {
        return new LSTMCache(inputSize(), hiddenSize(), maxBatch, maxSteps);
    }

    // x [T, B, I] (in k.x), h_0, c_0 [B, H] (block 0 of k.h, k.c) -> h_t, c_t in block t of k.h, k.c;
    // keeps the gates and tanh(c_t) in the cache.
    @Override
    void cellForward(LSTMCache k, int batch, int steps) {
        final int H = hiddenSize();
        final int G = 4 * H;
        final int rows = steps * batch;
        final int bh = batch * H;
        final float[] p = boundParameters();
        final MatrixKernels mk = Kernels.get();
        // Z [T·B, 4H] = X [T·B, I] · W [I, 4H] + b
        projectInputs(k.x, rows, k.gates, 0);
        final int uo = recurrentWeightOffset();
        // U [H, 4H] packed once for the whole window, not once per step
        k.packedU = mk.pack(false, H, G, p, uo, G, k.packedU);
        for (int t = 0; t < steps; t++) {
            // Z_t [B, 4H] += h_{t−1} [B, H] · U [H, 4H]   (h_{t−1} is block t of k.h)
            mk.gemm(false, batch, 1f, k.h, t * bh, H, k.packedU, 1f, k.gates, t * batch * G, G);
            // gates (i, f: σ; g: tanh; o: σ), c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t)
            for (int b = 0; b < batch; b++) {
                int zr = (t * batch + b) * G;        // row of Z_t
                int sr = (t * batch + b) * H;        // row in [T, B, H] arrays (tanh c)
                int prev = t * bh + b * H;           // row of block t (state before the step)
                int cur = prev + bh;                 // row of block t + 1 (state after the step)
                mk.activate(Activation.SIGMOID, k.gates, zr, k.gates, zr, 2 * H);
                mk.activate(Activation.TANH, k.gates, zr + 2 * H, k.gates, zr + 2 * H, H);
                mk.activate(Activation.SIGMOID, k.gates, zr + 3 * H, k.gates, zr + 3 * H, H);
                for (int j = 0; j < H; j++) {
                    k.c[cur + j] = k.gates[zr + H + j] * k.c[prev + j] + k.gates[zr + j] * k.gates[zr + 2 * H + j];
                }
                mk.activate(Activation.TANH, k.c, cur, k.tanhC, sr, H);
                for (int j = 0; j < H; j++) {
                    k.h[cur + j] = k.gates[zr + 3 * H + j] * k.tanhC[sr + j];
                }
            }
        }
    }

    // dH [T, B, H], dh_T, dc_T [B, H] (in k.dhNext, k.dcNext) -> dZ [T, B, 4H] (k.dAx), dh_0, dc_0 [B, H]
    @Override
    void cellBackward(float[] dH, LSTMCache k, int batch, int steps) {
        final int H = hiddenSize();
        final int G = 4 * H;
        final int bh = batch * H;
        final float[] dz = k.dAx;        // dLoss/dz_t [T, B, 4H]
        final float[] dhNext = k.dhNext; // dLoss/dh_t flowing back from step t + 1 [B, H]
        final float[] dcNext = k.dcNext; // dLoss/dc_t flowing back from step t + 1 [B, H]
        final MatrixKernels mk = Kernels.get();
        // Uᵀ [4H, H] packed once per backward call rather than by every step's product
        k.packedUT = mk.pack(true, G, H, boundParameters(), recurrentWeightOffset(), G, k.packedUT);
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                int zr = (t * batch + b) * G;
                int sr = (t * batch + b) * H;
                int prev = t * bh + b * H;
                int nb = b * H;
                for (int j = 0; j < H; j++) {
                    float ig = k.gates[zr + j];
                    float fg = k.gates[zr + H + j];
                    float gg = k.gates[zr + 2 * H + j];
                    float og = k.gates[zr + 3 * H + j];
                    float tc = k.tanhC[sr + j];
                    // dh_t = dH_t + (dz_{t+1}·Uᵀ); dc_t = dc_t(from t+1) ⊙ f_{t+1} + dh_t ⊙ o_t ⊙ (1 − tanh²c_t)
                    float dh = (dH == null ? 0f : dH[sr + j]) + dhNext[nb + j];
                    float dc = dcNext[nb + j] + dh * og * (1f - tc * tc);
                    dz[zr + j] = dc * gg * ig * (1f - ig);                       // d z_i
                    dz[zr + H + j] = dc * k.c[prev + j] * fg * (1f - fg);        // d z_f
                    dz[zr + 2 * H + j] = dc * ig * (1f - gg * gg);               // d z_g
                    dz[zr + 3 * H + j] = dh * tc * og * (1f - og);               // d z_o
                    dcNext[nb + j] = dc * fg;                                    // dc_{t−1}
                }
            }
            // dh_{t−1} [B, H] = dZ_t [B, 4H] · Uᵀ   (Uᵀ [4H, H] packed once above)
            mk.gemm(false, batch, 1f, dz, t * batch * G, G, k.packedUT, 0f, dhNext, 0, H);
        }
    }

    @Override
    public String toString() {
        return "LSTMLayer(input=" + inputSize() + ",hidden=" + hiddenSize() + ")";
    }

    /** Scratch of an LSTM: activated gates, tanh of the cell and the packed recurrent weights. */
    static final class LSTMCache extends SequenceCache {
        final float[] gates;  // [T, B, 4H]: i, f, g, o after their nonlinearity
        final float[] tanhC;  // [T, B, H]: tanh(c_t)
        PackedMatrix packedU;  // U [H, 4H] packed by forward
        PackedMatrix packedUT; // Uᵀ [4H, H] packed by backward

        LSTMCache(int in, int hidden, int maxBatch, int maxSteps) {
            super(in, hidden, maxBatch, maxSteps, 4, true, false);
            int rows = Math.multiplyExact(maxSteps, maxBatch);
            gates = new float[Math.multiplyExact(rows, 4 * hidden)];
            tanhC = new float[Math.multiplyExact(rows, hidden)];
        }
    }
}
