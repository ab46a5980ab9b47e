package dev.cmr.monitor.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The sampling thread. Scripted samplers isolate its bookkeeping (failures, staleness); the real host and JVM
 * samplers show it works end to end.
 */
class ResourcePollerTest {
    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** Returns one gauge, counting polls, and remembers every timestamp it was handed. */
    static final class CountingSampler implements ResourceSampler {
        final String name;
        final List<Long> timestamps = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();

        CountingSampler(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ResourceSample sample(long nowNanos) {
            timestamps.add(nowNanos);
            return new ResourceSample(name, nowNanos, Map.of("polls_count", (double) timestamps.size()));
        }

        @Override
        public String lastError() {
            return null;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aThrowingSamplerIsCountedAndTheOthersKeepBeingPolled() {
        CountingSampler healthy = new CountingSampler("healthy");
        try (ResourcePoller sampling = new ResourcePoller(INTERVAL, List.of(new ThrowingSampler(), healthy))) {
            Await.until(DEADLINE, () -> healthy.timestamps.size() >= 5);

            ResourcePoller.Status broken = status(sampling, "broken");
            assertThat(broken.failures()).isGreaterThanOrEqualTo(4).isEqualTo(broken.polls());
            assertThat(broken.lastError()).isEqualTo("threw java.lang.IllegalStateException: sensor fell off");
            assertThat(status(sampling, "healthy").failures()).isZero();
            assertThat(sampling.latest()).containsOnlyKeys("healthy");
        }
    }

    @Test
    void aSamplerReturningNullIsAFailureWithItsOwnReasonAndItsOldValuesAreDropped() {
        AtomicBoolean broken = new AtomicBoolean();
        ResourceSampler flaky = new ResourceSampler() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public ResourceSample sample(long nowNanos) {
                return broken.get() ? null : new ResourceSample("flaky", nowNanos, Map.of("x_count", 1.0));
            }

            @Override
            public String lastError() {
                return broken.get() ? "device lost" : null;
            }

            @Override
            public void close() {
            }
        };
        try (ResourcePoller sampling = new ResourcePoller(INTERVAL, List.of(flaky))) {
            Await.until(DEADLINE, () -> sampling.latest().containsKey("flaky"));
            broken.set(true);
            Await.until(DEADLINE, () -> sampling.failures() >= 1 && !sampling.latest().containsKey("flaky"));

            assertThat(status(sampling, "flaky").lastError()).isEqualTo("device lost");
            assertThat(sampling.latestValues(System.nanoTime())).isEmpty();
        }
    }

    @Test
    void pollsAreNeverCloserThanTheIntervalAndEveryTimestampAdvances() {
        CountingSampler sampler = new CountingSampler("c");
        try (ResourcePoller sampling = new ResourcePoller(INTERVAL, List.of(sampler))) {
            Await.until(DEADLINE, () -> sampler.timestamps.size() >= 6);
        }
        List<Long> t = new ArrayList<>(sampler.timestamps);
        for (int i = 1; i < t.size(); i++) {
            // Fixed delay: the next poll starts an interval after the previous one ended.
            assertThat(t.get(i) - t.get(i - 1)).isGreaterThanOrEqualTo(INTERVAL);
        }
    }

    @Test
    void latestValuesAreKeyedBySourceAndGaugeAndLeaveOutStaleSources() {
        CountingSampler sampler = new CountingSampler("c");
        try (ResourcePoller sampling = new ResourcePoller(TimeUnit.SECONDS.toNanos(3600), List.of(sampler))) {
            Await.until(DEADLINE, () -> sampling.latest().containsKey("c")); // the first poll runs at once
            long sampledAt = sampling.latest().get("c").timestampNanos();

            assertThat(sampling.latestValues(sampledAt)).containsExactly(Map.entry("c.polls_count", 1.0));
            long staleAfter = ResourcePoller.STALE_AFTER_INTERVALS * sampling.intervalNanos();
            assertThat(sampling.latestValues(sampledAt + staleAfter)).containsOnlyKeys("c.polls_count");
            assertThat(sampling.latestValues(sampledAt + staleAfter + 1)).isEmpty();
        }
    }

    @Test
    void anAddedSamplerIsPolledAndClosedWithTheOthers() {
        CountingSampler first = new CountingSampler("first");
        CountingSampler added = new CountingSampler("added");
        ResourcePoller sampling = new ResourcePoller(INTERVAL, List.of(first));
        try {
            sampling.add(added);
            Await.until(DEADLINE, () -> added.timestamps.size() >= 2);
            assertThat(sampling.status()).extracting(ResourcePoller.Status::source).containsExactly("first", "added");
        } finally {
            sampling.close();
        }
        assertThat(first.closed).isTrue();
        assertThat(added.closed).isTrue();
        int polls = added.timestamps.size();
        Await.pause(Duration.ofNanos(5 * INTERVAL)); // the thread is gone: nothing polls any more
        assertThat(added.timestamps).hasSize(polls);
    }

    @Test
    void aSecondSamplerWithTheSameNameIsRejectedNamingIt() {
        try (ResourcePoller sampling = new ResourcePoller(INTERVAL, List.of(new CountingSampler("gpu0")))) {
            assertThatThrownBy(() -> sampling.add(new CountingSampler("gpu0")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a resource sampler named 'gpu0' is already added");
        }
    }

    @Test
    void realHostAndJvmSamplersPublishTimestampedValues() {
        try (ResourcePoller sampling = new ResourcePoller(INTERVAL, List.of(new HostSampler(), new JvmSampler()))) {
            Await.until(DEADLINE,
                    () -> sampling.latestValues(System.nanoTime()).containsKey("host.system_cpu_percent"));
            long firstSeen = sampling.latest().get("host").timestampNanos();
            Await.until(DEADLINE, () -> sampling.latest().get("host").timestampNanos() > firstSeen);

            Map<String, Double> values = sampling.latestValues(System.nanoTime());
            assertThat(values).containsKeys("host.process_rss_bytes", "host.system_memory_total_bytes",
                    "jvm.jvm_heap_used_bytes", "jvm.jvm_gc_time_ms", "jvm.jvm_thread_count");
            Map<String, ResourceSample> onePoll = sampling.latest();
            assertThat(onePoll.get("jvm").timestampNanos()).isEqualTo(onePoll.get("host").timestampNanos());
            assertThat(sampling.failures()).isZero();
        }
    }

    static ResourcePoller.Status status(ResourcePoller sampling, String source) {
        return sampling.status().stream().filter(s -> s.source().equals(source)).findFirst().orElseThrow();
    }
}
