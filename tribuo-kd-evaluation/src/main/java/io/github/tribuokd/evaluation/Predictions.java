package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * Package-private: one 0/1 prediction vector as prefix counts and runs, built in one pass, shared by
 * {@link RangeBasedF1}, {@link EventBasedF1} and {@link AffiliationMetrics} (one vector serves all three at each
 * threshold of an oracle search).
 */
final class Predictions {

    /** {@code prefix[i]} = number of predicted points in {@code [0, i)}. */
    final int[] prefix;
    /** The maximal runs of predicted points, flat {@code {start, endExclusive, ...}}. */
    final int[] runs;

    private Predictions(int[] prefix, int[] runs) {
        this.prefix = prefix;
        this.runs = runs;
    }

    /** The predictions {@code score > threshold}. */
    static Predictions of(double[] scores, double threshold) {
        int n = scores.length;
        int[] prefix = new int[n + 1];
        int[] runs = new int[16];
        int r = 0;
        boolean previous = false;
        for (int i = 0; i < n; i++) {
            boolean p = scores[i] > threshold;
            prefix[i + 1] = prefix[i] + (p ? 1 : 0);
            if (p != previous) {
                if (r == runs.length) {
                    runs = Arrays.copyOf(runs, 2 * r);
                }
                runs[r++] = i;
                previous = p;
            }
        }
        if (previous) {
            if (r == runs.length) {
                runs = Arrays.copyOf(runs, r + 1);
            }
            runs[r++] = n;
        }
        return new Predictions(prefix, Arrays.copyOf(runs, r));
    }

    /** 0/1 predictions, already validated. */
    static Predictions of(int[] predictions) {
        return new Predictions(TsbAdConventions.prefixCounts(predictions), Segments.flat(predictions));
    }

    /** @return The number of points. */
    int length() {
        return prefix.length - 1;
    }

    /** @return The number of predicted points in {@code [from, to)}. */
    int count(int from, int to) {
        return prefix[to] - prefix[from];
    }

    /** @return The number of predicted points. */
    int total() {
        return prefix[prefix.length - 1];
    }

    /**
     * The runs as TSB-AD's {@code range_convers_new} finds them: none at all when every point is predicted.
     */
    int[] tsbAdRanges() {
        return total() == length() ? new int[0] : runs;
    }
}
