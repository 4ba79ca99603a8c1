package io.github.tribuokd.anomaly;

import org.tribuo.Example;
import org.tribuo.anomaly.Event;

/**
 * A {@code Model<Event>} of this library: it exposes its anomaly score directly (higher = more anomalous, in the
 * scale each implementation documents) and its size.
 */
public interface ScoredModel {

    /**
     * The anomaly score of one example.
     * @param example The example.
     * @return The score.
     */
    double score(Example<Event> example);

    /**
     * The anomaly scores of several examples, in order (batched).
     * @param examples The examples.
     * @return The scores.
     */
    double[] scores(Iterable<Example<Event>> examples);

    /**
     * Scores a raw (unstandardised) row-major matrix whose columns are in the model's feature-id order, without
     * creating Tribuo examples: the zero-copy path for long series. The matrix is not modified.
     * @param matrix {@code [n, numFeatures]}.
     * @param n Rows.
     * @param out Receives {@code n} scores.
     */
    void scoreMatrix(float[] matrix, int n, double[] out);

    /**
     * The number of trainable parameters needed at scoring time, or -1 when unknown.
     * @return The parameter count.
     */
    long numParameters();
}
