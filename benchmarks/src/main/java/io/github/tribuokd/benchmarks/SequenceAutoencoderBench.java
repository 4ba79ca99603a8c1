package io.github.tribuokd.benchmarks;

import io.github.tribuokd.nn.LSTMLayer;

/**
 * One side of the LSTM encoder-decoder autoencoder benchmark (Malhotra et al. 2016, seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)), so that the runner
 * times every implementation the same way.
 * <p>
 * <b>The model every implementation must build</b> (batch-major windows {@code x [batch, window, features]}):
 * <ul>
 *     <li>encoder: LSTM {@code features → hidden}, zero initial state, run over {@code x}; keep its final
 *     {@code (h_T, c_T)};</li>
 *     <li>decoder: LSTM {@code features → hidden} with initial state {@code (h_T, c_T)}, run with teacher forcing
 *     over the reversed window shifted right by one step ({@code in_0 = 0}, {@code in_t = x_{T−t}} for t ≥ 1);</li>
 *     <li>output: linear {@code hidden → features} on every decoder output; the target is the reversed window
 *     {@code x_{T−1−t}};</li>
 *     <li>loss: mean squared error over every element; optimiser Adam (lr 1e-3, β 0.9/0.999, ε 1e-8); one Adam step
 *     per batch.</li>
 * </ul>
 * With PyTorch's two bias vectors per LSTM the parameter count is {@code 2·4H(features + H + 2) + H·features +
 * features}: 1,117,286 for H = 352 and 55,718 for H = 64 with 38 features. An LSTM with one bias vector (the
 * engine's {@code LSTMLayer}) has {@code 2·4H} fewer, the same function.
 * <p>
 * Batches are taken in order from the windows given to {@link #setUp}, wrapping around. Inference is the same
 * forward pass (teacher forcing) without gradients, returning the reconstruction error.
 */
public interface SequenceAutoencoderBench extends AutoCloseable {

    /**
     * A short name for the results table.
     * @return The name.
     */
    String name();

    /**
     * Builds the model and takes the data.
     * @param features Variables per time step.
     * @param window Time steps per window.
     * @param hidden LSTM hidden size H.
     * @param batch Windows per batch.
     * @param windows {@code [numWindows, window, features]} batch-major.
     * @param numWindows Number of windows (at least {@code batch}).
     * @param seed Initialisation seed.
     * @param threads Threads the implementation may use (where it has a per-call setting).
     * @throws Exception If the implementation cannot start.
     */
    void setUp(int features, int window, int hidden, int batch, float[] windows, int numWindows, long seed,
               int threads) throws Exception;

    /**
     * The number of trainable parameters.
     * @return The count.
     */
    long numParameters();

    /**
     * Trains on the next {@code count} batches, one Adam step each.
     * @param count Batches.
     * @return The mean training loss of those batches.
     * @throws Exception On failure.
     */
    double trainBatches(int count) throws Exception;

    /**
     * Reconstructs the next {@code count} batches (teacher forcing, no gradients).
     * @param count Batches.
     * @return The mean reconstruction MSE of those batches.
     * @throws Exception On failure.
     */
    double inferBatches(int count) throws Exception;

    /**
     * Training throughput: {@code warmup} untimed batches, then the median of {@code reps} timed runs of
     * {@code batchesPerRep} batches.
     * @param batch Windows per batch (as given to {@link #setUp}).
     * @param warmup Untimed batches.
     * @param reps Timed repetitions.
     * @param batchesPerRep Batches per repetition.
     * @return The timing; windows/s = batch · batchesPerRep / median seconds.
     */
    default Bench.Timing timeTraining(int batch, int warmup, int reps, int batchesPerRep) {
        return Bench.time(warmup > 0 ? 1 : 0, reps, new Bench.Work() {
            private boolean warmed = warmup == 0;

            @Override
            public void run() throws Exception {
                if (!warmed) {
                    warmed = true;
                    Bench.consume(trainBatches(warmup));
                } else {
                    Bench.consume(trainBatches(batchesPerRep));
                }
            }
        });
    }

    /**
     * Inference throughput, as {@link #timeTraining}.
     * @param batch Windows per batch.
     * @param warmup Untimed batches.
     * @param reps Timed repetitions.
     * @param batchesPerRep Batches per repetition.
     * @return The timing.
     */
    default Bench.Timing timeInference(int batch, int warmup, int reps, int batchesPerRep) {
        return Bench.time(warmup > 0 ? 1 : 0, reps, new Bench.Work() {
            private boolean warmed = warmup == 0;

            @Override
            public void run() throws Exception {
                if (!warmed) {
                    warmed = true;
                    Bench.consume(inferBatches(warmup));
                } else {
                    Bench.consume(inferBatches(batchesPerRep));
                }
            }
        });
    }

    /**
     * Training throughput in windows per second.
     * @param batch Windows per batch.
     * @param warmup Untimed batches.
     * @param reps Timed repetitions.
     * @param batchesPerRep Batches per repetition.
     * @return Windows/s (median).
     */
    default double trainWindowsPerSecond(int batch, int warmup, int reps, int batchesPerRep) {
        return (double) batch * batchesPerRep / timeTraining(batch, warmup, reps, batchesPerRep).medianSeconds();
    }

    /**
     * Inference throughput in windows per second.
     * @param batch Windows per batch.
     * @param warmup Untimed batches.
     * @param reps Timed repetitions.
     * @param batchesPerRep Batches per repetition.
     * @return Windows/s (median).
     */
    default double inferWindowsPerSecond(int batch, int warmup, int reps, int batchesPerRep) {
        return (double) batch * batchesPerRep / timeInference(batch, warmup, reps, batchesPerRep).medianSeconds();
    }

    @Override
    void close();
}
