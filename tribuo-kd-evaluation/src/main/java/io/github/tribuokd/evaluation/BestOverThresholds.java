package io.github.tribuokd.evaluation;

/**
 * An <b>oracle</b> figure: the best value of a threshold-dependent metric over TSB-AD's grid of thresholds,
 * {@code np.linspace(min(score), max(score), 100)} with a point predicted anomalous when {@code score > threshold}
 * (TSB-AD's convention for its "Standard-F1", "PA-F1", "Event-based-F1", "R-based-F1" and "Affiliation-F" when no
 * predictions are given; Liu &amp; Paparrizos, NeurIPS 2024 Datasets and Benchmarks). The grid uses the test labels to
 * choose the threshold, so it is an upper bound on what a deployable threshold achieves and every report labels it
 * as such. Immutable.
 * <p>
 * Ties and undefined values follow Python's {@code max} over the list: the first (lowest) threshold attaining the
 * maximum wins; a value that is NaN (affiliation precision when nothing is predicted) never wins unless the first
 * one is NaN, which happens only when every score is equal.
 */
public final class BestOverThresholds {

    private final String metric;
    private final double value;
    private final double threshold;
    private final int thresholds;

    BestOverThresholds(String metric, double value, double threshold, int thresholds) {
        this.metric = metric;
        this.value = value;
        this.threshold = threshold;
        this.thresholds = thresholds;
    }

    /** @return The metric's name. */
    public String metric() {
        return metric;
    }

    /** @return The best value over the thresholds (an oracle figure). */
    public double value() {
        return value;
    }

    /** @return The first threshold of the grid attaining {@link #value()} ({@code score > threshold}). */
    public double threshold() {
        return threshold;
    }

    /** @return The number of thresholds searched (100). */
    public int thresholds() {
        return thresholds;
    }

    /** @return Always {@code true}: the threshold was chosen with the test labels. */
    public boolean oracle() {
        return true;
    }

    @Override
    public String toString() {
        return "BestOverThresholds(oracle, " + metric + "=" + value + ", threshold=" + threshold + ", of "
                + thresholds + ")";
    }
}
