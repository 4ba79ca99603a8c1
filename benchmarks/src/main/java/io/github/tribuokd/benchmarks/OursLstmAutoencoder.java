package io.github.tribuokd.benchmarks;

import io.github.tribuokd.anomaly.LSTMAutoencoderNetwork;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.kernels.ParallelScorer;

import java.util.SplittableRandom;

/**
 * Our side of the LSTM autoencoder benchmark: {@link LSTMAutoencoderNetwork} (encoder LSTM 38→H, decoder LSTM 38→H
 * from the encoder's final (h, c), teacher forcing on the reversed window shifted right, linear H→38, MSE), trained
 * by {@link MinibatchTraining} with Adam 1e-3 (one step per batch; the batch's shards run on {@code threads}
 * threads, with the same result on any thread count), and scored by a {@link ParallelScorer} on {@code threads}
 * threads.
 * <p>
 * {@link #trainBatches} trains one epoch over a copy of the next {@code count} batches, so each call starts a
 * fresh Adam state: the same arithmetic per batch, a restart of the moment estimates that changes nothing about
 * the speed being measured.
 */
public final class OursLstmAutoencoder implements SequenceAutoencoderBench {

    private LSTMAutoencoderNetwork network;
    private ParallelScorer<LSTMAutoencoderNetwork.Workspace> scorer;
    private float[] windows;
    private float[] chunk;
    private double[] scores;
    private int window;
    private int batch;
    private int numWindows;
    private int threads;
    private int next;
    private SplittableRandom rng;

    @Override
    public String name() {
        return "ours (LSTMAutoencoderNetwork)";
    }

    @Override
    public void setUp(int features, int window, int hidden, int batch, float[] windows, int numWindows, long seed,
                      int threads) {
        this.window = window;
        this.batch = batch;
        this.windows = windows;
        this.numWindows = numWindows;
        this.threads = threads;
        this.rng = new SplittableRandom(seed);
        network = new LSTMAutoencoderNetwork(features, hidden);
        network.initialise(rng);
        scorer = new ParallelScorer<>(threads, batch, () -> network.newWorkspace(batch, window));
        scores = new double[numWindows];
        chunk = new float[0];
    }

    @Override
    public long numParameters() {
        return network.numParameters();
    }

    /** Copies the next {@code count} batches (wrapping around) into {@link #chunk}; returns the window count. */
    private int nextBatches(int count) {
        int w = window * network.variables();
        int n = count * batch;
        if (chunk.length < n * w) {
            chunk = new float[n * w];
        }
        for (int i = 0; i < n; i++) {
            int src = (next + i) % numWindows;
            System.arraycopy(windows, src * w, chunk, i * w, w);
        }
        next = (next + n) % numWindows;
        return n;
    }

    @Override
    public double trainBatches(int count) {
        int n = nextBatches(count);
        float[] data = chunk;
        double[] loss = MinibatchTraining.train(network.parameters(), c -> network.newShard(data, window, c), n,
                window * network.variables(), new AdamOptimiser(1e-3), 1, batch, rng, "bench", threads);
        return loss[0];
    }

    @Override
    public double inferBatches(int count) {
        int n = nextBatches(count);
        if (scores.length < n) {
            scores = new double[n];
        }
        network.reconstructionErrors(chunk, n, window, scorer, scores);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += scores[i];
        }
        return sum / n;
    }

    @Override
    public void close() {
        if (scorer != null) {
            scorer.close();
        }
    }
}
