package io.github.tribuokd.nn.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a batch of independent rows between the calling thread and a few helper threads, for batches that take
 * only ~100 µs (10,000 rows of the 38-16-1 student). Two costs of a general-purpose pool matter at that scale:
 * waking a parked worker takes tens of µs (more in a virtual machine), and a fixed split into halves makes the
 * caller wait for a late worker. Here:
 * <ul>
 * <li>rows are claimed in chunks of {@code chunk}, by the caller from the front and by every helper that joins in
 * time from the back, so that a helper that starts late only does less (the caller never waits for more than one
 * chunk in progress);</li>
 * <li>a helper that has finished a job spins ({@link Thread#onSpinWait}) for at most {@value #SPIN_NANOS} ns
 * before parking, so that batches scored back to back find it awake;</li>
 * <li>a helper busy with another caller's job is skipped (concurrent callers never wait for one another).</li>
 * </ul>
 * Which thread scores a row does not change its result when the row kernel computes every row alone (as
 * {@link OneHiddenLayerKernel#scoreRows} does). The helpers are daemon threads, started on first use, one fewer
 * than the available processors, and live as long as the JVM (about {@value #SPIN_NANOS} ns of spinning after
 * each batch, then parked).
 */
final class RowSplitter {

    /** How long an idle helper spins before parking. */
    static final long SPIN_NANOS = 100_000L;

    /** Scores rows {@code [from, to)}. */
    @FunctionalInterface
    interface Rows {
        /**
         * Scores a contiguous range of rows.
         * @param from The first row.
         * @param to One past the last row.
         */
        void run(int from, int to);
    }

    private RowSplitter() {
    }

    /**
     * The number of threads that {@link #run} can use: the available processors.
     * @return The thread count, at least 1.
     */
    static int maxThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs {@code body} over rows {@code [0, n)} in chunks of {@code chunk} rows (the last one shorter), on the
     * calling thread and up to {@code threads − 1} idle helpers; returns when every row is done.
     * @param n The rows.
     * @param chunk The rows per claim (chunk boundaries are multiples of it).
     * @param threads The most threads, the caller included.
     * @param body The work.
     */
    static void run(int n, int chunk, int threads, Rows body) {
        int helpers = Math.min(threads, maxThreads()) - 1;
        if (helpers <= 0 || n <= chunk) {
            body.run(0, n);
            return;
        }
        Job job = new Job(n, chunk, body);
        Helper[] pool = Pool.HELPERS;
        for (int h = 0, given = 0; h < pool.length && given < helpers; h++) {
            if (pool[h].offer(job)) {
                given++;
            }
        }
        job.work(true);
        while (job.done.get() < n) {
            Thread.onSpinWait(); // a helper finishing its last chunk: a few µs at most
        }
        Throwable error = job.error;
        if (error != null) {
            if (error instanceof RuntimeException) {
                throw (RuntimeException) error;
            }
            if (error instanceof Error) {
                throw (Error) error;
            }
            throw new IllegalStateException(error);
        }
    }

    /**
     * One batch: the chunks not yet claimed, {@code [lo, hi)} packed in one long, and a completion counter in rows.
     * The caller claims from the front and the helpers from the back, so that with batches of the same size each
     * thread scores nearly the same rows from one batch to the next (they stay in its own cache).
     */
    private static final class Job {
        final int n;
        final int chunk;
        final Rows body;
        final AtomicLong unclaimed;
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable error;

        Job(int n, int chunk, Rows body) {
            this.n = n;
            this.chunk = chunk;
            this.body = body;
            long chunks = (n + (long) chunk - 1) / chunk;
            this.unclaimed = new AtomicLong(chunks);
        }

        /** The next chunk from the front or the back, or −1 when none is left. */
        private int claim(boolean front) {
            while (true) {
                long s = unclaimed.get();
                int lo = (int) (s >>> 32), hi = (int) s;
                if (lo >= hi) {
                    return -1;
                }
                long next = front ? ((long) (lo + 1) << 32) | hi : ((long) lo << 32) | (hi - 1);
                if (unclaimed.compareAndSet(s, next)) {
                    return front ? lo : hi - 1;
                }
            }
        }

        /** Claims and scores chunks until none is left. */
        void work(boolean front) {
            int c;
            while ((c = claim(front)) >= 0) {
                int from = c * chunk;
                int to = (int) Math.min(n, (long) from + chunk);
                try {
                    if (error == null) {
                        body.run(from, to);
                    }
                } catch (Throwable t) {
                    error = t;
                } finally {
                    done.addAndGet(to - from);
                }
            }
        }
    }

    /** A daemon thread that runs at most one job at a time. */
    private static final class Helper implements Runnable {
        private final AtomicReference<Job> slot = new AtomicReference<>();
        private volatile boolean parked;
        private Thread thread;

        boolean offer(Job job) {
            if (!slot.compareAndSet(null, job)) {
                return false;
            }
            if (parked) {
                LockSupport.unpark(thread);
            }
            return true;
        }

        @Override
        public void run() {
            while (true) {
                Job job = slot.get();
                if (job == null) {
                    long start = System.nanoTime();
                    while ((job = slot.get()) == null && System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    }
                    if (job == null) {
                        parked = true;
                        // re-checked after the flag is set: an offer either sees the flag or is seen here
                        while ((job = slot.get()) == null) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                job.work(false);
                slot.set(null);
            }
        }
    }

    /** The helpers, started on first use. */
    private static final class Pool {
        static final Helper[] HELPERS = start(maxThreads() - 1);

        private static Helper[] start(int count) {
            Helper[] helpers = new Helper[Math.max(0, count)];
            for (int h = 0; h < helpers.length; h++) {
                helpers[h] = new Helper();
                Thread t = new Thread(helpers[h], "tribuo-kd-row-scoring-" + h);
                t.setDaemon(true);
                helpers[h].thread = t;
                t.start();
            }
            return helpers;
        }
    }
}
