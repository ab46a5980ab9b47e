package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.alert.AlertNotification;
import dev.cmr.monitor.alert.Severity;
import dev.cmr.monitor.health.HealthReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert manager inside the monitor: fed by every health evaluation, configured from the monitor's config. */
class MonitorAlertingTest {
    private static final MonitoringConfig CALLBACK_ONLY = MonitoringConfig.builder()
            .metricCollectionInterval(3600).enableResourceSampling(false).alertChannels(List.of("callback")).build();

    @Test
    void aHealthEvaluationWithAHighErrorRateFiresTheCriticalErrorRateAlertAtOnce() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CALLBACK_ONLY)) {
            List<AlertNotification> received = new CopyOnWriteArrayList<>();
            monitor.alerts().addCallback(received::add);
            for (int i = 0; i < 10; i++) {
                monitor.recordForward(1_000_000L);
            }
            for (int i = 0; i < 5; i++) {
                monitor.recordError("retrieval", new IllegalStateException("index gone"));
            }

            monitor.collectInterval(); // health judges the error rate over the closed intervals of the live window
            HealthReport report = monitor.evaluateHealth();

            assertThat(report.metrics().get("system.error_rate")).isGreaterThan(4 * 0.05);
            assertThat(received).anySatisfy(n -> {
                assertThat(n.status()).isEqualTo(AlertNotification.Status.FIRING);
                assertThat(n.rule().metric()).isEqualTo("system.error_rate");
                assertThat(n.rule().severity()).isEqualTo(Severity.CRITICAL);
            });
            assertThat(monitor.alerts().activeAlerts()).isNotEmpty();
        }
    }

    @Test
    void disabledAlertsTrackNothingWhileHealthStillEvaluates() {
        MonitoringConfig off = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).enableAlerts(false).alertChannels(List.of("callback")).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(off)) {
            List<AlertNotification> received = new CopyOnWriteArrayList<>();
            monitor.alerts().addCallback(received::add);
            monitor.recordForward(1_000L);
            monitor.recordError("retrieval", new IllegalStateException());
            monitor.collectInterval();

            assertThat(monitor.evaluateHealth().metrics()).containsKey("system.error_rate");
            assertThat(received).isEmpty();
            assertThat(monitor.alerts().activeAlerts()).isEmpty();
        }
    }

    @Test
    void aFileChannelWithoutAPathFailsAtStartupNamingTheKey() {
        MonitoringConfig file = MonitoringConfig.builder().alertChannels(List.of("file")).build();
        assertThatThrownBy(() -> new CmrPerformanceMonitor(file).close())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alert_file");
    }

    @Test
    void aFailingAlertChannelIsCountedAmongTheMonitorsErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        MonitoringConfig config = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).alertChannels(List.of("file")).alertFile(file.toString()).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config)) {
            Files.deleteIfExists(file);
            Files.createDirectory(file); // the file's place is taken: every write fails, for root too
            for (int i = 0; i < 10; i++) {
                monitor.recordForward(1_000_000L);
            }
            for (int i = 0; i < 5; i++) {
                monitor.recordError("retrieval", new IllegalStateException("index gone"));
            }
            monitor.collectInterval();
            monitor.evaluateHealth();

            long failed = monitor.alerts().channelStats().get(0).failed();
            assertThat(failed).isPositive();
            MonitorStats stats = monitor.getStats();
            assertThat(stats.errorsByComponent()).containsKey("alert_channel:file");
            assertThat(stats.errorsByComponent().get("alert_channel:file").values().stream()
                    .mapToLong(Long::longValue).sum()).isEqualTo(failed);
            assertThat(stats.totalErrors()).isEqualTo(5 + failed);
        }
    }
}
