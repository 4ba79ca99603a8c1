package io.github.tribuokd.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's one epoch loop: every trainer that trains by epochs of minibatches runs it.
 * <p>
 * <b>An epoch.</b> The example order is reshuffled in place (Fisher–Yates, {@link MinibatchTraining#shuffle}) with
 * the loop's random source, or kept in time order without one; {@link Batches#startEpoch} runs; the batches
 * {@code [first, first + size)} of the order, {@code size = min(batchSize, n - first)}, are trained by
 * {@link Batches#step}, which adds its loss to the epoch's {@link Loss} in its own fixed order. The epoch's mean
 * loss (the sum over {@code n · elementsPerExample}) must be finite; then {@link Batches#endEpoch} runs, progress is
 * logged every {@code logEvery} epochs and at the last, and the {@link Monitor}, if any, may stop training early.
 * <p>
 * <b>Determinism.</b> The random source is consumed only by the shuffles, in epoch order, and the batches and the
 * loss sums are always the same, so the loop adds no dependence on threads or timing: sharding and the fixed-order
 * reduction of gradients are the step's ({@link ShardedGradient}, {@link io.github.tribuokd.nn.kernels.Lanes}).
 */
public final class EpochLoop {

    private static final Logger logger = Logger.getLogger(EpochLoop.class.getName());

    /** The training of one epoch's minibatches. */
    public interface Batches {
        /**
         * Called at the start of every epoch, after the shuffle (e.g. to reset state carried through a series).
         * Does nothing unless overridden.
         * @param epoch The epoch, from 0.
         */
        default void startEpoch(int epoch) { }

        /**
         * Trains on one minibatch and adds its summed loss to {@code loss}.
         * @param order The example order of this epoch.
         * @param first The batch's first position in {@code order}.
         * @param size The batch's size.
         * @param loss The epoch's loss sum.
         */
        void step(int[] order, int first, int size, Loss loss);

        /**
         * Called after every epoch whose mean loss is finite (e.g. to record and check other losses).
         * @param epoch The epoch, from 0.
         * @param meanLoss The epoch's mean loss.
         * @return Text appended to the epoch's progress line ("" for none).
         */
        default String endEpoch(int epoch, double meanLoss) {
            return "";
        }
    }

    /** The early-stopping and validation hook, called after every epoch. */
    @FunctionalInterface
    public interface Monitor {
        /**
         * Decides whether training stops after this epoch (e.g. when a validation loss stops improving).
         * @param epoch The epoch, from 0.
         * @param meanLoss The epoch's mean training loss.
         * @return True to stop.
         */
        boolean stop(int epoch, double meanLoss);
    }

    /** An epoch's loss sum, added to in the step's fixed order. */
    public static final class Loss {
        private double sum;

        Loss() { }

        /**
         * Adds a loss.
         * @param value The loss.
         */
        public void add(double value) {
            sum += value;
        }
    }

    private final String label;
    private final int n;
    private final int epochs;
    private final int batchSize;
    private final SplittableRandom rng;
    private int logEvery;
    private String lossName = "loss";
    private Monitor monitor;

    /**
     * Creates a loop.
     * @param label A name for progress logs and errors (e.g. "dense autoencoder teacher").
     * @param n The number of examples.
     * @param epochs The number of epochs (at most: a {@link Monitor} may stop earlier).
     * @param batchSize The minibatch size (the last batch of an epoch may be smaller).
     * @param rng The random source of the shuffles, or null to keep the examples in time order.
     */
    public EpochLoop(String label, int n, int epochs, int batchSize, SplittableRandom rng) {
        if (n < 1) {
            throw new IllegalArgumentException("Cannot train " + label + " on an empty dataset");
        }
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batchSize must be positive, found " + epochs + ", "
                    + batchSize);
        }
        this.label = label;
        this.n = n;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.rng = rng;
        this.logEvery = Math.max(1, epochs / 10);
    }

    /**
     * Logs progress every {@code every} epochs (and at the last); the default is a tenth of the epochs.
     * @param every The interval, positive.
     * @return This loop.
     */
    public EpochLoop logEvery(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("The logging interval must be positive, found " + every);
        }
        this.logEvery = every;
        return this;
    }

    /**
     * Names the loss in progress logs (default "loss").
     * @param name The name.
     * @return This loop.
     */
    public EpochLoop lossName(String name) {
        this.lossName = name;
        return this;
    }

    /**
     * Sets the early-stopping hook.
     * @param monitor The hook, or null for none.
     * @return This loop.
     */
    public EpochLoop stopWhen(Monitor monitor) {
        this.monitor = monitor;
        return this;
    }

    /**
     * The minibatch size of a step: the configured size, at most the number of examples.
     * @return The largest batch a step receives.
     */
    public int maxBatch() {
        return Math.min(batchSize, n);
    }

    /**
     * Runs the loop.
     * @param batches The training of the minibatches.
     * @param elementsPerExample Loss elements per example (the mean loss is the sum over
     *                           {@code n · elementsPerExample}).
     * @return The mean loss of every epoch run (fewer than {@code epochs} if the monitor stopped early).
     * @throws IllegalStateException If an epoch's mean loss is not finite.
     */
    public double[] run(Batches batches, int elementsPerExample) {
        int b = maxBatch();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] history = new double[epochs];
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (rng != null) {
                MinibatchTraining.shuffle(order, rng);
            }
            batches.startEpoch(epoch);
            Loss loss = new Loss();
            for (int first = 0; first < n; first += b) {
                batches.step(order, first, Math.min(b, n - first), loss);
            }
            history[epoch] = loss.sum / ((double) n * elementsPerExample);
            if (!Double.isFinite(history[epoch])) {
                throw new IllegalStateException("Training of " + label + " diverged at epoch " + (epoch + 1)
                        + " (loss " + history[epoch] + "); lower the learning rate");
            }
            String more = batches.endEpoch(epoch, history[epoch]);
            boolean stop = monitor != null && monitor.stop(epoch, history[epoch]);
            if ((epoch + 1) % logEvery == 0 || epoch + 1 == epochs || stop) {
                logger.log(Level.INFO, String.format("%s: epoch %d/%d, %s %.6g%s, %.1f s", label, epoch + 1, epochs,
                        lossName, history[epoch], more, (System.nanoTime() - start) / 1e9));
            }
            if (stop) {
                logger.info(label + ": stopped early after epoch " + (epoch + 1));
                return Arrays.copyOf(history, epoch + 1);
            }
        }
        return history;
    }
}
