package io.github.tribuokd.anomaly.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        if (n < 1) {
            throw new IllegalArgumentException("Cannot train " + label + " on an empty dataset");
        }
        if (inputs.length < (long) n * in || targets.length < (long) n * out) {
            throw new IllegalArgumentException("Training buffers too small for " + n + " examples: inputs "
                    + inputs.length + " (need " + (long) n * in + "), targets " + targets.length + " (need "
                    + (long) n * out + ")");
        }
        if (epochs < 1 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs, batchSize and threads must be positive, found " + epochs + ", "
                    + batchSize + ", " + threads);
        }
        int b = Math.min(batchSize, n);
        int shardCapacity = (b + SHARDS - 1) / SHARDS;
        Shard[] shards = new Shard[SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            shards[s] = new Shard(network, shardCapacity);
        }
        float[] grads = new float[network.numParameters()];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        optimiser.initialise(network.numParameters());
        double[] history = new double[epochs];
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
                    runShards(shards, pool, network, inputs, targets, order, first, size, loss);
                    // Fixed-order reduction: shard 0, then shard 1, ...
                    System.arraycopy(shards[0].grads, 0, grads, 0, grads.length);
                    lossSum += shards[0].loss;
                    for (int s = 1; s < SHARDS; s++) {
                        float[] g = shards[s].grads;
                        for (int i = 0; i < grads.length; i++) {
                            grads[i] += g[i];
                        }
                        lossSum += shards[s].loss;
                    }
                    optimiser.step(network.parameters(), grads);
                }
                history[epoch] = lossSum / ((double) n * out);
                if (!Double.isFinite(history[epoch])) {
                    throw new IllegalStateException("Training of " + label + " diverged at epoch " + (epoch + 1)
                            + " (loss " + history[epoch] + "); lower the learning rate");
                }
                if ((epoch + 1) % logEvery == 0 || epoch + 1 == epochs) {
                    logger.log(Level.INFO, String.format("%s: epoch %d/%d, %s loss %.6g, %.1f s", label, epoch + 1,
                            epochs, loss, history[epoch], (System.nanoTime() - start) / 1e9));
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
    private static void runShards(Shard[] shards, ExecutorService pool, FeedForwardNetwork network, float[] inputs,
                                  float[] targets, int[] order, int first, int size, LossFunction loss) {
        List<Future<?>> others = new ArrayList<>(SHARDS - 1);
        for (int s = pool == null ? SHARDS : 1; s < SHARDS; s++) {
            int shard = s;
            others.add(pool.submit(() -> runShard(shards, shard, network, inputs, targets, order, first, size, loss)));
        }
        for (int s = 0; s < (pool == null ? SHARDS : 1); s++) {
            runShard(shards, s, network, inputs, targets, order, first, size, loss);
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
    private static void runShard(Shard[] shards, int s, FeedForwardNetwork network, float[] inputs, float[] targets,
                                 int[] order, int first, int size, LossFunction loss) {
        int from = first + (int) ((long) size * s / SHARDS);
        int to = first + (int) ((long) size * (s + 1) / SHARDS);
        shards[s].run(network, inputs, targets, order, from, to, size, loss);
    }

    private static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** One shard's buffers: its rows, workspace, output gradient and parameter gradient. */
    private static final class Shard {
        final FeedForwardNetwork.Workspace ws;
        final float[] x;
        final float[] y;
        final float[] dOut;
        final float[] grads;
        double loss;

        Shard(FeedForwardNetwork net, int capacity) {
            ws = net.newWorkspace(Math.max(1, capacity));
            x = new float[Math.max(1, capacity) * net.inputSize()];
            y = new float[Math.max(1, capacity) * net.outputSize()];
            dOut = new float[Math.max(1, capacity) * net.outputSize()];
            grads = new float[net.numParameters()];
        }

        /** Forward and backward of rows order[from..to) of a batch of {@code batchSize}; gradient of the batch mean. */
        void run(FeedForwardNetwork network, float[] inputs, float[] targets, int[] order, int from, int to,
                 int batchSize, LossFunction lossFunction) {
            java.util.Arrays.fill(grads, 0f);
            loss = 0.0;
            int rows = to - from;
            if (rows == 0) {
                return;
            }
            int in = network.inputSize();
            int out = network.outputSize();
            for (int r = 0; r < rows; r++) {
                int idx = order[from + r];
                System.arraycopy(inputs, idx * in, x, r * in, in);
                System.arraycopy(targets, idx * out, y, r * out, out);
            }
            float[] pred = network.forward(x, rows, ws);
            loss = lossFunction.lossAndGradient(pred, y, dOut, rows * out, batchSize * out);
            network.backward(dOut, rows, ws, grads, false);
        }
    }
}
