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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scoring plumbing shared by this library's dense anomaly detectors: examples are turned into dense rows
 * ({@link FeatureMatrix}, which refuses unknown, missing and non-finite features), scored in batches of
 * {@value #SCORING_BATCH} through a per-thread buffer (no allocation per example on the matrix path), and mapped
 * to {@link Event}s: {@code ANOMALOUS} when the score is strictly above {@link #threshold()}.
 * <p>
 * A subclass implements one method, {@link #scoreRows}, which scores raw rows in place.
 */
public abstract class AbstractScoredAnomalyModel extends Model<Event> implements ScoredModel {
    private static final long serialVersionUID = 1L;

    /** The number of rows scored together. */
    protected static final int SCORING_BATCH = 256;

    /** The decision threshold (scores strictly above are ANOMALOUS). */
    protected final double threshold;

    private final transient ThreadLocal<float[]> rowBuffer;
    private final transient ThreadLocal<double[]> single;

    /**
     * Constructs the model.
     * @param name The model name.
     * @param provenance The provenance.
     * @param featureIDMap The feature domain.
     * @param outputIDInfo The output domain.
     * @param threshold The decision threshold.
     */
    protected AbstractScoredAnomalyModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                                         ImmutableOutputInfo<Event> outputIDInfo, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        this.threshold = threshold;
        int width = featureIDMap.size();
        this.rowBuffer = ThreadLocal.withInitial(() -> new float[SCORING_BATCH * width]);
        this.single = ThreadLocal.withInitial(() -> new double[1]);
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
     * The decision threshold: scores strictly above it are ANOMALOUS.
     * @return The threshold, in the score's scale.
     */
    public double threshold() {
        return threshold;
    }

    @Override
    public double score(Example<Event> example) {
        float[] rows = rowBuffer.get();
        double[] out = single.get();
        FeatureMatrix.fillRow(example, featureIDMap, rows, 0, -1);
        scoreRows(rows, 1, out, 0);
        return out[0];
    }

    @Override
    public double[] scores(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        double[] out = new double[list.size()];
        float[] rows = rowBuffer.get();
        int d = featureIDMap.size();
        for (int first = 0; first < out.length; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, out.length - first);
            for (int r = 0; r < size; r++) {
                FeatureMatrix.fillRow(list.get(first + r), featureIDMap, rows, r * d, first + r);
            }
            scoreRows(rows, size, out, first);
        }
        return out;
    }

    @Override
    public void scoreMatrix(float[] matrix, int n, double[] out) {
        float[] rows = rowBuffer.get();
        int d = featureIDMap.size();
        for (int first = 0; first < n; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, n - first);
            System.arraycopy(matrix, first * d, rows, 0, size * d);
            scoreRows(rows, size, out, first);
        }
    }

    /**
     * Scores the sliding windows of a long series straight from its values, without making an example (or a copy
     * of the data) per window: with time-major values, window w is the contiguous slice starting at
     * {@code w · stride · numVariables}, and its features are in the order of the {@code t<step>.v<variable>} names.
     * @param values The series, {@code [numSteps, numVariables]} row-major (a {@code MultivariateSeries} view).
     * @param numSteps The number of time steps.
     * @param numVariables Variables per step; the model's features must be {@code L · numVariables}.
     * @param stride Steps between window starts.
     * @param out Receives one score per window: {@code floor((numSteps − L)/stride) + 1} of them.
     * @return The number of windows scored.
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
        float[] rows = rowBuffer.get();
        for (int first = 0; first < windows; first += SCORING_BATCH) {
            int size = Math.min(SCORING_BATCH, windows - first);
            for (int r = 0; r < size; r++) {
                System.arraycopy(values, (first + r) * stride * numVariables, rows, r * width, width);
            }
            scoreRows(rows, size, out, first);
        }
        return windows;
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
