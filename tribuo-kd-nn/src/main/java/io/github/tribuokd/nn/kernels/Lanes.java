package io.github.tribuokd.nn.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToDoubleFunction;

/**
 * Runs a step's independent tasks on the calling thread and at most one worker thread: task {@code i} runs on the
 * caller when {@code i} is even and on the worker when it is odd (every task on the caller without a worker). Each
 * task writes only its own buffers and its result lands at its index, so which thread ran it never changes a
 * result: training is bit-identical on 1 or 2 threads.
 */
public final class Lanes implements AutoCloseable {

    private final ExecutorService worker;

    private Lanes(ExecutorService worker) {
        this.worker = worker;
    }

    /**
     * Opens lanes for the given number of threads.
     * @param threads 1 (the caller only) or more (the caller and one worker).
     * @param threadName The worker thread's name.
     * @return The lanes; close them when training ends.
     */
    public static Lanes open(int threads, String threadName) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, found " + threads);
        }
        ExecutorService worker = threads > 1 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }) : null;
        return new Lanes(worker);
    }

    /**
     * Runs tasks {@code 0 .. tasks - 1} and waits for all of them.
     * @param tasks The number of tasks.
     * @param task Runs task {@code i} and returns its result.
     * @param results Receives result {@code i} at index {@code i} (length at least {@code tasks}).
     */
    public void run(int tasks, IntToDoubleFunction task, double[] results) {
        if (worker == null) {
            for (int i = 0; i < tasks; i++) {
                results[i] = task.applyAsDouble(i);
            }
            return;
        }
        List<Future<?>> others = new ArrayList<>(tasks / 2);
        for (int i = 1; i < tasks; i += 2) {
            int index = i;
            others.add(worker.submit(() -> {
                results[index] = task.applyAsDouble(index);
            }));
        }
        for (int i = 0; i < tasks; i += 2) {
            results[i] = task.applyAsDouble(i);
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Training interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("A training task failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Stops the worker, if any. */
    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
