package dev.cmr.monitor.export.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.Stage;
import dev.cmr.testing.PrometheusBinaries;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CmrMonitorMetrics} in a simple and in a Prometheus-backed Micrometer registry. */
class CmrMonitorMetricsTest {
    @TempDir
    Path dir;

    private final CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().maxLayers(4)
            .alertChannels(List.of("log")).build());

    @AfterEach
    void close() {
        monitor.close();
    }

    private void record() {
        monitor.recordCapture(0, 4, 3, 2_000_000L);
        monitor.recordCapture(1, 4, 1, 4_000_000L);
        monitor.recordRetrieval(0, 10, 2, true, 1_000_000L);
        monitor.recordRetrieval(1, 10, 2, false, 1_000_000L);
        monitor.recordLayer(0, -5L);
        monitor.evaluateHealth();
    }

    @Test
    void simpleRegistryReadsTheMonitorsCurrentValues() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong clock = new AtomicLong();
        new CmrMonitorMetrics(monitor, List.of(Tag.of("model", "gpt2")), clock::get).bindTo(registry);
        assertThat(registry.get("cmr.captures").functionCounter().count()).isZero();

        record();
        clock.addAndGet(CmrMonitorMetrics.MAX_SNAPSHOT_AGE_NANOS);
        FunctionTimer capture = registry.get("cmr.stage.duration").tag("stage", "capture").tag("model", "gpt2")
                .functionTimer();
        assertThat(capture.count()).isEqualTo(2);
        assertThat(capture.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(6_000_000);
        assertThat(registry.get("cmr.captures").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cmr.rejected.records").tag("reason", "negative_duration").functionCounter()
                .count()).isEqualTo(1);
        assertThat(registry.get("cmr.retrieval.cache.hit.ratio").gauge().value()).isEqualTo(0.5);
        assertThat(registry.get("cmr.capture.efficiency").gauge().value()).isEqualTo(0.5);
        assertThat(registry.get("cmr.buffer.utilization").gauge().value()).isNaN();
        assertThat(registry.get("cmr.health.score").tag("component", "system").gauge().value())
                .isEqualTo(monitor.getHealthHistory().get(0).score() == null ? Double.NaN
                        : monitor.getHealthHistory().get(0).score().doubleValue());
        assertThat(registry.find("cmr.stage.duration").functionTimers()).hasSize(Stage.timedStages().size());
    }

    @Test
    void readsWithinTheSnapshotAgeShareOneStatsSnapshot() {
        AtomicLong clock = new AtomicLong();
        CmrMonitorMetrics metrics = new CmrMonitorMetrics(monitor, List.of(), clock::get);
        var first = metrics.stats();
        clock.addAndGet(CmrMonitorMetrics.MAX_SNAPSHOT_AGE_NANOS - 1);
        assertThat(metrics.stats()).isSameAs(first);
        clock.addAndGet(1);
        assertThat(metrics.stats()).isNotSameAs(first);
    }

    @Test
    void prometheusRegistryScrapesOurSeriesInBaseUnitsAndPromtoolAcceptsThem() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new CmrMonitorMetrics(monitor).bindTo(registry);
        record();
        String text = registry.scrape();
        assertThat(text).contains("cmr_captures_total 2.0", "cmr_stage_duration_seconds_count{stage=\"capture\"} 2",
                "cmr_stage_duration_seconds_sum{stage=\"capture\"} 0.006",
                "cmr_rejected_records_total{reason=\"negative_duration\"} 1.0");
        PrometheusBinaries.Result r = PrometheusBinaries.promtool(dir, text.getBytes(StandardCharsets.UTF_8),
                "check", "metrics");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
