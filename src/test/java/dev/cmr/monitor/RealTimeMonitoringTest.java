package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cmr.monitor.engine.TrackedOperations;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.record.Stage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RealTimeMonitoringTest {
    private static final long MS = 1_000_000L;

    /** A wall clock the test moves by hand. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advanceSeconds(double seconds) {
            millis.addAndGet(Math.round(seconds * 1000));
        }
    }

    /** The collector never fires during a test (one hour); the test closes intervals itself. */
    private static final MonitoringConfig MANUAL = MonitoringConfig.builder().metricCollectionInterval(3600)
            .maxHistorySize(100).build();

    private final ManualClock clock = new ManualClock();
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MANUAL, clock, nanos::get);

    /** A steady clock: wall and monotonic time move together. */
    private void advanceSeconds(double seconds) {
        clock.advanceSeconds(seconds);
        nanos.addAndGet(Math.round(seconds * 1e9));
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    // ---- live stats ----

    @Test
    void liveStatsRatesFollowFromTheRecordedIntervals() {
        for (int i = 0; i < 20; i++) {
            monitor.recordForward(5 * MS);
            monitor.recordCapture(0, 3, 2, MS);
            monitor.recordCapture(1, 3, 2, 3 * MS);
        }
        monitor.recordError("capture", new IllegalStateException());
        advanceSeconds(2);
        monitor.collectInterval();
        for (int i = 0; i < 10; i++) {
            monitor.recordForward(9 * MS);
        }
        monitor.recordError("capture", new IllegalStateException());
        advanceSeconds(2);
        monitor.collectInterval();

        LiveStats live = monitor.getLiveStats();

        assertThat(live.intervals()).isEqualTo(2);
        assertThat(live.windowSeconds()).isEqualTo(4.0);
        assertThat(live.forwards()).isEqualTo(30);
        assertThat(live.forwardsPerSecond()).isCloseTo(7.5, within(1e-12));
        assertThat(live.stage(Stage.CAPTURE).count()).isEqualTo(40);
        assertThat(live.stage(Stage.CAPTURE).perSecond()).isCloseTo(10.0, within(1e-12));
        assertThat(live.records()).isEqualTo(70);
        assertThat(live.recordsPerSecond()).isCloseTo(17.5, within(1e-12));
        assertThat(live.errors()).isEqualTo(2);
        assertThat(live.errorsPerSecond()).isCloseTo(0.5, within(1e-12));
        assertThat(live.errorRate()).isCloseTo(2.0 / 70, within(1e-12));
        // Upper bounds over the window: the slower interval's forward p99 (9 ms) and the captures' 3 ms.
        assertThat(live.stage(Stage.FORWARD).p99UpperNanos()).isCloseTo(9 * MS, within(9 * MS / 100));
        assertThat(live.stage(Stage.CAPTURE).p99UpperNanos()).isCloseTo(3 * MS, within(3 * MS / 100));
        assertThat(live.stage(Stage.CAPTURE).p50UpperNanos()).isLessThanOrEqualTo(live.stage(Stage.CAPTURE).p99UpperNanos());
        assertThat(live.toMap()).containsKeys("window_seconds", "stages", "throughput", "error_rate");
    }

    @Test
    void liveStatsLeaveOutIntervalsOlderThanTheWindow() {
        monitor.recordForward(5 * MS);
        advanceSeconds(1);
        monitor.collectInterval();
        advanceSeconds(4000); // the window is max(live_window, collection interval) = 3600 s
        for (int i = 0; i < 3; i++) {
            monitor.recordForward(5 * MS);
        }
        monitor.collectInterval();

        LiveStats live = monitor.getLiveStats();

        assertThat(live.intervals()).isEqualTo(1);
        assertThat(live.forwards()).isEqualTo(3);
        assertThat(live.windowSeconds()).isEqualTo(4000.0);
    }

    @Test
    void liveStatsWithoutIntervalsHaveNullRatesNotZeros() {
        LiveStats live = monitor.getLiveStats();

        assertThat(live.intervals()).isZero();
        assertThat(live.forwardsPerSecond()).isNull();
        assertThat(live.recordsPerSecond()).isNull();
        assertThat(live.errorRate()).isNull();
    }

    // ---- trackPerformance ----

    @Test
    void trackedBlockRecordsItsDurationUnderItsName() {
        try (PerformanceScope scope = monitor.trackPerformance("generate")) {
            nanos.addAndGet(7 * MS);
            scope.success();
        }

        TrackedStats stats = monitor.getTrackedStats().get("generate");
        assertThat(stats.count()).isEqualTo(1);
        assertThat(stats.failures()).isZero();
        assertThat(stats.maxNanos()).isCloseTo(7 * MS, within(7 * MS / 100));
        assertThat(monitor.getStats().totalErrors()).isZero();
    }

    @Test
    void anExceptionEscapingATrackedBlockCountsAsAFailureAndAnError() {
        assertThatThrownBy(() -> {
            try (PerformanceScope scope = monitor.trackPerformance("decode")) {
                nanos.addAndGet(3 * MS);
                throw new IllegalStateException("model failed");
            }
        }).isInstanceOf(IllegalStateException.class);

        TrackedStats stats = monitor.getTrackedStats().get("decode");
        assertThat(stats.count()).isEqualTo(1);
        assertThat(stats.failures()).isEqualTo(1);
        assertThat(stats.maxNanos()).isCloseTo(3 * MS, within(3 * MS / 100));
        assertThat(monitor.getStats().errorsByComponent())
                .containsEntry("scope:decode", Map.of(PerformanceScope.NotCompleted.class.getName(), 1L));
    }

    @Test
    void failWithACauseRecordsTheCausesClassAndClosingTwiceRecordsOnce() {
        PerformanceScope scope = monitor.trackPerformance("lookup");
        scope.fail(new IllegalArgumentException("bad key"));
        scope.close();
        scope.close();

        assertThat(monitor.getTrackedStats().get("lookup").count()).isEqualTo(1);
        assertThat(monitor.getStats().errorsByComponent())
                .containsEntry("scope:lookup", Map.of(IllegalArgumentException.class.getName(), 1L));
    }

    @Test
    void unnamedBlocksAreTrackedAsDefaultAndNamesAreBounded() {
        try (PerformanceScope scope = monitor.trackPerformance()) {
            scope.success();
        }
        for (int i = 0; i < TrackedOperations.MAX_NAMES + 10; i++) {
            try (PerformanceScope scope = monitor.trackPerformance("request-" + i)) {
                scope.success();
            }
        }

        Map<String, TrackedStats> tracked = monitor.getTrackedStats();
        assertThat(tracked).hasSize(TrackedOperations.MAX_NAMES + 1).containsKeys("default", "other");
        assertThat(tracked.get("other").count()).isEqualTo(11);
        assertThat(tracked.values().stream().mapToLong(TrackedStats::count).sum())
                .isEqualTo(TrackedOperations.MAX_NAMES + 11);
    }

    // ---- real time and health ----

    @Test
    void realTimeIsOffByDefaultOnWithTheConfigKeyAndIdempotent() {
        assertThat(monitor.isRealTimeMonitoring()).isFalse();
        monitor.enableRealTimeMonitoring();
        monitor.enableRealTimeMonitoring();
        assertThat(monitor.isRealTimeMonitoring()).isTrue();

        try (CmrPerformanceMonitor configured = new CmrPerformanceMonitor(
                MonitoringConfig.builder().enableRealTime(true).build())) {
            assertThat(configured.isRealTimeMonitoring()).isTrue();
        }
    }

    @Test
    void enablingRealTimeAfterCloseIsAnError() {
        monitor.close();

        assertThatThrownBy(monitor::enableRealTimeMonitoring).isInstanceOf(IllegalStateException.class)
                .hasMessage("monitor is closed");
        assertThat(monitor.isRealTimeMonitoring()).isFalse();
    }

    @Test
    void scheduledHealthCheckHandsReportsToListenersOnTheCollectorThread() throws InterruptedException {
        BlockingQueue<String> threads = new ArrayBlockingQueue<>(100);
        try (CmrPerformanceMonitor live = new CmrPerformanceMonitor(MonitoringConfig.builder()
                .healthCheckInterval(0.01).build())) {
            live.addHealthListener(report -> threads.offer(Thread.currentThread().getName()));
            live.enableRealTimeMonitoring();

            String thread = threads.poll(30, TimeUnit.SECONDS);

            assertThat(thread).isEqualTo("cmr-monitor-collector");
            assertThat(live.getHealthHistory()).isNotEmpty();
        }
    }

    @Test
    void freshMonitorIsNoDataNeverGreen() {
        // Without resource sampling: the host sampler's first sample, taken at start-up on its own thread, would
        // otherwise race with getHealth() and give the host component data.
        try (CmrPerformanceMonitor fresh = new CmrPerformanceMonitor(MonitoringConfig.builder()
                .metricCollectionInterval(3600).enableResourceSampling(false).build(), clock, nanos::get)) {
            HealthReport report = fresh.getHealth();

            assertThat(report.status()).isEqualTo(HealthStatus.NO_DATA);
            report.components().values().forEach(c -> assertThat(c.status()).isEqualTo(HealthStatus.NO_DATA));
            assertThat(fresh.getHealthHistory()).containsExactly(report);
        }
    }

    @Test
    void withoutRealTimeEachGetHealthEvaluatesAndHistoryIsBoundedByMaxHistorySize() {
        try (CmrPerformanceMonitor small = new CmrPerformanceMonitor(MonitoringConfig.builder()
                .metricCollectionInterval(3600).maxHistorySize(3).build(), clock, nanos::get)) {
            for (int i = 0; i < 5; i++) {
                advanceSeconds(1);
                small.getHealth();
            }

            assertThat(small.getHealthHistory()).hasSize(3);
            assertThat(small.getHealthHistory().get(2).timestampEpochMillis()).isEqualTo(clock.millis());
        }
    }

    @Test
    void healthJudgesTheRecordedWindow() {
        for (int i = 0; i < 10; i++) {
            monitor.recordRetrieval(0, 10, 5, false, 300 * MS); // 0.3 s: above twice high_latency (0.1 s)
        }
        advanceSeconds(1);
        monitor.collectInterval();

        HealthReport report = monitor.evaluateHealth();

        assertThat(report.component("retrieval_system").status()).isEqualTo(HealthStatus.RED);
        assertThat(report.component("retrieval_system").details()).containsEntry("retrievals", 10L);
        assertThat(report.status()).isEqualTo(HealthStatus.RED);
        assertThat(report.metrics().get("system.p99_latency_seconds")).isCloseTo(0.3, within(0.003));
    }

    @Test
    void hostSourceFeedsHostAndAThrowingSourceIsCountedAsNoData() {
        monitor.setHostSource(() -> new HostReading(0.99, 0.2));
        assertThat(monitor.evaluateHealth().component("host").status()).isEqualTo(HealthStatus.RED);

        monitor.setHostSource(() -> {
            throw new IllegalStateException("sampler down");
        });
        assertThat(monitor.evaluateHealth().component("host").status()).isEqualTo(HealthStatus.NO_DATA);
        assertThat(monitor.getStats().errorsByComponent()).containsKey("host_source");
    }

    @Test
    void resetClearsTrackedBlocksAndHealthHistory() {
        try (PerformanceScope scope = monitor.trackPerformance("x")) {
            scope.success();
        }
        monitor.evaluateHealth();

        monitor.reset();

        assertThat(monitor.getTrackedStats()).isEmpty();
        assertThat(monitor.getHealthHistory()).isEmpty();
    }
}
