package dev.cmr.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.TrackedStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The 64-name caps of error components and tracked blocks hold however many threads add names at once: at most the
 * cap's names plus the one {@code "other"} entry, and every count lands somewhere.
 */
class NameCapsUnderContentionTest {
    private static final int THREADS = 32;
    private static final int NAMES_PER_THREAD = 200;

    /** Runs {@code add(thread, i)} for every thread and name, all threads released together by one latch. */
    private static void race(BiConsumer<Integer, Integer> add) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < NAMES_PER_THREAD; i++) {
                        add.accept(thread, i);
                    }
                    return null;
                }));
            }
            ready.await();
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @RepeatedTest(5)
    void errorComponentsNeverExceedTheCapPlusOtherAndEveryErrorIsCounted() throws Exception {
        ErrorCounter errors = new ErrorCounter();
        IllegalStateException error = new IllegalStateException("x");

        race((thread, i) -> errors.record("component-" + thread + "-" + i, error));

        Map<String, Map<String, Long>> byComponent = errors.snapshot();
        assertThat(byComponent).hasSizeLessThanOrEqualTo(ErrorCounter.MAX_KEYS + 1).containsKey(ErrorCounter.OTHER);
        assertThat(byComponent.keySet().stream().filter(k -> !k.equals(ErrorCounter.OTHER)))
                .hasSize(ErrorCounter.MAX_KEYS);
        long counted = byComponent.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue)
                .sum();
        assertThat(counted).isEqualTo((long) THREADS * NAMES_PER_THREAD);
        assertThat(errors.total()).isEqualTo((long) THREADS * NAMES_PER_THREAD);
        assertThat(errors.lastErrors()).hasSizeLessThanOrEqualTo(ErrorCounter.MAX_KEYS + 1);
    }

    @RepeatedTest(5)
    void trackedNamesNeverExceedTheCapPlusOtherAndEveryTimingIsCounted() throws Exception {
        TrackedOperations tracked = new TrackedOperations();

        race((thread, i) -> tracked.record(tracked.resolve("block-" + thread + "-" + i), 1_000, false));

        Map<String, TrackedStats> byName = tracked.snapshot();
        assertThat(byName).hasSizeLessThanOrEqualTo(TrackedOperations.MAX_NAMES + 1)
                .containsKey(TrackedOperations.OTHER);
        assertThat(byName.keySet().stream().filter(k -> !k.equals(TrackedOperations.OTHER)))
                .hasSize(TrackedOperations.MAX_NAMES);
        assertThat(byName.values().stream().mapToLong(TrackedStats::count).sum())
                .isEqualTo((long) THREADS * NAMES_PER_THREAD);
    }
}
