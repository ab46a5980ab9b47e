package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.resources.ResourceSample;
import dev.cmr.monitor.resources.ResourceSampler;
import dev.cmr.monitor.resources.ResourcePoller;
import dev.cmr.monitor.resources.ThrowingSampler;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Resource sampling through the monitor, with the real host (OSHI) and JVM samplers: their values reach the time
 * series through the collector and getStats, at the configured interval, and a broken sampler stops nothing.
 */
class MonitorResourceSamplingTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final MonitoringConfig FAST = MonitoringConfig.builder()
            .metricCollectionInterval(0.05).resourceSamplingInterval(0.05).build();

    @Test
    void hostAndJvmSamplesAppearInTheTimeSeriesAtTheConfiguredInterval() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(FAST)) {
            Await.until(DEADLINE, () -> withResource(monitor.getHistory(), "host.system_cpu_percent") >= 3);

            List<IntervalSnapshot> history = monitor.getHistory();
            // A late collector may close two intervals in one millisecond, so ends never decrease and do advance.
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).endEpochMillis()).isGreaterThanOrEqualTo(history.get(i - 1).endEpochMillis());
            }
            assertThat(history.get(history.size() - 1).endEpochMillis()).isGreaterThan(history.get(0).endEpochMillis());
            IntervalSnapshot sampled = history.stream()
                    .filter(e -> e.resources().containsKey("host.system_cpu_percent"))
                    .reduce((older, newer) -> newer).orElseThrow();
            assertThat(sampled.resources()).containsKeys("host.system_cpu_percent", "host.process_cpu_core_percent",
                    "host.process_rss_bytes", "host.system_memory_used_bytes", "host.system_memory_total_bytes",
                    "jvm.jvm_heap_used_bytes", "jvm.jvm_heap_committed_bytes", "jvm.jvm_gc_count",
                    "jvm.jvm_gc_time_ms", "jvm.jvm_thread_count");
            int cores = Runtime.getRuntime().availableProcessors();
            for (IntervalSnapshot e : history) {
                Double system = e.resources().get("host.system_cpu_percent");
                Double process = e.resources().get("host.process_cpu_core_percent");
                if (system != null) {
                    assertThat(system).isBetween(0.0, 100.0);
                }
                if (process != null) {
                    assertThat(process).isBetween(0.0, 100.0 * Math.max(cores, logicalProcessors()));
                }
            }
            // The sampler thread keeps polling at the configured pace, not once.
            long polls = status(monitor, "host").polls();
            Await.until(DEADLINE, () -> status(monitor, "host").polls() >= polls + 3);
        }
    }

    @Test
    void theSamplingIntervalIsItsOwnSetting() {
        // Collection every 50 ms, sampling every hour: many intervals close, all on the one poll made at start.
        MonitoringConfig slowSampling = MonitoringConfig.builder()
                .metricCollectionInterval(0.05).resourceSamplingInterval(3600).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(slowSampling)) {
            Await.until(DEADLINE, () -> withResource(monitor.getHistory(), "jvm.jvm_heap_used_bytes") >= 5);

            assertThat(status(monitor, "host").polls()).isEqualTo(1);
            assertThat(status(monitor, "jvm").polls()).isEqualTo(1);
            // The host's CPU gauges need two polls: one poll leaves them absent, never zero.
            assertThat(monitor.getHistory()).allSatisfy(
                    e -> assertThat(e.resources()).doesNotContainKey("host.system_cpu_percent"));
        }
    }

    @Test
    void getStatsExposesTheLatestValuesAsTheResourcesGroup() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(FAST)) {
            Await.until(DEADLINE, () -> monitor.getStats().resources().containsKey("host.process_rss_bytes"));

            MonitorStats stats = monitor.getStats();
            Map<String, Object> map = stats.toMap();
            @SuppressWarnings("unchecked")
            Map<String, Double> resources = (Map<String, Double>) map.get("resources");
            assertThat(resources).containsKeys("host.process_rss_bytes", "jvm.jvm_heap_used_bytes");
            assertThat(resources.get("host.process_rss_bytes")).isPositive();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> samplers = (Map<String, Map<String, Object>>) map.get("resource_samplers");
            assertThat(samplers).containsOnlyKeys("host", "jvm");
            assertThat(samplers.get("host")).containsEntry("failures", 0L).containsKey("last_error");
            assertThat(stats.toJson()).contains("\"host.process_rss_bytes\"");
        }
    }

    @Test
    void aThrowingSamplerIsCountedAndStopsNeitherTheOtherSamplersNorTheMonitor() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(FAST)) {
            monitor.addResourceSampler(new ThrowingSampler());
            Await.until(DEADLINE, () -> status(monitor, "broken").failures() >= 3);
            int before = monitor.getHistory().size();
            Await.until(DEADLINE, () -> monitor.getHistory().size() >= before + 3
                    && last(monitor).resources().containsKey("host.process_rss_bytes"));

            monitor.recordForward(1_000_000L);
            MonitorStats stats = monitor.getStats();
            assertThat(stats.totalForwards()).isEqualTo(1);
            // The sampler's trouble is the monitor's, not the model's: it must not raise the report's error rate.
            assertThat(stats.totalErrors()).isZero();
            assertThat(status(monitor, "broken").lastError()).contains("sensor fell off");
            assertThat(status(monitor, "host").failures()).isZero();
            assertThat(last(monitor).resources()).noneSatisfy((key, value) -> assertThat(key).startsWith("broken."));
        }
    }

    @Test
    void anAddedSamplerReachesTheTimeSeriesUnderItsOwnName() {
        AtomicLong reads = new AtomicLong();
        ResourceSampler fake = new ResourceSampler() {
            @Override
            public String name() {
                return "gpu0";
            }

            @Override
            public ResourceSample sample(long nowNanos) {
                return new ResourceSample("gpu0", nowNanos, Map.of("gpu_power_mw", 1000.0 + reads.incrementAndGet()));
            }

            @Override
            public String lastError() {
                return null;
            }

            @Override
            public void close() {
            }
        };
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(FAST)) {
            monitor.addResourceSampler(fake);

            Await.until(DEADLINE, () -> withResource(monitor.getHistory(), "gpu0.gpu_power_mw") >= 2);
            List<Double> powers = monitor.getHistory().stream()
                    .map(e -> e.resources().get("gpu0.gpu_power_mw")).filter(v -> v != null).toList();
            assertThat(powers).isSortedAccordingTo(Double::compare).allSatisfy(p -> assertThat(p).isGreaterThan(1000));
        }
    }

    @Test
    void closeStopsTheSamplerThread() {
        CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(FAST);
        Await.until(DEADLINE, () -> status(monitor, "host").polls() >= 2);

        monitor.close();
        long polls = status(monitor, "host").polls();
        Await.pause(Duration.ofMillis(200)); // four intervals: a live thread would have polled again

        assertThat(status(monitor, "host").polls()).isEqualTo(polls);
    }

    @Test
    void disabledSamplingAttachesNoResourcesAndRefusesSamplers() {
        MonitoringConfig off = MonitoringConfig.builder().metricCollectionInterval(0.05)
                .enableResourceSampling(false).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(off)) {
            Await.until(DEADLINE, () -> monitor.getHistory().size() >= 2);

            assertThat(monitor.getHistory()).allSatisfy(e -> assertThat(e.resources()).isEmpty());
            assertThat(monitor.getStats().resources()).isEmpty();
            assertThat(monitor.getStats().resourceSamplers()).isEmpty();
            assertThatThrownBy(() -> monitor.addResourceSampler(new ThrowingSampler()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("resource sampling is disabled (enable_resource_sampling = false)");
        }
    }

    // ---- helpers ----


    private static int logicalProcessors() {
        return new oshi.SystemInfo().getHardware().getProcessor().getLogicalProcessorCount();
    }

    private static long withResource(List<IntervalSnapshot> history, String key) {
        return history.stream().filter(e -> e.resources().containsKey(key)).count();
    }

    private static IntervalSnapshot last(CmrPerformanceMonitor monitor) {
        List<IntervalSnapshot> h = monitor.getHistory();
        return h.get(h.size() - 1);
    }

    private static ResourcePoller.Status status(CmrPerformanceMonitor monitor, String source) {
        return monitor.getStats().resourceSamplers().stream().filter(s -> s.source().equals(source)).findFirst()
                .orElseThrow(() -> new AssertionError("no sampler named " + source));
    }
}
