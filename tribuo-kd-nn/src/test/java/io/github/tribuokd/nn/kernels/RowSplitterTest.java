package io.github.tribuokd.nn.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowSplitterTest {

    @Test
    void everyRowOnceForAnySplit() {
        for (int n : new int[] {0, 1, 255, 256, 257, 4096, 10_013}) {
            for (int threads : new int[] {1, 2, 3, 8}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                RowSplitter.run(n, 256, threads, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        hits.incrementAndGet(r);
                    }
                });
                for (int r = 0; r < n; r++) {
                    assertEquals(1, hits.get(r), "row " + r + " of " + n + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void concurrentCallersAndErrors() throws Exception {
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < 4; c++) {
            Thread t = new Thread(() -> {
                try {
                    for (int rep = 0; rep < 200; rep++) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(5000);
                        RowSplitter.run(5000, 64, 2, (from, to) -> {
                            for (int r = from; r < to; r++) {
                                hits.incrementAndGet(r);
                            }
                        });
                        for (int r = 0; r < 5000; r++) {
                            assertEquals(1, hits.get(r));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            callers.add(t);
            t.start();
        }
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(List.of(), failures);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> RowSplitter.run(10_000, 100, 2, (from, to) -> {
                    if (from >= 5000) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
    }
}
