package dev.cmr.monitor.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.resources.HostSampler;
import dev.cmr.testing.Await;
import dev.cmr.testing.PrometheusBinaries;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link MonitorCollector} and {@link MetricsEndpoint} export: names, units, labels, help, both formats. */
class MonitorCollectorTest {
    static final int MAX_LAYERS = 4;

    @TempDir
    Path dir;

    private final CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config());

    static MonitoringConfig config() {
        return MonitoringConfig.builder().maxLayers(MAX_LAYERS).alertChannels(List.of("log"))
                .enableResourceSampling(true).resourceSamplingInterval(0.05).build();
    }

    /** Some of everything: stages at two layers, a retrieval hit, an eviction, an error, a rejected record. */
    static void record(CmrPerformanceMonitor m) {
        for (int layer = 0; layer < 2; layer++) {
            m.recordCapture(layer, 4, 3, 2_000_000L);
            m.recordReconstruction(layer, 2, 3_000_000L, 0.8);
            m.recordRetrieval(layer, 10, 2, layer == 0, 1_000_000L);
            m.recordLayer(layer, 5_000_000L);
        }
        m.recordEviction(1, 1);
        m.recordForward(12_000_000L);
        m.recordLayer(0, -1L);
        m.recordError("hooks", new IllegalStateException("boom"));
        m.evaluateHealth();
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    private MetricSnapshots collect() {
        record(monitor);
        return new MonitorCollector(monitor).collect();
    }

    private static MetricSnapshot family(MetricSnapshots s, String name) {
        return s.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no family " + name + " in "
                        + s.stream().map(m -> m.getMetadata().getName()).toList()));
    }

    private static Optional<? extends DataPointSnapshot> point(MetricSnapshot m, String... labels) {
        Labels want = Labels.of(labels);
        return m.getDataPoints().stream().filter(p -> p.getLabels().equals(want)).findFirst();
    }

    @Test
    void stageDurationsAreSummariesInSecondsPerStageAndLayer() {
        MetricSnapshots s = collect();
        SummarySnapshot overall = (SummarySnapshot) family(s, MetricNames.STAGE_DURATION);
        assertThat(overall.getMetadata().getUnit()).isEqualTo(Unit.SECONDS);
        SummarySnapshot.SummaryDataPointSnapshot capture = (SummarySnapshot.SummaryDataPointSnapshot)
                point(overall, "stage", "capture").orElseThrow();
        assertThat(capture.getCount()).isEqualTo(2);
        assertThat(capture.getSum()).isCloseTo(0.004, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(capture.getQuantiles().size()).isEqualTo(3);
        assertThat(capture.getQuantiles().get(2).getValue()).isBetween(0.002, 0.002 * 1.0079);
        assertThat(overall.getDataPoints()).extracting(p -> p.getLabels().get("stage")).containsExactlyInAnyOrderElementsOf(
                Stage.timedStages().stream().map(Stage::key).toList());

        SummarySnapshot perLayer = (SummarySnapshot) family(s, MetricNames.LAYER_STAGE_DURATION);
        assertThat(point(perLayer, "layer", "1", "stage", "layer")).isPresent();
        Set<Integer> layers = perLayer.getDataPoints().stream()
                .map(p -> Integer.parseInt(p.getLabels().get("layer"))).collect(Collectors.toSet());
        assertThat(layers).containsExactlyInAnyOrder(0, 1).allMatch(l -> l < MAX_LAYERS);
    }

    @Test
    void countsAreCountersAndRejectedRecordsAndErrorsCarryTheirReason() {
        MetricSnapshots s = collect();
        CounterSnapshot captures = (CounterSnapshot) family(s, MetricNames.CAPTURES);
        assertThat(captures.getDataPoints().get(0).getValue()).isEqualTo(2);
        CounterSnapshot stored = (CounterSnapshot) family(s, MetricNames.STATES_STORED);
        assertThat(((CounterSnapshot.CounterDataPointSnapshot) point(stored, "layer", "0").orElseThrow())
                .getValue()).isEqualTo(3);
        CounterSnapshot rejected = (CounterSnapshot) family(s, MetricNames.REJECTED_RECORDS);
        assertThat(((CounterSnapshot.CounterDataPointSnapshot) point(rejected, "reason", "negative_duration")
                .orElseThrow()).getValue()).isEqualTo(1);
        CounterSnapshot errors = (CounterSnapshot) family(s, MetricNames.ERRORS);
        assertThat(((CounterSnapshot.CounterDataPointSnapshot) point(errors, "component", "hooks", "type",
                IllegalStateException.class.getName()).orElseThrow()).getValue()).isEqualTo(1);
        GaugeSnapshot hitRate = (GaugeSnapshot) family(s, MetricNames.CACHE_HIT);
        assertThat(hitRate.getMetadata().getUnit()).isEqualTo(Unit.RATIO);
        assertThat(hitRate.getDataPoints().get(0).getValue()).isEqualTo(0.5);
    }

    @Test
    void ratiosWithNothingToDivideByAreAbsentNotZero() {
        // No buffer gauge is attached: utilization has no data.
        MetricSnapshots s = collect();
        assertThat(s.stream().filter(m -> m.getMetadata().getName().equals(MetricNames.BUFFER_UTILIZATION))
                .flatMap(m -> m.getDataPoints().stream())).isEmpty();
    }

    @Test
    void healthHasAScoreAndStatusPerComponentAndTheAlertInputs() {
        MetricSnapshots s = collect();
        StateSetSnapshot status = (StateSetSnapshot) family(s, MetricNames.HEALTH_STATUS);
        List<String> components = status.getDataPoints().stream().map(p -> p.getLabels().get("component")).toList();
        assertThat(components).containsAll(dev.cmr.monitor.health.HealthComponent.scoredKeys());
        StateSetSnapshot.StateSetDataPointSnapshot system = (StateSetSnapshot.StateSetDataPointSnapshot)
                point(status, "component", "system").orElseThrow();
        assertThat(system.size()).isEqualTo(MonitorCollector.HEALTH_STATES.size());
        long trueStates = java.util.stream.IntStream.range(0, system.size()).filter(system::isTrue).count();
        assertThat(trueStates).isEqualTo(1);
        var report = monitor.getHealthHistory().get(monitor.getHealthHistory().size() - 1);
        List<String> inputs = report.metrics().keySet().stream().filter(k -> !k.endsWith(".health_score"))
                .map(MetricNames::healthInput).toList();
        assertThat(inputs).as(report.metrics().toString()).isNotEmpty();
        assertThat(s.stream().map(m -> m.getMetadata().getName())).containsAll(inputs);
    }

    @Test
    void everyAlertRuleHasOneStateAndItsSeverity() {
        MetricSnapshots s = collect();
        StateSetSnapshot alerts = (StateSetSnapshot) family(s, MetricNames.ALERT_STATE);
        assertThat(alerts.getDataPoints()).hasSize(monitor.alerts().rules().size());
        assertThat(point(alerts, "rule", "high_latency", "severity", "warning")).isPresent();
    }

    @Test
    void everyFamilyHasHelpAPrefixAndAUnitSuffixMatchingItsUnit() {
        MetricSnapshots s = collect();
        for (MetricSnapshot m : s) {
            String name = m.getMetadata().getName();
            assertThat(name).startsWith(MetricNames.PREFIX);
            assertThat(m.getMetadata().getHelp()).as(name).isNotBlank();
            Unit unit = m.getMetadata().getUnit();
            if (unit != null) {
                assertThat(name).endsWith("_" + unit);
            }
            assertThat(name).doesNotContain("_ms", "_percent", "_mb").doesNotEndWith("_total");
        }
        assertThat(s.stream().map(m -> m.getMetadata().getName()))
                .contains(MetricNames.SCRAPES, MetricNames.SECONDS_SINCE_RESET);
    }

    @Test
    void resourceGaugesAreConvertedToBaseUnits() {
        assertThat(ResourceGauge.of("jvm_gc_time_ms")).isEqualTo(
                new ResourceGauge("cmr_resource_jvm_gc_time_seconds", 1e-3));
        assertThat(ResourceGauge.of("system_cpu_percent")).isEqualTo(
                new ResourceGauge("cmr_resource_system_cpu_ratio", 1e-2));
        assertThat(ResourceGauge.of("gpu_power_mw").name()).isEqualTo("cmr_resource_gpu_power_watts");
        assertThat(ResourceGauge.of("gpu_sm_clock_mhz")).isEqualTo(
                new ResourceGauge("cmr_resource_gpu_sm_clock_hertz", 1e6));
        assertThat(ResourceGauge.of("process_rss_bytes").name()).isEqualTo("cmr_resource_process_rss_bytes");
    }

    @Test
    void theSecondScrapeReportsTheFirstOnesDuration() {
        record(monitor);
        MonitorCollector collector = new MonitorCollector(monitor);
        MetricSnapshots first = collector.collect();
        assertThat(first.stream().map(m -> m.getMetadata().getName())).doesNotContain(MetricNames.SCRAPE_DURATION);
        MetricSnapshots second = collector.collect();
        GaugeSnapshot duration = (GaugeSnapshot) family(second, MetricNames.SCRAPE_DURATION);
        assertThat(duration.getDataPoints().get(0).getValue()).isPositive().isLessThan(10);
        CounterSnapshot scrapes = (CounterSnapshot) family(second, MetricNames.SCRAPES);
        assertThat(scrapes.getDataPoints().get(0).getValue()).isEqualTo(2);
    }

    @Test
    void endpointNegotiatesOpenMetricsAndFallsBackToTextFormat004() {
        record(monitor);
        MetricsEndpoint endpoint = new MetricsEndpoint(monitor);
        MetricsEndpoint.Scrape text = endpoint.scrape(null);
        assertThat(text.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String body = new String(text.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("# HELP cmr_captures_total ", "# TYPE cmr_stage_duration_seconds summary",
                "cmr_stage_duration_seconds{stage=\"capture\",quantile=\"0.99\"}").doesNotContain("# EOF");

        MetricsEndpoint.Scrape om = endpoint.scrape(
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(om.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
        String omBody = new String(om.body(), StandardCharsets.UTF_8);
        assertThat(omBody).contains("# UNIT cmr_stage_duration_seconds seconds", "# TYPE cmr_captures counter")
                .endsWith("# EOF\n");

        assertThat(endpoint.scrape("text/plain").contentType()).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void sequentialScrapesEachReadTheMonitorAfresh() {
        MetricsEndpoint endpoint = new MetricsEndpoint(monitor);
        endpoint.scrape("text/plain");
        monitor.recordCapture(0, 4, 3, 2_000_000L);
        String second = new String(endpoint.scrape("text/plain").body(), StandardCharsets.UTF_8);
        String third = new String(endpoint.scrape("text/plain").body(), StandardCharsets.UTF_8);

        assertThat(second).contains("cmr_captures_total 1.0");
        assertThat(second).contains("cmr_monitor_scrapes_total 2.0");
        assertThat(third).contains("cmr_monitor_scrapes_total 3.0");
    }

    @Test
    void concurrentScrapesAllGetAWholeAnswerInTheirFormat() throws Exception {
        record(monitor);
        MetricsEndpoint endpoint = new MetricsEndpoint(monitor);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<MetricsEndpoint.Scrape>> answers = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String accept = i % 2 == 0 ? "text/plain" : "application/openmetrics-text; version=1.0.0";
                answers.add(pool.submit(() -> endpoint.scrape(accept)));
            }
            for (int i = 0; i < answers.size(); i++) {
                MetricsEndpoint.Scrape s = answers.get(i).get();
                String body = new String(s.body(), StandardCharsets.UTF_8);
                assertThat(body).contains("cmr_captures_total");
                if (i % 2 == 0) {
                    assertThat(s.contentType()).startsWith("text/plain; version=0.0.4");
                    assertThat(body).doesNotContain("# EOF");
                } else {
                    assertThat(s.contentType()).startsWith("application/openmetrics-text");
                    assertThat(body).endsWith("# EOF\n");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void promtoolCheckMetricsAcceptsTheTextFormat() throws Exception {
        record(monitor);
        // With every sampler's gauges in: the JVM's counts must not read as a summary's _count to promtool.
        Await.until(Duration.ofSeconds(30), () -> monitor.getStats().resources().keySet().containsAll(
                List.of("jvm.jvm_thread_count", "jvm.jvm_gc_count", "host." + HostSampler.PROCESS_RSS_BYTES)));
        byte[] body = new MetricsEndpoint(monitor).scrape("text/plain").body();
        PrometheusBinaries.Result result = PrometheusBinaries.promtool(dir, body, "check", "metrics");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isBlank();
        assertThat(new String(body, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("# HELP"))
                .count()).isGreaterThan(30);
    }

    @Test
    void labelNamesAreBounded() {
        MetricSnapshots s = collect();
        Set<String> allowed = Set.of("stage", "layer", "reason", "component", "type", "rule", "severity", "channel",
                "backend", "source", MetricNames.HEALTH_STATUS, MetricNames.ALERT_STATE);
        for (MetricSnapshot m : s) {
            for (DataPointSnapshot p : m.getDataPoints()) {
                for (int i = 0; i < p.getLabels().size(); i++) {
                    assertThat(allowed).as(m.getMetadata().getName()).contains(p.getLabels().getName(i));
                }
            }
        }
    }
}
