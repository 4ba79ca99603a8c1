package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * Package-private: one 0/1 prediction (or label) vector as its runs of 1s, shared by {@link RangeBasedF1},
 * {@link EventBasedF1} and {@link AffiliationMetrics} (one vector serves all three at each threshold of an oracle
 * search). Counts over an interval are answered from the runs by binary search, so a vector costs one pass over the
 * scores and memory proportional to its number of runs.
 */
final class Predictions {

    /** The maximal runs of 1s, flat {@code {start, endExclusive, ...}}, in increasing order. */
    final int[] runs;
    private final int length;
    private final int total;

    private Predictions(int[] runs, int length) {
        this.runs = runs;
        this.length = length;
        int sum = 0;
        for (int r = 0; r < runs.length; r += 2) {
            sum += runs[r + 1] - runs[r];
        }
        this.total = sum;
    }

    /** The predictions {@code score > threshold}. */
    static Predictions of(double[] scores, double threshold) {
        int n = scores.length;
        int[] starts = new int[16];
        int r = 0;
        boolean previous = false;
        for (int i = 0; i < n; i++) {
            boolean p = scores[i] > threshold;
            if (p != previous) {
                if (r == starts.length) {
                    starts = Arrays.copyOf(starts, 2 * r);
                }
                starts[r++] = i;
                previous = p;
            }
        }
        if (previous) {
            starts = Arrays.copyOf(starts, r + 1);
            starts[r++] = n;
        }
        return new Predictions(Arrays.copyOf(starts, r), n);
    }

    /** A 0/1 vector, already validated. */
    static Predictions of(int[] vector) {
        return new Predictions(Segments.flat(vector), vector.length);
    }

    /**
     * Builds the prediction vectors {@code score > grid[k]} of one score series for a non-decreasing grid of at most
     * 127 thresholds: each score is first mapped to the number of thresholds it exceeds (one byte per point), so that
     * a vector costs one branch-free pass over bytes instead of doubles. A grid that is not non-decreasing (NaN
     * thresholds, when {@code max − min} overflows) falls back to comparing the scores at each build.
     */
    static final class Builder {
        private final byte[] level;
        private final int[] starts;
        private final double[] scores;
        private final double[] grid;

        Builder(double[] scores, double[] grid) {
            boolean ordered = grid.length <= Byte.MAX_VALUE;
            for (int k = 1; k < grid.length && ordered; k++) {
                ordered = grid[k - 1] <= grid[k];
            }
            if (!ordered || (grid.length > 0 && Double.isNaN(grid[0]))) {
                this.level = null;
                this.starts = null;
                this.scores = scores;
                this.grid = grid;
                return;
            }
            this.scores = null;
            this.grid = null;
            int n = scores.length;
            this.level = new byte[n];
            this.starts = new int[n + 1];
            for (int i = 0; i < n; i++) {
                double s = scores[i];
                int lo = 0; // the number of thresholds strictly below s
                int hi = grid.length;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (grid[mid] < s) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                level[i] = (byte) lo;
            }
        }

        /** The predictions {@code score > grid[k]}. */
        Predictions build(int k) {
            if (level == null) {
                return Predictions.of(scores, grid[k]);
            }
            byte[] level = this.level;
            int[] starts = this.starts;
            int n = level.length;
            int r = 0;
            int previous = 0;
            for (int i = 0; i < n; i++) {
                int p = level[i] > k ? 1 : 0;
                starts[r] = i;          // kept only where the prediction changes
                r += p ^ previous;
                previous = p;
            }
            if (previous == 1) {
                starts[r++] = n;
            }
            return new Predictions(Arrays.copyOf(starts, r), n);
        }
    }

    /** @return The number of points. */
    int length() {
        return length;
    }

    /** @return The number of 1s. */
    int total() {
        return total;
    }

    /** @return The number of 1s in {@code [from, to)}. */
    int count(int from, int to) {
        int numRuns = runs.length / 2;
        int lo = 0;
        int hi = numRuns;
        while (lo < hi) { // the first run ending after from
            int mid = (lo + hi) >>> 1;
            if (runs[2 * mid + 1] <= from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int count = 0;
        for (int q = lo; q < numRuns && runs[2 * q] < to; q++) {
            count += Math.min(runs[2 * q + 1], to) - Math.max(runs[2 * q], from);
        }
        return count;
    }

    /**
     * The runs as TSB-AD's {@code range_convers_new} finds them: none at all when every point is 1.
     */
    int[] tsbAdRanges() {
        return total == length ? new int[0] : runs;
    }
}
