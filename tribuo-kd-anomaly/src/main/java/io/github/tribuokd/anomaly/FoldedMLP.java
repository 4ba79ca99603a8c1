package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.kernels.OneHiddenLayerScorer;

/**
 * An {@link MLPRegressionModel}'s function of raw features as one network (standardisations and target scaling
 * folded into the first and last dense layers, see {@link MLPRegressionModel#foldedNetwork}), with its scoring
 * routes: the {@link OneHiddenLayerScorer} when the network has one hidden layer and the Vector API is present,
 * otherwise the generic {@link FeedForwardNetwork#infer} in chunks with a per-thread workspace. Derived from the
 * model's parameters when the model is built; never serialized.
 */
final class FoldedMLP {

    /** Rows per generic forward call (the workspace capacity). */
    private static final int CHUNK = 256;

    private final FeedForwardNetwork network;
    private final OneHiddenLayerScorer scorer;
    private final ThreadLocal<FeedForwardNetwork.Workspace> workspace;

    FoldedMLP(FeedForwardNetwork network) {
        this.network = network;
        this.scorer = OneHiddenLayerScorer.of(network);
        this.workspace = ThreadLocal.withInitial(() -> network.newWorkspace(CHUNK));
    }

    /**
     * The scorer, or null when this network uses the generic path.
     * @return The fast scorer.
     */
    OneHiddenLayerScorer scorer() {
        return scorer;
    }

    /**
     * Output 0 of one raw row, allocating nothing.
     * @param row The buffer.
     * @param offset Where the row starts.
     * @return The prediction.
     */
    double predictOne(float[] row, int offset) {
        if (scorer != null) {
            return scorer.scoreOne(row, offset);
        }
        return network.infer(row, offset, 1, workspace.get())[0];
    }

    /**
     * Every output of one raw row (a workspace view for more than one output, valid until the thread's next call).
     * @param row The row, from index 0.
     * @return The outputs.
     */
    float[] predictAll(float[] row) {
        if (scorer != null && network.outputSize() == 1) {
            return new float[] {scorer.scoreOne(row, 0)};
        }
        return network.infer(row, 0, 1, workspace.get());
    }

    /**
     * Output 0 of {@code n} raw rows.
     * @param matrix {@code [n, d]} row-major.
     * @param n Rows.
     * @param out Receives {@code n} predictions.
     * @param threads The most threads (the fast path only; the generic path runs on the caller's thread).
     */
    void predictMatrix(float[] matrix, int n, double[] out, int threads) {
        if (scorer != null) {
            scorer.score(matrix, 0, n, out, 0, threads);
            return;
        }
        FeedForwardNetwork.Workspace ws = workspace.get();
        int d = network.inputSize();
        int k = network.outputSize();
        for (int first = 0; first < n; first += CHUNK) {
            int size = Math.min(CHUNK, n - first);
            float[] y = network.infer(matrix, first * d, size, ws);
            for (int r = 0; r < size; r++) {
                out[first + r] = y[r * k];
            }
        }
    }
}
