package io.github.tribuokd.anomaly;

/**
 * How fast a model scores a matrix of examples: the time per row reported beside teacher and student in the
 * distillation reports.
 */
public final class ScoringSpeed {

    private ScoringSpeed() {
    }

    /**
     * Scores {@code n} rows once to warm up, then three more times, and returns the fastest pass in nanoseconds per
     * row; {@code out} holds the scores of the last pass (every pass gives the same scores).
     *
     * @param model  The model.
     * @param matrix The rows, row-major.
     * @param n      The number of rows (positive).
     * @param out    Where the scores go, at least {@code n} long.
     * @return The fastest of three timed passes, in ns per row.
     */
    public static double nanosPerRow(ScoredModel model, float[] matrix, int n, double[] out) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, found " + n);
        }
        model.scoreMatrix(matrix, n, out);
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            model.scoreMatrix(matrix, n, out);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return (double) best / n;
    }
}
