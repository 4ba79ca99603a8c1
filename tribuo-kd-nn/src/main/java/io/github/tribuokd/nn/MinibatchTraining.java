package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.GradientShard;
import io.github.tribuokd.nn.kernels.SequentialShard;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Minibatch gradient training of a {@link FeedForwardNetwork} on in-memory float32 data, with the examples
 * reshuffled (Fisher–Yates) at the start of every epoch, on several threads.
 * <p>
 * <b>Deterministic on any number of threads.</b> Every minibatch is split into {@link #SHARDS} shards of
 * consecutive rows, always the same way; each shard's forward and backward pass writes its own gradient buffer,
 * and the buffers are added in shard order. Threads only decide which shards run at the same time, so the same
 * seed, data and settings give bit-identical weights with 1 or 2 threads (tested). The random source is consumed
 * in a fixed order.
 */
public final class MinibatchTraining {

    private static final Logger logger = Logger.getLogger(MinibatchTraining.class.getName());

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
        if (n < 1) {
            throw new IllegalArgumentException("Cannot train " + label + " on an empty dataset");
        }
        if (epochs < 1 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs, batchSize and threads must be positive, found " + epochs + ", "
                    + batchSize + ", " + threads);
        }
        int b = Math.min(batchSize, n);
        int shardCapacity = Math.max(1, (b + SHARDS - 1) / SHARDS);
        GradientShard[] shards = new GradientShard[SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            shards[s] = shardFactory.apply(shardCapacity);
        }
        float[] grads = new float[parameters.length];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        optimiser.initialise(parameters.length);
        double[] history = new double[epochs];
        double[] shardLoss = new double[SHARDS];
        long start = System.nanoTime();
        int logEvery = Math.max(1, epochs / 10);
        int workers = Math.min(threads, SHARDS) - 1;
        ExecutorService pool = workers > 0 ? Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "tribuo-kd-training");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                shuffle(order, rng);
                double lossSum = 0.0;
                for (int first = 0; first < n; first += b) {
                    int size = Math.min(b, n - first);
                    runShards(shards, shardLoss, pool, order, first, size);
                    // Fixed-order reduction: shard 0, then shard 1, ...
                    System.arraycopy(shards[0].gradients(), 0, grads, 0, grads.length);
                    lossSum += shardLoss[0];
                    for (int s = 1; s < SHARDS; s++) {
                        float[] g = shards[s].gradients();
                        for (int i = 0; i < grads.length; i++) {
                            grads[i] += g[i];
                        }
                        lossSum += shardLoss[s];
                    }
                    optimiser.step(parameters, grads);
                }
                history[epoch] = lossSum / ((double) n * elementsPerExample);
                if (!Double.isFinite(history[epoch])) {
                    throw new IllegalStateException("Training of " + label + " diverged at epoch " + (epoch + 1)
                            + " (loss " + history[epoch] + "); lower the learning rate");
                }
                if ((epoch + 1) % logEvery == 0 || epoch + 1 == epochs) {
                    logger.log(Level.INFO, String.format("%s: epoch %d/%d, loss %.6g, %.1f s", label, epoch + 1,
                            epochs, history[epoch], (System.nanoTime() - start) / 1e9));
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return history;
    }

    /** Runs every shard of one minibatch: shard 0 on this thread, the others on the pool (if any). */
    private static void runShards(GradientShard[] shards, double[] losses, ExecutorService pool, int[] order,
                                  int first, int size) {
        List<Future<?>> others = new ArrayList<>(SHARDS - 1);
        for (int s = pool == null ? SHARDS : 1; s < SHARDS; s++) {
            int shard = s;
            others.add(pool.submit(() -> runShard(shards, losses, shard, order, first, size)));
        }
        for (int s = 0; s < (pool == null ? SHARDS : 1); s++) {
            runShard(shards, losses, s, order, first, size);
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Training interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("A training shard failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Shard s of a batch covers its rows [size·s/SHARDS, size·(s+1)/SHARDS). */
    private static void runShard(GradientShard[] shards, double[] losses, int s, int[] order, int first, int size) {
        int from = first + (int) ((long) size * s / SHARDS);
        int to = first + (int) ((long) size * (s + 1) / SHARDS);
        losses[s] = shards[s].compute(order, from, to, size);
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
