package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;

import java.util.SplittableRandom;

/**
 * A trainer that trains by epochs of minibatches from a seeded random source, after Tribuo's
 * {@code AbstractSGDTrainer}: the configurable {@code seed}, {@code epochs} and {@code batchSize}, and the random
 * source with Tribuo's invocation semantics.
 * <p>
 * <b>Seeds.</b> {@link #postConfig()} starts the random source at {@code SplittableRandom(seed)}; every run takes
 * {@code split()} of it, so after {@code setInvocationCount(k)} the next run is the one the {@code k}-th run of a
 * fresh trainer would be ({@link SeededInvocations}). Training twice with the same invocation count gives the same
 * model.
 * @param <T> The output type.
 * @param <M> The model type.
 */
public abstract class AbstractEpochTrainer<T extends Output<T>, M extends Model<T>> extends AbstractKDTrainer<T, M> {

    /** The seed of the random source (initialisation and shuffling). */
    @Config(description = "Seed of the random source (initialisation and shuffling).")
    protected long seed = Trainer.DEFAULT_SEED;

    /** The number of passes over the training data. */
    @Config(description = "Number of passes over the training data.")
    protected int epochs;

    /** The minibatch size. */
    @Config(description = "Minibatch size.")
    protected int batchSize;

    private SplittableRandom rng;

    /**
     * Sets the defaults of a subclass.
     * @param epochs The default number of epochs.
     * @param batchSize The default minibatch size.
     */
    protected AbstractEpochTrainer(int epochs, int batchSize) {
        this.epochs = epochs;
        this.batchSize = batchSize;
    }

    /**
     * Starts the random source at the seed; subclasses validate their settings first, then call this.
     */
    @Override
    public synchronized void postConfig() {
        this.rng = new SplittableRandom(seed);
    }

    /**
     * Checks that the epochs and the minibatch size are positive.
     * @throws IllegalArgumentException If either is not.
     */
    protected final void checkEpochsAndBatchSize() {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batchSize must be positive, found " + epochs + ", "
                    + batchSize);
        }
    }

    @Override
    protected SplittableRandom splitRandom() {
        return rng.split();
    }

    @Override
    protected void resetRandom(int invocations) {
        this.rng = SeededInvocations.after(seed, invocations);
    }
}
