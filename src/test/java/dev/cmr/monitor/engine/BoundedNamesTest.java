package dev.cmr.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BoundedNamesTest {
    @Test
    void namesPastTheCapAreAdmittedAsTheOverflowAndTheOverflowTakesNoSlot() {
        BoundedNames<LongAdder> names = new BoundedNames<>(2, "other", k -> new LongAdder());

        assertThat(names.admit("other")).isEqualTo("other");
        assertThat(names.admit("a")).isEqualTo("a");
        assertThat(names.admit("b")).isEqualTo("b");
        assertThat(names.admit("c")).isEqualTo("other");
        assertThat(names.admit("a")).isEqualTo("a");
        names.get("d").increment();
        names.get("other").increment();

        assertThat(names.size()).isEqualTo(3);
        assertThat(names.get("other").sum()).isEqualTo(2);
    }

    /** 32 threads admit the same 200 names at once: each name is inserted once, losers give their slot back. */
    @RepeatedTest(5)
    void threadsRacingOnTheSameNamesFillTheCapExactly() throws Exception {
        BoundedNames<LongAdder> names = new BoundedNames<>(150, "other", k -> new LongAdder());
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 200; i++) {
                        names.get("n-" + i).increment();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(names.size()).isLessThanOrEqualTo(151);
        long[] total = {0};
        names.forEach((name, n) -> total[0] += n.sum());
        assertThat(total[0]).isEqualTo(32 * 200);
    }
}
