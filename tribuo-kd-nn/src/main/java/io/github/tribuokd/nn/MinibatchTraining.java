package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.GradientShard;
import io.github.tribuokd.nn.kernels.Lanes;
import io.github.tribuokd.nn.kernels.SequentialShard;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Minibatch gradient training of a {@link FeedForwardNetwork} on in-memory float32 data, with the examples
 * reshuffled (Fisher–Yates) at the start of every epoch, on several threads.
 * <p>
 * <b>Deterministic on any number of threads.</b> Every minibatch is split into {@link #SHARDS} shards of
 * consecutive rows, always the same way; each shard's forward and backward pass writes its own gradient buffer,
 * and the buffers are added in shard order. Threads only decide which shards run at the same time, so the same
 * seed, data and settings give bit-identical weights with 1 or 2 threads (tested). The random source is consumed
 * in a fixed order.
 * <p>
 * The epochs are the engine's one loop, {@link EpochLoop}; the shards are a {@link ShardedGradient}.
 */
public final class MinibatchTraining {

    /** The number of gradient shards every minibatch is split into (the most threads that can help). */
    public static final int SHARDS = 2;

    /** The default thread count: the available processors, at most {@link #SHARDS}. */
    public static final int DEFAULT_THREADS = Math.max(1, Math.min(SHARDS, Runtime.getRuntime().availableProcessors()));

    private MinibatchTraining() { }

    /**
     * Trains the network in place on {@link #DEFAULT_THREADS} threads.
     * @param network The network, already initialised.
     * @param inputs {@code [n, network.inputSize()]} row-major.
     * @param targets {@code [n, network.outputSize()]} row-major.
     * @param n The number of examples.
     * @param loss The loss.
     * @param optimiser The optimiser (this method initialises it).
     * @param epochs The number of passes over the data.
     * @param batchSize The minibatch size (the last batch of an epoch may be smaller).
     * @param rng The random source for shuffling.
     * @param label A name for progress logging (e.g. "teacher").
     * @return The mean training loss of every epoch.
     */
    public static double[] train(FeedForwardNetwork network, float[] inputs, float[] targets, int n,
                                 LossFunction loss, Optimiser optimiser, int epochs, int batchSize,
                                 SplittableRandom rng, String label) {
        return train(network, inputs, targets, n, loss, optimiser, epochs, batchSize, rng, label, DEFAULT_THREADS);
    }

    /**
     * Trains the network in place.
     * @param network The network, already initialised.
     * @param inputs {@code [n, network.inputSize()]} row-major.
     * @param targets {@code [n, network.outputSize()]} row-major.
     * @param n The number of examples.
     * @param loss The loss.
     * @param optimiser The optimiser (this method initialises it).
     * @param epochs The number of passes over the data.
     * @param batchSize The minibatch size (the last batch of an epoch may be smaller).
     * @param rng The random source for shuffling.
     * @param label A name for progress logging (e.g. "teacher").
     * @param threads The number of threads (1 to {@link #SHARDS}; the result does not depend on it).
     * @return The mean training loss of every epoch.
     */
    public static double[] train(FeedForwardNetwork network, float[] inputs, float[] targets, int n,
                                 LossFunction loss, Optimiser optimiser, int epochs, int batchSize,
                                 SplittableRandom rng, String label, int threads) {
        int in = network.inputSize();
        int out = network.outputSize();
        if (inputs.length < (long) n * in || targets.length < (long) n * out) {
            throw new IllegalArgumentException("Training buffers too small for " + n + " examples: inputs "
                    + inputs.length + " (need " + (long) n * in + "), targets " + targets.length + " (need "
                    + (long) n * out + ")");
        }
        return train(network.parameters(), capacity -> new FeedForwardShard(network, inputs, targets, loss, capacity),
                n, out, optimiser, epochs, batchSize, rng, label, threads);
    }

    /**
     * Trains a {@link SequentialNetwork} (e.g. a convolutional autoencoder or regressor) in place.
     * @param network The network, already initialised.
     * @param inputs {@code [n, network.inputSize()]} row-major.
     * @param targets {@code [n, network.outputSize()]} row-major, or null for an autoencoder (target = input).
     * @param n The number of examples.
     * @param loss The loss.
     * @param optimiser The optimiser (this method initialises it).
     * @param epochs The number of passes over the data.
     * @param batchSize The minibatch size (the last batch of an epoch may be smaller).
     * @param rng The random source for shuffling.
     * @param label A name for progress logging.
     * @param threads The number of threads (1 to {@link #SHARDS}; the result does not depend on it).
     * @return The mean training loss per element of every epoch.
     */
    public static double[] train(SequentialNetwork network, float[] inputs, float[] targets, int n,
                                 LossFunction loss, Optimiser optimiser, int epochs, int batchSize,
                                 SplittableRandom rng, String label, int threads) {
        int in = network.inputSize();
        int out = network.outputSize();
        if (inputs.length < (long) n * in || (targets != null && targets.length < (long) n * out)) {
            throw new IllegalArgumentException("Training buffers too small for " + n + " examples of " + in
                    + " inputs and " + out + " outputs");
        }
        return train(network.parameters(), capacity -> new SequentialShard(network, inputs, targets, loss, capacity),
                n, out, optimiser, epochs, batchSize, rng, label, threads);
    }

    /**
     * Trains any model whose parameters are one flat buffer and whose gradient is computed by
     * {@link GradientShard}s (e.g. the LSTM autoencoder network of the anomaly module).
     * @param parameters The live parameter buffer, updated in place.
     * @param shardFactory Makes a shard able to hold the given number of rows.
     * @param n The number of examples.
     * @param elementsPerExample Loss elements per example (for the reported mean loss).
     * @param optimiser The optimiser (this method initialises it).
     * @param epochs The number of passes over the data.
     * @param batchSize The minibatch size.
     * @param rng The random source for shuffling.
     * @param label A name for progress logging.
     * @param threads The number of threads (1 to {@link #SHARDS}; the result does not depend on it).
     * @return The mean training loss per element of every epoch.
     */
    public static double[] train(float[] parameters, IntFunction<GradientShard> shardFactory, int n,
                                 int elementsPerExample, Optimiser optimiser, int epochs, int batchSize,
                                 SplittableRandom rng, String label, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, found " + threads);
        }
        EpochLoop loop = new EpochLoop(label, n, epochs, batchSize, rng);
        ShardedGradient<GradientShard> gradient = new ShardedGradient<>(shardFactory, loop.maxBatch(),
                parameters.length);
        optimiser.initialise(parameters.length);
        try (Lanes lanes = Lanes.open(Math.min(threads, SHARDS), "tribuo-kd-training")) {
            return loop.run((order, first, size, loss) ->
                    optimiser.step(parameters, gradient.compute(lanes, order, first, size, loss)), elementsPerExample);
        }
    }

    /**
     * Fisher–Yates shuffle in place, consuming the random source in a fixed order.
     * @param order The indices to shuffle.
     * @param rng The random source.
     */
    public static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** A feed-forward network's shard: its rows, workspace, output gradient and parameter gradient. */
    private static final class FeedForwardShard implements GradientShard {
        private final FeedForwardNetwork network;
        private final float[] inputs;
        private final float[] targets;
        private final LossFunction lossFunction;
        private final FeedForwardNetwork.Workspace ws;
        private final float[] x;
        private final float[] y;
        private final float[] dOut;
        private final float[] grads;

        FeedForwardShard(FeedForwardNetwork network, float[] inputs, float[] targets, LossFunction lossFunction,
                         int capacity) {
            this.network = network;
            this.inputs = inputs;
            this.targets = targets;
            this.lossFunction = lossFunction;
            ws = network.newWorkspace(capacity);
            x = new float[capacity * network.inputSize()];
            y = new float[capacity * network.outputSize()];
            dOut = new float[capacity * network.outputSize()];
            grads = new float[network.numParameters()];
        }

        @Override
        public float[] gradients() {
            return grads;
        }

        @Override
        public double compute(int[] order, int from, int to, int batchSize) {
            java.util.Arrays.fill(grads, 0f);
            int rows = to - from;
            if (rows == 0) {
                return 0.0;
            }
            int in = network.inputSize();
            int out = network.outputSize();
            for (int r = 0; r < rows; r++) {
                int idx = order[from + r];
                System.arraycopy(inputs, idx * in, x, r * in, in);
                System.arraycopy(targets, idx * out, y, r * out, out);
            }
            float[] pred = network.forward(x, rows, ws);
            double loss = lossFunction.lossAndGradient(pred, y, dOut, rows * out, batchSize * out);
            network.backward(dOut, rows, ws, grads, false);
            return loss;
        }
    }
}
