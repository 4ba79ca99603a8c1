package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.FlatParameters;
import io.github.tribuokd.nn.GRULayer;
import io.github.tribuokd.nn.LSTMLayer;
import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.RecurrentState;
import io.github.tribuokd.nn.SimpleRNNLayer;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The Long-Term Accumulator of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) (§3.2, eqs. 5–7): a recurrent encoder that reads the series point by
 * point with its state carried from window to window ({@code h_t = LTA(h_{t−1}, x_t)}, eq. 5, or
 * {@code (h_t, c_t) = LTA((h_{t−1}, c_{t−1}), x_t)} for an LSTM, eq. 6) and produces the Long-Term Summary (LTS),
 * which becomes a signature matrix {@code β_t} added to the student's own: {@code S_t = M_t + β_t} (eq. 7).
 * <p>
 * <b>From a summary to an n×n matrix.</b> The seed gives the LTS length (10) but not how a length-10 summary
 * becomes an n×n matrix. Here the LTS is a block of {@code m} (default 10) pseudo time points for each of the
 * {@code n} variables, {@code B_t = reshape(W_h·h_t + b_h) ∈ R^{n×m}}, and {@code β_t} is the signature matrix of
 * that block with {@code ℓ = m}, exactly eq. 1 applied to it: {@code β_t = B_t B_tᵀ / m}. So β_t is a symmetric
 * positive semi-definite matrix like every signature matrix, in the same units (products of two values), and it
 * is added to every scale's matrix. The head is initialised small so that {@code β ≈ 0} at the start and the
 * student begins from its own input.
 * <p>
 * Layout: points {@code [steps, n]} (one sequence, batch 1), hidden states {@code [steps, H]}. Parameters: the
 * recurrent cell's, then {@code W_h [H, n·m]}, {@code b_h [n·m]}.
 */
public final class LongTermAccumulator implements FlatParameters {

    /** The recurrent cell of the accumulator (the seed compares all three). */
    public enum Cell {
        /** Elman RNN (eq. 5). */
        RNN,
        /** LSTM with a cell state (eq. 6). */
        LSTM,
        /** GRU (eq. 5). */
        GRU;

        /**
         * Parses a name case-insensitively.
         * @param s The name.
         * @return The cell.
         */
        public static Cell parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown LTA cell '" + s + "'; expected RNN, LSTM or GRU");
            }
        }
    }

    private final Cell cell;
    private final int numVariables;
    private final int hidden;
    private final int summaryLength;
    private final RecurrentLayer recurrent;
    private final float[] parameters;
    private final int headOffset;

    /**
     * Creates an accumulator with zeroed parameters.
     * @param cell The recurrent cell.
     * @param numVariables n, the variables per point.
     * @param hidden H, the recurrent state width.
     * @param summaryLength m, the LTS length (10 in the seed).
     */
    public LongTermAccumulator(Cell cell, int numVariables, int hidden, int summaryLength) {
        if (numVariables < 1 || hidden < 1 || summaryLength < 1) {
            throw new IllegalArgumentException("numVariables, hidden and summaryLength must be positive, found "
                    + numVariables + ", " + hidden + ", " + summaryLength);
        }
        this.cell = cell;
        this.numVariables = numVariables;
        this.hidden = hidden;
        this.summaryLength = summaryLength;
        switch (cell) {
            case RNN: recurrent = new SimpleRNNLayer(numVariables, hidden); break;
            case LSTM: recurrent = new LSTMLayer(numVariables, hidden); break;
            case GRU: default: recurrent = new GRULayer(numVariables, hidden); break;
        }
        this.headOffset = recurrent.numParameters();
        this.parameters = new float[headOffset + hidden * numVariables * summaryLength
                + numVariables * summaryLength];
        recurrent.bind(parameters, 0);
    }

    /**
     * Initialises the cell as the recurrent layer does and the head uniformly in ±0.1/√H (biases 0), so that the
     * first summaries are small.
     * @param rng The random source.
     */
    public void initialise(SplittableRandom rng) {
        recurrent.initialise(rng);
        int nm = numVariables * summaryLength;
        double limit = 0.1 / Math.sqrt(hidden);
        for (int i = 0; i < hidden * nm; i++) {
            parameters[headOffset + i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
        Arrays.fill(parameters, headOffset + hidden * nm, parameters.length, 0f);
    }

    /**
     * The cell.
     * @return The cell.
     */
    public Cell cell() {
        return cell;
    }

    /**
     * n.
     * @return The variables per point.
     */
    public int numVariables() {
        return numVariables;
    }

    /**
     * H.
     * @return The hidden width.
     */
    public int hidden() {
        return hidden;
    }

    /**
     * m.
     * @return The LTS length.
     */
    public int summaryLength() {
        return summaryLength;
    }

    /**
     * The recurrent cell's layer: a live view bound to {@link #parameters()} from offset 0 (its offsets index that
     * buffer), for reading its weights, e.g. to export the accumulator to ONNX. Do not rebind it.
     * @return The {@link SimpleRNNLayer}, {@link LSTMLayer} or {@link GRULayer} of {@link #cell()}.
     */
    public RecurrentLayer recurrentLayer() {
        return recurrent;
    }

    /**
     * Offset of the head's weights {@code W_h [H, n·m]} (row-major) in {@link #parameters()}.
     * @return The offset.
     */
    public int headWeightOffset() {
        return headOffset;
    }

    /**
     * Offset of the head's bias {@code b_h [n·m]} in {@link #parameters()}.
     * @return The offset.
     */
    public int headBiasOffset() {
        return headOffset + hidden * numVariables * summaryLength;
    }

    /**
     * The live parameter buffer.
     * @return The parameters.
     */
    @Override
    public float[] parameters() {
        return parameters;
    }

    /**
     * A zero state (batch 1).
     * @return The state.
     */
    public RecurrentState newState() {
        return recurrent.newState(1);
    }

    /**
     * Scratch memory for chunks of up to {@code maxSteps} points.
     * @param maxSteps The longest chunk.
     * @return The cache.
     */
    public RecurrentLayer.Cache newCache(int maxSteps) {
        return recurrent.newCache(1, maxSteps);
    }

    /**
     * Reads {@code steps} points starting from {@code state} (eq. 5/6), writes every hidden state, and leaves the
     * final state in {@code state} (the carried state of the next chunk).
     * @param points {@code [steps, n]} consecutive points.
     * @param steps The number of points.
     * @param state The state before the first point; overwritten with the state after the last.
     * @param hOut Receives {@code [steps, H]}.
     * @param cache Scratch memory (kept for {@link #backward}).
     */
    public void forward(float[] points, int steps, RecurrentState state, float[] hOut, RecurrentLayer.Cache cache) {
        recurrent.forward(points, 1, steps, state, hOut, cache);
        recurrent.copyFinalState(cache, 1, state);
    }

    /**
     * The LTS block and its signature matrix (eq. 7's β) for one hidden state.
     * @param h The hidden states.
     * @param hOffset Where {@code h_t [H]} starts.
     * @param block Receives {@code B_t [n, m]} at {@code blockOffset}.
     * @param blockOffset Offset into block.
     * @param beta Receives {@code β_t = B_t B_tᵀ / m [n, n]} at {@code betaOffset}.
     * @param betaOffset Offset into beta.
     */
    // B [n·m] = h [H] · W_h [H, n·m] + b_h ; β [n, n] = B Bᵀ / m
    public void summary(float[] h, int hOffset, float[] block, int blockOffset, float[] beta, int betaOffset) {
        int nm = numVariables * summaryLength;
        int w = headOffset;
        int b = headOffset + hidden * nm;
        for (int j = 0; j < nm; j++) {
            block[blockOffset + j] = parameters[b + j];
        }
        for (int k = 0; k < hidden; k++) {
            float hk = h[hOffset + k];
            int row = w + k * nm;
            for (int j = 0; j < nm; j++) {
                block[blockOffset + j] += hk * parameters[row + j];
            }
        }
        int m = summaryLength;
        float inv = 1f / m;
        for (int i = 0; i < numVariables; i++) {
            for (int j = i; j < numVariables; j++) {
                float s = 0f;
                for (int q = 0; q < m; q++) {
                    s += block[blockOffset + i * m + q] * block[blockOffset + j * m + q];
                }
                s *= inv;
                beta[betaOffset + i * numVariables + j] = s;
                beta[betaOffset + j * numVariables + i] = s;
            }
        }
    }

    /**
     * Back through {@link #summary}: from {@code dβ_t} to {@code dh_t} (added) and the head's gradients (added).
     * @param h The hidden states of the forward call.
     * @param hOffset Where {@code h_t} starts.
     * @param block The block {@code B_t} written by {@link #summary}.
     * @param blockOffset Its offset.
     * @param dBeta {@code dL/dβ_t [n, n]} (any matrix; only its symmetric part matters).
     * @param dBetaOffset Its offset.
     * @param dh Receives (adds) {@code dL/dh_t [H]} at {@code dhOffset}.
     * @param dhOffset Offset into dh.
     * @param gradients The gradient buffer (layout of {@link #parameters()}); the head's slice is added to.
     * @param scratch At least {@code n·m} floats.
     */
    // dB [n, m] = (dβ + dβᵀ) B / m ; dW_h += h ⊗ dB ; db_h += dB ; dh += W_h dB
    public void summaryBackward(float[] h, int hOffset, float[] block, int blockOffset, float[] dBeta,
                                int dBetaOffset, float[] dh, int dhOffset, float[] gradients, float[] scratch) {
        int n = numVariables;
        int m = summaryLength;
        int nm = n * m;
        float inv = 1f / m;
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < m; q++) {
                float s = 0f;
                for (int j = 0; j < n; j++) {
                    float sym = dBeta[dBetaOffset + i * n + j] + dBeta[dBetaOffset + j * n + i];
                    s += sym * block[blockOffset + j * m + q];
                }
                scratch[i * m + q] = s * inv;
            }
        }
        int w = headOffset;
        int b = headOffset + hidden * nm;
        for (int j = 0; j < nm; j++) {
            gradients[b + j] += scratch[j];
        }
        for (int k = 0; k < hidden; k++) {
            float hk = h[hOffset + k];
            int row = w + k * nm;
            float acc = 0f;
            for (int j = 0; j < nm; j++) {
                gradients[row + j] += hk * scratch[j];
                acc += parameters[row + j] * scratch[j];
            }
            dh[dhOffset + k] += acc;
        }
    }

    /**
     * Backpropagation through time over the chunk of the last {@link #forward} (truncated at its start: the
     * carried initial state is a constant).
     * @param dH {@code dL/dh_t [steps, H]} for the chunk's hidden states.
     * @param steps The chunk length of the forward call.
     * @param cache The forward call's cache.
     * @param gradients The gradient buffer; the cell's slice is added to.
     */
    public void backward(float[] dH, int steps, RecurrentLayer.Cache cache, float[] gradients) {
        recurrent.backward(dH, null, 1, steps, cache, null, gradients, null);
    }

    @Override
    public String toString() {
        return "LongTermAccumulator(" + cell + ", n=" + numVariables + ", H=" + hidden + ", LTS length "
                + summaryLength + ", " + numParameters() + " parameters)";
    }
}
