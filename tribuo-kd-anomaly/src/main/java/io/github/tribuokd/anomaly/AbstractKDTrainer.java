package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.Optimiser;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The plumbing every trainer of this project shares, after Tribuo's {@code AbstractSGDTrainer}: the three
 * {@code train} overloads, the invocation count, the trainer provenance and the start of a run.
 * <p>
 * <b>A run.</b> {@link #train(Dataset, Map, int)} first calls {@link #checkBeforeRun} (a refusal there does not
 * count as an invocation), then {@link #startRun}, which under the trainer's lock sets the invocation count if one
 * was given, takes the run's random source and optimiser copy ({@link AbstractEpochTrainer}), records the trainer
 * provenance (with the invocation count before this run) and counts the invocation; then {@link #fit} trains on the
 * run's own state, outside the lock.
 * <p>
 * <b>Thresholded detectors.</b> Detectors are fitted unthresholded, their threshold is calibrated on the
 * time-ordered tail of the training data, and the detector is built again at that threshold with the calibration
 * recorded in its provenance ({@link #calibrated}).
 * <p>
 * The MSCRED trainers of the time-series module calibrate two thresholds (τ and the count) their own way and use
 * only the run plumbing.
 * <p>
 * This class declares no configurable field: trainers without a random source of their own (PCA, k-nearest
 * windows, score distillation, co-learning) extend it directly; those that train by epochs extend
 * {@link AbstractEpochTrainer}, which adds the seed, the epochs and the minibatch size. A distillation trainer whose
 * provenance must record its teacher trainer after the teacher's training overrides
 * {@link #train(Dataset, Map, int)} to train the teacher before {@link #startRun}.
 * @param <T> The output type.
 * @param <M> The model type.
 */
public abstract class AbstractKDTrainer<T extends Output<T>, M extends Model<T>> implements Trainer<T> {

    private int trainInvocationCounter;

    /** For subclasses. */
    protected AbstractKDTrainer() { }

    /**
     * The state one training run owns: taken under the trainer's lock by {@link #startRun}, used outside it.
     */
    public static final class Run {
        private final SplittableRandom rng;
        private final Optimiser optimiser;
        private final TrainerProvenance provenance;
        private final int invocation;

        Run(SplittableRandom rng, Optimiser optimiser, TrainerProvenance provenance, int invocation) {
            this.rng = rng;
            this.optimiser = optimiser;
            this.provenance = provenance;
            this.invocation = invocation;
        }

        /**
         * The run's random source, split from the trainer's.
         * @return The random source, or null for a trainer without one.
         */
        public SplittableRandom rng() {
            return rng;
        }

        /**
         * The run's copy of the trainer's optimiser.
         * @return The optimiser, or null for a trainer without one.
         */
        public Optimiser optimiser() {
            return optimiser;
        }

        /**
         * The trainer's provenance at the start of the run.
         * @return The provenance.
         */
        public TrainerProvenance provenance() {
            return provenance;
        }

        /**
         * The invocation count before this run (0 for the first run).
         * @return The invocation index of this run.
         */
        public int invocation() {
            return invocation;
        }
    }

    @Override
    public M train(Dataset<T> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public M train(Dataset<T> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public M train(Dataset<T> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        checkBeforeRun(examples);
        return fit(examples, runProvenance, startRun(invocationCount));
    }

    /**
     * Checks the examples before a run starts; a refusal here does not count as an invocation. Does nothing unless
     * overridden.
     * @param examples The training examples.
     */
    protected void checkBeforeRun(Dataset<T> examples) { }

    /**
     * Trains a model with the run's own state.
     * @param examples The training examples.
     * @param runProvenance Extra provenance to record in the model.
     * @param run The run, from {@link #startRun}.
     * @return The model.
     */
    protected abstract M fit(Dataset<T> examples, Map<String, Provenance> runProvenance, Run run);

    /**
     * Starts a run under the trainer's lock: sets the invocation count if one is given, takes the random source and
     * the optimiser copy, records the provenance, then counts the invocation.
     * @param invocationCount The invocation count to set first, or {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The run.
     */
    protected final synchronized Run startRun(int invocationCount) {
        if (invocationCount != INCREMENT_INVOCATION_COUNT) {
            setInvocationCount(invocationCount);
        }
        Run run = new Run(splitRandom(), copyOptimiser(), getProvenance(), trainInvocationCounter);
        trainInvocationCounter++;
        return run;
    }

    /**
     * The random source of the next run, split from the trainer's; called under the lock.
     * @return The random source, or null (this default) for a trainer without one.
     */
    protected SplittableRandom splitRandom() {
        return null;
    }

    /**
     * A copy of the trainer's optimiser for the next run; called under the lock, after {@link #splitRandom()}.
     * @return The copy, or null (this default) for a trainer without an optimiser.
     */
    protected Optimiser copyOptimiser() {
        return null;
    }

    /**
     * Resets the random source to where it is after {@code invocations} runs; called under the lock by
     * {@link #setInvocationCount}. Does nothing unless overridden.
     * @param invocations The number of earlier runs (non-negative).
     */
    protected void resetRandom(int invocations) { }

    @Override
    public int getInvocationCount() {
        return trainInvocationCounter;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The invocation count must be non-negative, found " + invocationCount);
        }
        resetRandom(invocationCount);
        this.trainInvocationCounter = invocationCount;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    /**
     * The provenance of a model trained in a run.
     * @param modelClass The model's class.
     * @param examples The training examples.
     * @param run The run.
     * @param runProvenance Extra provenance to record.
     * @return The model provenance.
     */
    protected static ModelProvenance modelProvenance(Class<?> modelClass, Dataset<?> examples, Run run,
                                                     Map<String, Provenance> runProvenance) {
        return new ModelProvenance(modelClass.getName(), OffsetDateTime.now(), examples.getProvenance(),
                run.provenance(), runProvenance);
    }

    /**
     * Fits a detector's threshold: builds it unthresholded, calibrates the threshold on the data's calibration
     * tail, and builds it again at that threshold with the calibration recorded in its provenance.
     * @param data The training data with its calibration tail.
     * @param provenance The model provenance before calibration.
     * @param quantile The threshold quantile.
     * @param what The detector's name in calibration warnings, or null.
     * @param detector Builds the detector from a provenance and a threshold.
     * @param <S> The detector type.
     * @return The thresholded detector.
     */
    static <S extends ScoredModel> S calibrated(TrainingData data, ModelProvenance provenance, double quantile,
                                                String what, BiFunction<ModelProvenance, Double, S> detector) {
        S unthresholded = detector.apply(provenance, Double.POSITIVE_INFINITY);
        TrainingData.Calibration calibration = data.calibrate(unthresholded, quantile, what);
        return detector.apply(data.record(provenance, calibration), calibration.threshold);
    }

    /**
     * Checks a calibration fraction (the time-ordered tail that sets the threshold).
     * @param name The setting's name in the message.
     * @param fraction The fraction, in {@code [0, 1)}.
     * @throws IllegalArgumentException If it is outside {@code [0, 1)} or NaN.
     */
    static void checkFraction(String name, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), found " + fraction);
        }
    }

    /**
     * Checks a threshold quantile.
     * @param quantile The quantile, in {@code [0, 1]}.
     * @throws IllegalArgumentException If it is outside {@code [0, 1]} or NaN.
     */
    static void checkThresholdQuantile(double quantile) {
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("thresholdQuantile must be in [0, 1], found " + quantile);
        }
    }
}
