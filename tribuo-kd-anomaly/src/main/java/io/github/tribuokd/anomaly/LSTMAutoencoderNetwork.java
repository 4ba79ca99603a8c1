package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.FlatParameters;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.DenseLayer;
import io.github.tribuokd.nn.LSTMLayer;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.RecurrentState;
import io.github.tribuokd.nn.SequenceOps;
import io.github.tribuokd.nn.kernels.GradientShard;
import io.github.tribuokd.nn.kernels.ParallelScorer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The LSTM encoder-decoder autoencoder of Malhotra et al. 2016 ("LSTM-based encoder-decoder for multi-sensor
 * anomaly detection"), the teacher of seed 000.
 * <p>
 * An encoder LSTM reads the window {@code x_1..x_L}; its final state (h, c) initialises a decoder LSTM that
 * reconstructs the window <b>in reverse order</b>, {@code x'_L..x'_1}, through a linear output layer applied at
 * every step. Decoder inputs use <b>teacher forcing</b> (training and the reconstruction of
 * {@link #reconstruct}): at step t the decoder reads the true value of the previous output step (the reversed
 * window shifted right by one, zeros at step 0). Loss: MSE over every reconstructed value.
 * <p>
 * Parameters, in one flat buffer: encoder LSTM [{@code 4H(D+H+1)}], decoder LSTM [{@code 4H(D+H+1)}], output layer
 * [{@code H·D + D}] (one bias vector per LSTM; PyTorch's {@code nn.LSTM} keeps two, {@code b_ih} and
 * {@code b_hh}, which add {@code 4H} redundant parameters per LSTM). Windows are given batch-major
 * {@code [batch, steps, variables]} (the layout of {@code SlidingWindows} examples) and processed time-major.
 */
public final class LSTMAutoencoderNetwork implements FlatParameters {

    private final int variables;
    private final int hidden;
    private final LSTMLayer encoder;
    private final LSTMLayer decoder;
    private final DenseLayer output;
    private final float[] parameters;

    /**
     * Creates the network with zero parameters; call {@link #initialise}.
     * @param variables D, the number of variables per time step.
     * @param hidden H, the LSTM state size.
     */
    public LSTMAutoencoderNetwork(int variables, int hidden) {
        if (variables < 1 || hidden < 1) {
            throw new IllegalArgumentException("variables and hidden must be positive, found " + variables + ", "
                    + hidden);
        }
        this.variables = variables;
        this.hidden = hidden;
        this.encoder = new LSTMLayer(variables, hidden);
        this.decoder = new LSTMLayer(variables, hidden);
        this.output = new DenseLayer(hidden, variables, Activation.IDENTITY);
        this.parameters = new float[encoder.numParameters() + decoder.numParameters() + output.numParameters()];
        encoder.bind(parameters, 0);
        decoder.bind(parameters, encoder.numParameters());
        output.bind(parameters, encoder.numParameters() + decoder.numParameters());
    }

    /**
     * Initialises encoder, decoder and output layer in that order.
     * @param rng The random source.
     */
    public void initialise(SplittableRandom rng) {
        encoder.initialise(rng);
        decoder.initialise(rng);
        output.initialise(rng);
    }

    /** @return D, the variables per step. */
    public int variables() {
        return variables;
    }

    /** @return H, the LSTM state size. */
    public int hidden() {
        return hidden;
    }

    /**
     * The encoder LSTM, bound to {@link #parameters()} (read-only use: export reads its offsets).
     * @return The encoder layer.
     */
    public LSTMLayer encoder() {
        return encoder;
    }

    /**
     * The decoder LSTM, bound to {@link #parameters()} (read-only use: export reads its offsets).
     * @return The decoder layer.
     */
    public LSTMLayer decoder() {
        return decoder;
    }

    /**
     * The linear output layer {@code [H → D]}, bound to {@link #parameters()} (read-only use: export reads its
     * offsets).
     * @return The output layer.
     */
    public DenseLayer outputLayer() {
        return output;
    }

    /** @return The live flat parameter buffer. */
    @Override
    public float[] parameters() {
        return parameters;
    }

    /**
     * A deep copy.
     * @return A network with the same parameters.
     */
    public LSTMAutoencoderNetwork copy() {
        LSTMAutoencoderNetwork c = new LSTMAutoencoderNetwork(variables, hidden);
        System.arraycopy(parameters, 0, c.parameters, 0, parameters.length);
        return c;
    }

    /**
     * Scratch memory for batches of up to {@code maxBatch} windows of {@code steps} steps.
     * @param maxBatch The largest batch.
     * @param steps The window length L.
     * @return A new workspace (one per thread).
     */
    public Workspace newWorkspace(int maxBatch, int steps) {
        return new Workspace(maxBatch, steps);
    }

    /**
     * Reconstructs windows (teacher forcing), writing them back in their original order.
     * @param windows Batch-major windows {@code [.., steps, variables]}.
     * @param offset The first element of the first window.
     * @param batch The number of windows.
     * @param ws Scratch memory.
     * @param reconstruction Receives {@code [batch, steps, variables]} batch-major, original time order.
     */
    public void reconstruct(float[] windows, int offset, int batch, Workspace ws, float[] reconstruction) {
        forward(windows, offset, batch, ws);
        int t = ws.steps;
        // ws.out is [steps (reversed), batch, D]: reverse back, then to batch-major.
        SequenceOps.reverseTime(ws.out, t, batch, variables, ws.scratch);
        SequenceOps.timeMajorToBatchMajor(ws.scratch, t, batch, variables, reconstruction);
    }

    /**
     * The mean squared reconstruction error of each window.
     * @param windows Batch-major windows.
     * @param offset The first element of the first window.
     * @param batch The number of windows.
     * @param ws Scratch memory.
     * @param scores Receives {@code batch} errors.
     */
    public void reconstructionErrors(float[] windows, int offset, int batch, Workspace ws, double[] scores) {
        forward(windows, offset, batch, ws);
        int t = ws.steps;
        int d = variables;
        Arrays.fill(scores, 0, batch, 0.0);
        for (int s = 0; s < t; s++) {
            for (int b = 0; b < batch; b++) {
                int o = (s * batch + b) * d;
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    double e = ws.out[o + j] - ws.target[o + j];
                    sum += e * e;
                }
                scores[b] += sum;
            }
        }
        for (int b = 0; b < batch; b++) {
            scores[b] /= (double) t * d;
        }
    }

    /**
     * Reconstruction errors of many windows on several threads (bit-identical to one thread: windows are
     * independent).
     * @param windows Batch-major windows {@code [n, steps, variables]}.
     * @param n The number of windows.
     * @param steps The window length.
     * @param batch Windows per forward pass.
     * @param threads The number of threads.
     * @param scores Receives n errors.
     */
    public void reconstructionErrors(float[] windows, int n, int steps, int batch, int threads, double[] scores) {
        try (ParallelScorer<Workspace> scorer = new ParallelScorer<>(threads, batch, () -> newWorkspace(batch, steps))) {
            reconstructionErrors(windows, n, steps, scorer, scores);
        }
    }

    /**
     * Reconstruction errors of many windows with a reusable {@link ParallelScorer} (whose scratch are workspaces
     * of this network).
     * @param windows Batch-major windows {@code [n, steps, variables]}.
     * @param n The number of windows.
     * @param steps The window length.
     * @param scorer The scorer.
     * @param scores Receives n errors.
     */
    public void reconstructionErrors(float[] windows, int n, int steps, ParallelScorer<Workspace> scorer,
                                     double[] scores) {
        int w = steps * variables;
        scorer.score(n, (ws, from, to, out) -> {
            double[] local = ws.errors;
            reconstructionErrors(windows, from * w, to - from, ws, local);
            System.arraycopy(local, 0, out, from, to - from);
        }, scores);
    }

    /**
     * Free-running reconstruction (Malhotra et al., inference): the decoder starts from the encoder's final state
     * with a zero input, and at every later step reads its own previous output instead of the true value. Writes the
     * per-point absolute errors {@code e_t = |x_t − x'_t|} (seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md), eq. 1's input) and returns nothing else.
     * @param windows Batch-major windows {@code [.., steps, variables]}.
     * @param offset The first element of the first window.
     * @param batch The number of windows.
     * @param ws Scratch memory.
     * @param errors Receives {@code [batch, steps, variables]} batch-major, original time order: {@code |x − x'|}.
     */
    public void freeRunningErrors(float[] windows, int offset, int batch, Workspace ws, float[] errors) {
        int t = ws.steps;
        int d = variables;
        if (batch < 1 || batch > ws.maxBatch) {
            throw new IllegalArgumentException("Batch of " + batch + " windows does not fit a workspace of "
                    + ws.maxBatch);
        }
        System.arraycopy(windows, offset, ws.scratch, 0, batch * t * d);
        SequenceOps.batchMajorToTimeMajor(ws.scratch, batch, t, d, ws.x);
        SequenceOps.reverseTime(ws.x, t, batch, d, ws.target);
        encoder.forward(ws.x, batch, t, null, null, ws.encoderCache);
        RecurrentState state = ws.encoderState(batch);
        encoder.copyFinalState(ws.encoderCache, batch, state);
        int bd = batch * d;
        Arrays.fill(ws.decoderInput, 0, bd, 0f);
        for (int s = 0; s < t; s++) {
            // one decoder step from (input, state) -> h [B, H] -> output [B, D], which is the next step's input
            decoder.forward(ws.decoderInput, batch, 1, state, ws.decoderHidden, ws.stepCache);
            decoder.copyFinalState(ws.stepCache, batch, state);
            output.forward(ws.decoderHidden, ws.decoderInput, batch);
            System.arraycopy(ws.decoderInput, 0, ws.out, s * bd, bd);
        }
        for (int i = 0; i < t * bd; i++) {
            ws.out[i] = Math.abs(ws.out[i] - ws.target[i]);
        }
        // ws.out holds |x' − x| in reversed time, time-major: back to original order, batch-major
        SequenceOps.reverseTime(ws.out, t, batch, d, ws.scratch);
        SequenceOps.timeMajorToBatchMajor(ws.scratch, t, batch, d, errors);
    }

    // windows [B, L, D] batch-major -> x [L, B, D], target = reverse(x), decoder input = shiftRight(target),
    // encoder(x) -> (h, c); decoder(decIn | h, c) -> hDec [L, B, H]; out = hDec · W + b  [L·B, D]
    private void forward(float[] windows, int offset, int batch, Workspace ws) {
        int t = ws.steps;
        int d = variables;
        if (batch < 1 || batch > ws.maxBatch) {
            throw new IllegalArgumentException("Batch of " + batch + " windows does not fit a workspace of "
                    + ws.maxBatch);
        }
        System.arraycopy(windows, offset, ws.scratch, 0, batch * t * d);
        SequenceOps.batchMajorToTimeMajor(ws.scratch, batch, t, d, ws.x);
        SequenceOps.reverseTime(ws.x, t, batch, d, ws.target);
        SequenceOps.shiftRight(ws.target, t, batch, d, ws.decoderInput);
        encoder.forward(ws.x, batch, t, null, null, ws.encoderCache);
        encoder.copyFinalState(ws.encoderCache, batch, ws.encoderState(batch));
        decoder.forward(ws.decoderInput, batch, t, ws.encoderState(batch), ws.decoderHidden, ws.decoderCache);
        output.forward(ws.decoderHidden, ws.out, t * batch);
    }

    /**
     * A training shard over a fixed set of windows (for {@link MinibatchTraining#train(float[],
     * java.util.function.IntFunction, int, int, Optimiser, int, int, SplittableRandom, String, int)}).
     * @param windows All training windows, batch-major {@code [n, steps, variables]}.
     * @param steps The window length.
     * @param capacity The most windows per shard.
     * @return A new shard.
     */
    public GradientShard newShard(float[] windows, int steps, int capacity) {
        return new Shard(windows, null, steps, capacity, 0f, 1f);
    }

    /**
     * A training shard for reconstruction distillation (seed 000): the loss is
     * {@code (1 − α)·MSE(X_S, X) + α·MSE(X_S/T, X_T/T) = (1 − α)·MSE(X_S, X) + (α/T²)·MSE(X_S, X_T)}, with X the
     * window, X_S this network's reconstruction and X_T the teacher's (all reversed, as the decoder emits them).
     * @param windows All training windows, batch-major {@code [n, steps, variables]}.
     * @param teacherReconstructions The teacher's reconstructions of the same windows, same layout and order.
     * @param steps The window length.
     * @param capacity The most windows per shard.
     * @param alpha α in [0, 1]: the weight of the teacher's reconstruction.
     * @param temperature T &gt; 0.
     * @return A new shard.
     */
    public GradientShard newDistillationShard(float[] windows, float[] teacherReconstructions, int steps,
                                              int capacity, float alpha, float temperature) {
        if (!(alpha >= 0 && alpha <= 1) || !(temperature > 0)) {
            throw new IllegalArgumentException("alpha must be in [0, 1] and temperature positive, found " + alpha
                    + ", " + temperature);
        }
        if (teacherReconstructions.length < windows.length) {
            throw new IllegalArgumentException("teacher reconstructions (" + teacherReconstructions.length
                    + " values) do not cover the windows (" + windows.length + ")");
        }
        return new Shard(windows, teacherReconstructions, steps, capacity, alpha, temperature);
    }

    /** Per-thread scratch: every buffer of one forward and backward pass. */
    public final class Workspace {
        final int maxBatch;
        final int steps;
        final float[] scratch;
        final float[] x;
        final float[] target;
        final float[] decoderInput;
        final float[] decoderHidden;
        final float[] out;
        final float[] dOut;
        final float[] dDecoderHidden;
        final double[] errors;
        final RecurrentLayer.Cache encoderCache;
        final RecurrentLayer.Cache decoderCache;
        final RecurrentLayer.Cache stepCache;
        private final RecurrentState[] states;
        private final RecurrentState[] dStates;

        private Workspace(int maxBatch, int steps) {
            if (maxBatch < 1 || steps < 1) {
                throw new IllegalArgumentException("maxBatch and steps must be positive, found " + maxBatch + ", "
                        + steps);
            }
            this.maxBatch = maxBatch;
            this.steps = steps;
            int td = maxBatch * steps * variables;
            scratch = new float[td];
            x = new float[td];
            target = new float[td];
            decoderInput = new float[td];
            out = new float[td];
            dOut = new float[td];
            decoderHidden = new float[maxBatch * steps * hidden];
            dDecoderHidden = new float[maxBatch * steps * hidden];
            errors = new double[maxBatch];
            encoderCache = encoder.newCache(maxBatch, steps);
            decoderCache = decoder.newCache(maxBatch, steps);
            stepCache = decoder.newCache(maxBatch, 1);
            states = new RecurrentState[maxBatch + 1];
            dStates = new RecurrentState[maxBatch + 1];
        }

        /** A state object of exactly {@code batch} rows (made once per batch size, then reused). */
        RecurrentState encoderState(int batch) {
            if (states[batch] == null) {
                states[batch] = new RecurrentState(batch, hidden, true);
            }
            return states[batch];
        }

        RecurrentState encoderStateGradient(int batch) {
            if (dStates[batch] == null) {
                dStates[batch] = new RecurrentState(batch, hidden, true);
            }
            return dStates[batch];
        }
    }

    private final class Shard implements GradientShard {
        private final float[] windows;
        private final float[] soft;
        private final int steps;
        private final Workspace ws;
        private final float[] rows;
        private final float[] softRows;
        private final float[] softTarget;
        private final float[] grads = new float[parameters.length];
        private final float alpha;
        private final float softWeight;

        Shard(float[] windows, float[] soft, int steps, int capacity, float alpha, float temperature) {
            this.windows = windows;
            this.soft = soft;
            this.steps = steps;
            this.ws = new Workspace(capacity, steps);
            this.rows = new float[capacity * steps * variables];
            this.softRows = soft == null ? null : new float[capacity * steps * variables];
            this.softTarget = soft == null ? null : new float[capacity * steps * variables];
            this.alpha = alpha;
            this.softWeight = alpha / (temperature * temperature);
        }

        @Override
        public float[] gradients() {
            return grads;
        }

        @Override
        public double compute(int[] order, int from, int to, int batchSize) {
            Arrays.fill(grads, 0f);
            int batch = to - from;
            if (batch == 0) {
                return 0.0;
            }
            int w = steps * variables;
            for (int r = 0; r < batch; r++) {
                System.arraycopy(windows, order[from + r] * w, rows, r * w, w);
            }
            forward(rows, 0, batch, ws);
            int n = batch * w;
            double loss = LossFunction.MSE.lossAndGradient(ws.out, ws.target, ws.dOut, n, batchSize * w);
            if (soft != null) {
                // the teacher's reconstructions in the decoder's layout: time-major, reversed
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(soft, order[from + r] * w, softRows, r * w, w);
                }
                SequenceOps.batchMajorToTimeMajor(softRows, batch, steps, variables, ws.scratch);
                SequenceOps.reverseTime(ws.scratch, steps, batch, variables, softTarget);
                float inv = 2f / (batchSize * w);
                double softLoss = 0;
                for (int i = 0; i < n; i++) {
                    float d = ws.out[i] - softTarget[i];
                    softLoss += (double) d * d;
                    ws.dOut[i] = (1f - alpha) * ws.dOut[i] + softWeight * d * inv;
                }
                loss = (1 - alpha) * loss + softWeight * softLoss;
            }
            // out = hDec · W + b  ->  dW, db, dHdec
            output.backward(ws.decoderHidden, ws.out, ws.dOut, ws.dDecoderHidden, grads, steps * batch);
            RecurrentState dEncoderFinal = ws.encoderStateGradient(batch);
            decoder.backward(ws.dDecoderHidden, null, batch, steps, ws.decoderCache, null, grads, dEncoderFinal);
            encoder.backward(null, dEncoderFinal, batch, steps, ws.encoderCache, null, grads, null);
            return loss;
        }
    }
}
