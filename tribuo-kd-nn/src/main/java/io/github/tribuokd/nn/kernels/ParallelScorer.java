package io.github.tribuokd.nn.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Scores many independent rows (windows, examples) on several threads: the rows are cut into contiguous chunks,
 * each thread scores its chunks with its own scratch memory, and every row's score is written to its own slot.
 * Rows do not interact, so the scores are bit-identical to single-threaded scoring. Close it to stop its threads.
 * @param <W> The per-thread scratch type (e.g. the LSTM autoencoder network's workspace).
 */
public final class ParallelScorer<W> implements AutoCloseable {

    /** Scores rows {@code [from, to)} with a thread's scratch. */
    @FunctionalInterface
    public interface ChunkScorer<W> {
        /**
         * Scores a contiguous range of rows.
         * @param scratch The calling thread's scratch.
         * @param from First row.
         * @param to One past the last row.
         * @param out Receives {@code out[from..to)}.
         */
        void score(W scratch, int from, int to, double[] out);
    }

    private final int threads;
    private final int chunk;
    private final List<W> scratch = new ArrayList<>();
    private final ExecutorService pool;

    /**
     * Creates a scorer.
     * @param threads The number of threads (1 scores on the caller's thread).
     * @param chunk The rows per call of the chunk scorer (at most the scratch's capacity).
     * @param scratchFactory Makes one scratch per thread.
     */
    public ParallelScorer(int threads, int chunk, Supplier<W> scratchFactory) {
        if (threads < 1 || chunk < 1) {
            throw new IllegalArgumentException("threads and chunk must be positive, found " + threads + ", " + chunk);
        }
        this.threads = threads;
        this.chunk = chunk;
        for (int t = 0; t < threads; t++) {
            scratch.add(scratchFactory.get());
        }
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread th = new Thread(r, "tribuo-kd-scoring");
            th.setDaemon(true);
            return th;
        }) : null;
    }

    /**
     * Scores rows {@code [0, n)}: thread t takes chunks t, t + threads, t + 2·threads, ...
     * @param n The number of rows.
     * @param scorer Scores one chunk.
     * @param out Receives n scores.
     */
    public void score(int n, ChunkScorer<W> scorer, double[] out) {
        List<Future<?>> pending = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            int thread = t;
            pending.add(pool.submit(() -> run(thread, n, scorer, out)));
        }
        run(0, n, scorer, out);
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Scoring interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("A scoring thread failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private void run(int thread, int n, ChunkScorer<W> scorer, double[] out) {
        W w = scratch.get(thread);
        for (int from = thread * chunk; from < n; from += threads * chunk) {
            scorer.score(w, from, Math.min(n, from + chunk), out);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
