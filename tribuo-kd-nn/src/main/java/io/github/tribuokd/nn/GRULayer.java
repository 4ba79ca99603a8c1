package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.SplittableRandom;

/**
 * A gated recurrent unit layer (Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for
 * Statistical Machine Translation", EMNLP 2014), in PyTorch's formulation ({@code torch.nn.GRU}, which is also
 * ONNX's GRU with {@code linear_before_reset = 1}), one of the Long-Term Accumulator's choices (seed 002, eq. (5)).
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
 * at once.
 */
public final class GRULayer implements RecurrentLayer {

    private static final String NAME = "GRULayer";

    private final int in;
    private final int hidden;
    private float[] params;
    private int offset;

    /**
     * Creates a GRU layer.
     * @param inputSize The number of input features per step.
     * @param hiddenSize The hidden width H.
     */
    public GRULayer(int inputSize, int hiddenSize) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("GRU sizes must be positive, found input " + inputSize + ", hidden "
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
     * A GRU carries only h.
     * @return False.
     */
    @Override
    public boolean hasCellState() {
        return false;
    }

    /**
     * {@code input·3H + H·3H + 3H + 3H}.
     * @return The parameter count.
     */
    @Override
    public int numParameters() {
        return 3 * hidden * (in + hidden + 2);
    }

    @Override
    public void bind(float[] parameters, int offset) {
        if (offset < 0 || parameters.length - offset < numParameters()) {
            throw new IllegalArgumentException("A GRU of " + numParameters() + " parameters does not fit at offset "
                    + offset + " of a buffer of length " + parameters.length);
        }
        this.params = parameters;
        this.offset = offset;
    }

    /**
     * Offset of the input weights {@code W [input, 3H]} (gate blocks r, z, n) in the flat buffer.
     * @return The offset.
     */
    public int inputWeightOffset() {
        return offset;
    }

    /**
     * Offset of the recurrent weights {@code U [H, 3H]} (gate blocks r, z, n) in the flat buffer.
     * @return The offset.
     */
    public int recurrentWeightOffset() {
        return offset + in * 3 * hidden;
    }

    /**
     * Offset of the input bias {@code b_x [3H]} (blocks r, z, n) in the flat buffer.
     * @return The offset.
     */
    public int inputBiasOffset() {
        return offset + (in + hidden) * 3 * hidden;
    }

    /**
     * Offset of the recurrent bias {@code b_h [3H]} (blocks r, z, n) in the flat buffer.
     * @return The offset.
     */
    public int recurrentBiasOffset() {
        return inputBiasOffset() + 3 * hidden;
    }

    /**
     * W and U uniform in ±1/sqrt(H) (W first, then U, row-major); both biases zero.
     * @param rng The random source.
     */
    @Override
    public void initialise(SplittableRandom rng) {
        double limit = 1.0 / Math.sqrt(hidden);
        int w = inputWeightOffset();
        int nWeights = (in + hidden) * 3 * hidden; // W and U are contiguous
        for (int i = 0; i < nWeights; i++) {
            params[w + i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * limit);
        }
        java.util.Arrays.fill(params, inputBiasOffset(), inputBiasOffset() + 6 * hidden, 0f);
    }

    @Override
    public Cache newCache(int maxBatch, int maxSteps) {
        return new GRUCache(in, hidden, maxBatch, maxSteps);
    }

    private GRUCache cast(Cache cache) {
        if (!(cache instanceof GRUCache)) {
            throw new IllegalArgumentException("A GRULayer needs a cache from GRULayer.newCache, found "
                    + (cache == null ? "null" : cache.getClass().getName()));
        }
        cache.checkOwner(in, hidden, NAME);
        return (GRUCache) cache;
    }

    // x [T, B, I], h_0 [B, H] -> hOut [T, B, H]; keeps x, r/z/n, h_{t−1}·U_n + b_hn and h_t in the cache.
    @Override
    public void forward(float[] x, int batch, int steps, RecurrentState initial, float[] hOut, Cache cache) {
        final GRUCache k = cast(cache);
        k.beginForward(x, batch, steps, initial, hOut);
        final int H = hidden;
        final int G = 3 * H;
        final int rows = steps * batch;
        final int bh = batch * H;
        final float[] p = params;
        final float[] gates = k.gates;
        final float[] gh = k.ghStep;
        final MatrixKernels mk = Kernels.get();
        System.arraycopy(x, 0, k.x, 0, rows * in);

        // A_x [T·B, 3H] = X [T·B, I] · W [I, 3H] + b_x
        mk.gemm(false, false, rows, G, in, 1f, k.x, 0, in, p, inputWeightOffset(), G, 0f, gates, 0, G);
        final int bxo = inputBiasOffset();
        for (int r = 0; r < rows; r++) {
            int ar = r * G;
            for (int j = 0; j < G; j++) {
                gates[ar + j] += p[bxo + j];
            }
        }
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
        if (hOut != null) {
            System.arraycopy(k.h, bh, hOut, 0, rows * H);
        }
    }

    @Override
    public void copyFinalState(Cache cache, int batch, RecurrentState dst) {
        cast(cache).copyFinal(batch, dst);
    }

    // dH [T, B, H], dh_T [B, H] -> dX [T, B, I], dW, dU, db_x, db_h (added), dh_0 [B, H]
    @Override
    public void backward(float[] dH, RecurrentState dFinal, int batch, int steps, Cache cache, float[] dX,
                         float[] gradients, RecurrentState dInitial) {
        final GRUCache k = cast(cache);
        k.checkAfterForward(batch, steps);
        k.checkBackwardArrays(dH, dX);
        if (dFinal != null) {
            dFinal.checkShape(batch, hidden, false, "dFinal");
        }
        if (dInitial != null) {
            dInitial.checkShape(batch, hidden, false, "dInitial");
        }
        final int H = hidden;
        final int G = 3 * H;
        final int rows = steps * batch;
        final int bh = batch * H;
        final float[] p = params;
        final float[] gates = k.gates;
        final float[] dAx = k.dAx;       // dLoss/d(x·W + b_x)        [T, B, 3H]
        final float[] dAh = k.dAh;       // dLoss/d(h_{t−1}·U + b_h)  [T, B, 3H]
        final float[] dhNext = k.dhNext; // dLoss/dh_t flowing back from step t + 1 [B, H]
        final MatrixKernels mk = Kernels.get();
        final int uo = recurrentWeightOffset();
        if (dFinal == null) {
            java.util.Arrays.fill(dhNext, 0, bh, 0f);
        } else {
            System.arraycopy(dFinal.h(), 0, dhNext, 0, bh);
        }
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
        // dU [H, 3H] += H_prevᵀ · dA_h over all steps (H_prev = blocks 0..T−1 of k.h, [T·B, H])
        mk.gemm(true, false, H, G, rows, 1f, k.h, 0, H, dAh, 0, G, 1f, gradients, uo, G);
        // dW [I, 3H] += Xᵀ · dA_x
        mk.gemm(true, false, in, G, rows, 1f, k.x, 0, in, dAx, 0, G, 1f, gradients, inputWeightOffset(), G);
        // db_x += Σ_rows dA_x ; db_h += Σ_rows dA_h
        final int bxo = inputBiasOffset();
        final int bho = recurrentBiasOffset();
        for (int r = 0; r < rows; r++) {
            int ar = r * G;
            for (int j = 0; j < G; j++) {
                gradients[bxo + j] += dAx[ar + j];
                gradients[bho + j] += dAh[ar + j];
            }
        }
        // dX [T·B, I] = dA_x · Wᵀ   (W stored [I, 3H])
        if (dX != null) {
            mk.gemm(false, true, rows, in, G, 1f, dAx, 0, G, p, inputWeightOffset(), G, 0f, dX, 0, in);
        }
        if (dInitial != null) {
            System.arraycopy(dhNext, 0, dInitial.h(), 0, bh);
        }
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    @Override
    public String toString() {
        return "GRULayer(input=" + in + ",hidden=" + hidden + ")";
    }

    /** Scratch of a GRU: inputs, activated gates, the recurrent part of n, and the gradients. */
    private static final class GRUCache extends Cache {
        final float[] x;      // [T, B, I]
        final float[] gates;  // [T, B, 3H]: r, z, n after their nonlinearity
        final float[] hn;     // [T, B, H]: h_{t−1}·U_n + b_hn
        final float[] ghStep; // [B, 3H]: h_{t−1}·U + b_h of the current step
        final float[] dAx;    // [T, B, 3H]
        final float[] dAh;    // [T, B, 3H]
        final float[] dhNext; // [B, H]

        GRUCache(int in, int hidden, int maxBatch, int maxSteps) {
            super(in, hidden, maxBatch, maxSteps, false);
            int rows = Math.multiplyExact(maxSteps, maxBatch);
            x = new float[Math.multiplyExact(rows, in)];
            gates = new float[Math.multiplyExact(rows, 3 * hidden)];
            hn = new float[Math.multiplyExact(rows, hidden)];
            ghStep = new float[maxBatch * 3 * hidden];
            dAx = new float[gates.length];
            dAh = new float[gates.length];
            dhNext = new float[maxBatch * hidden];
        }
    }
}
