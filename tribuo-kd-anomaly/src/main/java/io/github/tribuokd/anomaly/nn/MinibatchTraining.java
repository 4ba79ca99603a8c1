package io.github.tribuokd.anomaly.nn;

import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Minibatch gradient training of a {@link FeedForwardNetwork} on in-memory float32 data, with the examples
 * reshuffled (Fisher–Yates) at the start of every epoch.
 * <p>
 * The random source is consumed in a fixed order, so the same seed, data and settings give identical weights.
 */
public final class MinibatchTraining {

    private static final Logger logger = Logger.getLogger(MinibatchTraining.class.getName());

    private MinibatchTraining() { }

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
     * @return The mean training loss of every epoch.
     */
    public static double[] train(FeedForwardNetwork network, float[] inputs, float[] targets, int n,
                                 LossFunction loss, Optimiser optimiser, int epochs, int batchSize,
                                 SplittableRandom rng, String label) {
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
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batchSize must be positive, found " + epochs + ", "
                    + batchSize);
        }
        int b = Math.min(batchSize, n);
        FeedForwardNetwork.Workspace ws = network.newWorkspace(b);
        float[] xBatch = new float[b * in];
        float[] yBatch = new float[b * out];
        float[] dOut = new float[b * out];
        float[] grads = new float[network.numParameters()];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        optimiser.initialise(network.numParameters());
        double[] history = new double[epochs];
        long start = System.nanoTime();
        int logEvery = Math.max(1, epochs / 10);
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, rng);
            double lossSum = 0.0;
            for (int first = 0; first < n; first += b) {
                int size = Math.min(b, n - first);
                for (int r = 0; r < size; r++) {
                    int idx = order[first + r];
                    System.arraycopy(inputs, idx * in, xBatch, r * in, in);
                    System.arraycopy(targets, idx * out, yBatch, r * out, out);
                }
                float[] pred = network.forward(xBatch, size, ws);
                double l = loss.lossAndGradient(pred, yBatch, dOut, size * out);
                lossSum += l * size;
                java.util.Arrays.fill(grads, 0f);
                network.backward(dOut, size, ws, grads, false);
                optimiser.step(network.parameters(), grads);
            }
            history[epoch] = lossSum / n;
            if (!Double.isFinite(history[epoch])) {
                throw new IllegalStateException("Training of " + label + " diverged at epoch " + (epoch + 1)
                        + " (loss " + history[epoch] + "); lower the learning rate");
            }
            if ((epoch + 1) % logEvery == 0 || epoch + 1 == epochs) {
                logger.log(Level.INFO, String.format("%s: epoch %d/%d, %s loss %.6g, %.1f s", label, epoch + 1,
                        epochs, loss, history[epoch], (System.nanoTime() - start) / 1e9));
            }
        }
        return history;
    }

    private static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
