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
     * The number of trainable parameters needed at scoring time, or -1 when unknown.
     * @return The parameter count.
     */
    long numParameters();
}
