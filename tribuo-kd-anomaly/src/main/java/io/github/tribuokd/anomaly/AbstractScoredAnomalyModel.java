package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The scoring plumbing shared by this library's dense anomaly detectors: examples are turned into dense rows
 * ({@link FeatureMatrix}, which refuses unknown, duplicated, missing and non-finite features), scored in batches of
 * {@value #SCORING_BATCH} through a per-thread buffer (no allocation per example on the matrix path), and mapped
 * to {@link Event}s: {@code ANOMALOUS} when the score is strictly above {@link #threshold()}.
 * <p>
 * <b>Nothing that cannot be scored is called normal.</b> {@code score > threshold} is false for a NaN score, so a
 * row whose value is NaN, infinite or beyond the float32 range, or whose score comes out NaN or infinite (an
 * overflow inside the model), would silently be EXPECTED. Every scoring route ({@link #score}, {@link #scores},
 * {@link #scoreMatrix}, {@link #scoreSeries}, {@link #predict}) checks the raw input rows and every score, and
 * applies the model's {@link NonFiniteScorePolicy}: by default it refuses with an error naming the example, row or
 * window; with {@link NonFiniteScorePolicy#ANOMALOUS} ({@link #withNonFiniteScorePolicy}) the score is
 * {@link Double#POSITIVE_INFINITY} and the prediction ANOMALOUS. The checks are loops over the per-thread batch
 * (nothing allocated).
 * <p>
 * A subclass implements one method, {@link #scoreRows}, which scores raw rows in place.
 */
public abstract class AbstractScoredAnomalyModel extends Model<Event> implements ScoredModel {
    private static final long serialVersionUID = 1L;

    /** The number of rows scored together. */
    protected static final int SCORING_BATCH = 256;

    /**
     * The sum of squared differences between a row and its reconstruction, each difference taken in float and
     * squared and summed in double, in column order (the reconstruction detectors' score before dividing by d).
     * @param x The rows.
     * @param xo The row's first element in {@code x}.
     * @param recon The reconstructions.
     * @param ro The reconstruction's first element in {@code recon}.
     * @param d The row length.
     * @return The sum of squared errors.
     */
    static double squaredError(float[] x, int xo, float[] recon, int ro, int d) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double e = x[xo + j] - recon[ro + j];
            sum += e * e;
        }
        return sum;
    }

    /** The decision threshold (scores strictly above are ANOMALOUS). */
    protected final double threshold;

    /**
     * What is done with an input or score that is not finite. Set only on a fresh copy, before it is returned by
     * {@link #withNonFiniteScorePolicy} or {@link #copy()}; a scoring setting, not serialized.
     */
    private NonFiniteScorePolicy nonFiniteScorePolicy = NonFiniteScorePolicy.REFUSE;

    private final transient ThreadLocal<Scratch> scratch;

    /** Per-thread scoring buffers. */
    private static final class Scratch {
        final float[] rows;
        final double[] one = new double[1];
        /** Rows of the batch holding a value that is not finite (ANOMALOUS policy only). */
        final boolean[] flagged = new boolean[SCORING_BATCH];

        Scratch(int width) {
            this.rows = new float[SCORING_BATCH * width];
        }
    }

    /** How the rows of a batch are named in error messages. */
    private enum Source {
        SINGLE("the example"), EXAMPLE("example"), ROW("row"), WINDOW("window");

        final String noun;

        Source(String noun) {
            this.noun = noun;
        }
    }

    /**
     * Constructs the model.
     * @param name The model name.
     * @param provenance The provenance.
     * @param featureIDMap The feature domain.
     * @param outputIDInfo The output domain.
     * @param threshold The decision threshold.
     * @throws IllegalArgumentException If the threshold is NaN (no score is above it, so nothing would ever be
     *                                  ANOMALOUS); {@code +∞} is allowed for a model not yet calibrated.
     */
    protected AbstractScoredAnomalyModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                                         ImmutableOutputInfo<Event> outputIDInfo, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " '" + name + "': the decision threshold"
                    + " is NaN, so no score would ever be ANOMALOUS (were the calibration scores finite?)");
        }
        this.threshold = threshold;
        int width = featureIDMap.size();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(width));
    }

    /**
     * Scores {@code n ≤ SCORING_BATCH} raw rows (feature-id order), which the method may overwrite.
     * @param rows {@code [n, numFeatures]} row-major, a scratch buffer owned by the caller's thread.
     * @param n The number of rows.
     * @param out Receives the scores at {@code out[offset .. offset + n)}.
     * @param offset Where to write.
     */
    protected abstract void scoreRows(float[] rows, int n, double[] out, int offset);

    /**
     * A copy of this model with another name and provenance (its scoring settings are those of a loaded model:
     * {@link NonFiniteScorePolicy#REFUSE}); {@link #copy()} keeps this model's settings.
     * @param newName The name.
     * @param newProvenance The provenance.
     * @return The copy.
     */
    @Override
    protected abstract AbstractScoredAnomalyModel copy(String newName, ModelProvenance newProvenance);

    /**
     * A copy of this model, with its {@link #nonFiniteScorePolicy()}.
     * @return The copy.
     */
    @Override
    public AbstractScoredAnomalyModel copy() {
        AbstractScoredAnomalyModel copy = copy(name, provenance);
        copy.nonFiniteScorePolicy = nonFiniteScorePolicy;
        return copy;
    }

    /**
     * This model with another policy for inputs and scores that are not finite (see the class documentation). The
     * policy is a scoring setting: it is not serialized, and a loaded model refuses.
     * @param policy The policy.
     * @return A copy of this model (same name, provenance and parameters) applying {@code policy}.
     */
    public AbstractScoredAnomalyModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        AbstractScoredAnomalyModel copy = copy(name, provenance);
        copy.nonFiniteScorePolicy = policy;
        return copy;
    }

    /**
     * What this model does with an input or a score that is not finite.
     * @return The policy ({@link NonFiniteScorePolicy#REFUSE} unless set by {@link #withNonFiniteScorePolicy}).
     */
    public NonFiniteScorePolicy nonFiniteScorePolicy() {
        return nonFiniteScorePolicy;
    }

    /**
     * Gives {@code other}, a model derived from this one, this model's scoring settings (for subclasses' methods
     * that return a modified copy).
     * @param other A fresh model, not yet returned to anyone.
     * @param <M> Its type.
     * @return {@code other}.
     */
    protected final <M extends AbstractScoredAnomalyModel> M withScoringSettingsOf(M other) {
        ((AbstractScoredAnomalyModel) other).nonFiniteScorePolicy = nonFiniteScorePolicy;
        return other;
    }

    /**
     * The decision threshold: scores strictly above it are ANOMALOUS.
     * @return The threshold, in the score's scale.
     */
    public double threshold() {
        return threshold;
    }

    /**
     * The score of one example.
     * @param example The example.
     * @return The score ({@link Double#POSITIVE_INFINITY} for an example flagged by the ANOMALOUS policy).
     * @throws IllegalArgumentException If the example's features are not the model's, or (REFUSE policy) a value is
     *                                  not a finite float32 number.
     * @throws IllegalStateException If (REFUSE policy) the score is not finite.
     */
    @Override
    public double score(Example<Event> example) {
        Scratch s = scratch.get();
        s.flagged[0] = fill(example, s.rows, 0, -1);
        scoreBatch(s, 1, s.one, 0, Source.SINGLE, 0);
        return s.one[0];
    }

    /**
     * The scores of several examples, in order.
     * @param examples The examples.
     * @return The scores.
     * @throws IllegalArgumentException As {@link #score}, naming the example's position.
     * @throws IllegalStateException As {@link #score}, naming the example's position.
     */
    @Override
    public double[] scores(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        double[] out = new double[list.size()];
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        for (int first = 0; first < out.length; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, out.length - first);
            for (int r = 0; r < size; r++) {
                s.flagged[r] = fill(list.get(first + r), s.rows, r * d, first + r);
            }
            scoreBatch(s, size, out, first, Source.EXAMPLE, 0);
        }
        return out;
    }

    /** Fills one row; true when it holds a value that is not finite (only under the ANOMALOUS policy). */
    private boolean fill(Example<Event> example, float[] rows, int offset, long index) {
        if (nonFiniteScorePolicy == NonFiniteScorePolicy.REFUSE) {
            FeatureMatrix.fillRow(example, featureIDMap, rows, offset, index);
            return false;
        }
        return FeatureMatrix.fillRowFlaggingNonFinite(example, featureIDMap, rows, offset, index) >= 0;
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException If (REFUSE policy) a value is NaN or infinite, naming its row and feature.
     * @throws IllegalStateException If (REFUSE policy) a score is not finite, naming its row.
     */
    @Override
    public void scoreMatrix(float[] matrix, int n, double[] out) {
        Scratch s = scratch.get();
        int d = featureIDMap.size();
        for (int first = 0; first < n; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, n - first);
            System.arraycopy(matrix, first * d, s.rows, 0, size * d);
            checkRows(s, size, first, Source.ROW, 0, 0);
            scoreBatch(s, size, out, first, Source.ROW, 0);
        }
    }

    /**
     * Scores the sliding windows of a long series straight from its values, without making an example (or a copy
     * of the data) per window: with time-major values, window w is the contiguous slice starting at
     * {@code w · stride · numVariables}, and its features are in the order of the {@code t<step>.v<variable>} names.
     * A value that is not finite is refused naming its step and variable (or, with the ANOMALOUS policy, flags the
     * windows holding it).
     * @param values The series, {@code [numSteps, numVariables]} row-major (a {@code MultivariateSeries} view).
     * @param numSteps The number of time steps.
     * @param numVariables Variables per step; the model's features must be {@code L · numVariables}.
     * @param stride Steps between window starts.
     * @param out Receives one score per window: {@code floor((numSteps − L)/stride) + 1} of them.
     * @return The number of windows scored.
     * @throws IllegalArgumentException If the shapes disagree or (REFUSE policy) a value is not finite.
     * @throws IllegalStateException If (REFUSE policy) a score is not finite, naming its window.
     */
    public int scoreSeries(float[] values, int numSteps, int numVariables, int stride, double[] out) {
        int width = featureIDMap.size();
        if (numVariables < 1 || width % numVariables != 0) {
            throw new IllegalArgumentException("The model has " + width + " features, not a whole number of windows of "
                    + numVariables + " variables");
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be positive, found " + stride);
        }
        int steps = width / numVariables;
        if (values.length < (long) numSteps * numVariables) {
            throw new IllegalArgumentException("values holds " + values.length + " numbers, fewer than " + numSteps
                    + " steps x " + numVariables + " variables");
        }
        int windows = numSteps < steps ? 0 : (numSteps - steps) / stride + 1;
        Scratch s = scratch.get();
        for (int first = 0; first < windows; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, windows - first);
            for (int r = 0; r < size; r++) {
                System.arraycopy(values, (first + r) * stride * numVariables, s.rows, r * width, width);
            }
            checkRows(s, size, first, Source.WINDOW, stride, numVariables);
            scoreBatch(s, size, out, first, Source.WINDOW, stride);
        }
        return windows;
    }

    /**
     * Checks raw rows for values that are not finite: refuses them, or flags their rows and zeroes them (so that
     * no scorer sees a NaN) under the ANOMALOUS policy.
     */
    private void checkRows(Scratch s, int size, int first, Source source, int stride, int numVariables) {
        int d = featureIDMap.size();
        for (int r = 0; r < size; r++) {
            int bad = FeatureMatrix.firstNonFinite(s.rows, r * d, d);
            s.flagged[r] = bad >= 0;
            if (bad < 0) {
                continue;
            }
            if (nonFiniteScorePolicy == NonFiniteScorePolicy.REFUSE) {
                float v = s.rows[r * d + bad];
                String what = source == Source.WINDOW
                        ? "the series value at step " + ((long) (first + r) * stride + bad / numVariables)
                        + " of variable " + (bad % numVariables) + " (window " + (first + r) + ") is " + v
                        : "row " + (first + r) + " has the non-finite value " + v + " for feature '"
                        + featureIDMap.get(bad).getName() + "' (column " + bad + ")";
                throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + "; non-finite inputs are"
                        + " refused (" + policyHint() + ")");
            }
            Arrays.fill(s.rows, r * d, (r + 1) * d, 0f);
        }
    }

    /**
     * Scores the batch in the scratch rows and applies the policy to flagged rows and to scores that are not finite.
     */
    private void scoreBatch(Scratch s, int size, double[] out, int first, Source source, int stride) {
        scoreRows(s.rows, size, out, first);
        for (int r = 0; r < size; r++) {
            if (s.flagged[r]) {
                out[first + r] = Double.POSITIVE_INFINITY;
            } else if (!Double.isFinite(out[first + r])) {
                if (nonFiniteScorePolicy == NonFiniteScorePolicy.REFUSE) {
                    throw new IllegalStateException(nonFiniteScoreMessage(source, first + r, out[first + r], stride));
                }
                out[first + r] = Double.POSITIVE_INFINITY;
            }
        }
    }

    private String nonFiniteScoreMessage(Source source, int index, double score, int stride) {
        String which;
        if (source == Source.SINGLE) {
            which = source.noun;
        } else if (source == Source.WINDOW) {
            which = "window " + index + " (starting at step " + (long) index * stride + ")";
        } else {
            which = source.noun + " " + index;
        }
        return getClass().getSimpleName() + " '" + name + "': the score of " + which + " is " + score + " (an"
                + " overflow inside the model: an input far outside the training range, or parameters that are not"
                + " finite); a score that is not finite is never reported as normal and is refused ("
                + policyHint() + ")";
    }

    private static String policyHint() {
        return "NonFiniteScorePolicy.REFUSE; withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS) flags such "
                + "inputs ANOMALOUS instead";
    }

    @Override
    public Prediction<Event> predict(Example<Event> example) {
        return new Prediction<>(toEvent(score(example)), featureIDMap.size(), example);
    }

    @Override
    protected List<Prediction<Event>> innerPredict(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        double[] s = scores(list);
        List<Prediction<Event>> predictions = new ArrayList<>(list.size());
        for (int i = 0; i < s.length; i++) {
            predictions.add(new Prediction<>(toEvent(s[i]), featureIDMap.size(), list.get(i)));
        }
        return predictions;
    }

    private Event toEvent(double score) {
        return new Event(score > threshold ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED, score);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        return Optional.empty();
    }
}
