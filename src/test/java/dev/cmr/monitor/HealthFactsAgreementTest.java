package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.DefaultAlertRules;
import dev.cmr.monitor.alert.Severity;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HealthComponent;
import dev.cmr.monitor.health.HealthEvaluator;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import dev.cmr.monitor.health.HookLoad;
import dev.cmr.monitor.health.HostReading;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Health's facts (component names, score bands) as the packages that may not import health use them: alerting gets
 * them injected by the monitor and keeps defaults of its own for a manager built without one; diagnostics keep a
 * copy. Each test fails when one of those places disagrees with health.
 */
class HealthFactsAgreementTest {
    private static final MonitoringConfig QUIET = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).alertChannels(List.of()).build();

    private static Map<String, AlertRule> byName(List<AlertRule> rules) {
        return rules.stream().collect(Collectors.toMap(AlertRule::name, Function.identity()));
    }

    /** A monitor where every component and every metric a default alert rule reads has data. */
    private static HealthReport everythingJudged(CmrPerformanceMonitor monitor) {
        monitor.setHookSource(() -> new HookLoad(100, 1_000_000L));
        monitor.setHostSource(() -> new HostReading(0.2, 0.3));
        monitor.setDeviceSource(() -> new DeviceReading(0.1, false, 0.0));
        for (int i = 0; i < 20; i++) {
            monitor.recordForward(10_000_000L);
            monitor.recordCapture(0, 10, 8, 1_000_000L);
            monitor.recordEviction(0, 1);
            monitor.recordRetrieval(0, 8, 4, i % 2 == 0, 2_000_000L);
            monitor.recordReconstruction(0, 4, 3_000_000L, 0.9);
            monitor.recordDeviceTime(0, 500_000L);
        }
        monitor.recordError("retrieval", new IllegalStateException("one"));
        monitor.collectInterval();
        return monitor.evaluateHealth();
    }

    @Test
    void everyComponentTheEvaluatorReportsIsScoredAndHasTheMonitorsScoreRules() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(QUIET)) {
            HealthReport report = everythingJudged(monitor);
            Map<String, AlertRule> rules = byName(monitor.alerts().rules());

            assertThat(report.components().keySet()).containsExactlyElementsOf(HealthEvaluator.COMPONENTS);
            assertThat(report.components().values()).noneMatch(c -> c.status() == HealthStatus.NO_DATA);
            List<String> scoreMetrics = report.metrics().keySet().stream().filter(m -> m.endsWith(".health_score"))
                    .toList();
            assertThat(scoreMetrics).containsExactlyInAnyOrderElementsOf(
                    HealthReport.SCORED_NAMES.stream().map(HealthReport::scoreMetric).toList());
            for (String scored : HealthReport.SCORED_NAMES) {
                assertThat(rules.get(scored + "_health_degraded")).as(scored).isEqualTo(AlertRule.below(
                        scored + "_health_degraded", HealthReport.scoreMetric(scored),
                        HealthStatus.GREEN.minScore(), Severity.WARNING));
                assertThat(rules.get(scored + "_health_critical")).as(scored).isEqualTo(AlertRule.below(
                        scored + "_health_critical", HealthReport.scoreMetric(scored),
                        HealthStatus.YELLOW.minScore(), Severity.CRITICAL));
            }
        }
    }

    @Test
    void everyMetricTheMonitorsDefaultRulesReadIsInAHealthReport() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(QUIET)) {
            HealthReport report = everythingJudged(monitor);

            assertThat(monitor.alerts().rules()).extracting(AlertRule::metric)
                    .allSatisfy(metric -> assertThat(report.metrics()).containsKey(metric));
            assertThat(monitor.alerts().rules()).extracting(AlertRule::component)
                    .allSatisfy(c -> assertThat(c).isIn(HealthReport.SCORED_NAMES));
        }
    }

    @Test
    void scoreRulesFireExactlyForTheBandsBelowGreenAndBelowYellow() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(QUIET)) {
            Map<String, AlertRule> rules = byName(monitor.alerts().rules());
            for (HealthComponent component : HealthComponent.values()) {
                AlertRule degraded = rules.get(component.key() + "_health_degraded");
                AlertRule critical = rules.get(component.key() + "_health_critical");
                for (HealthStatus status : List.of(HealthStatus.GREEN, HealthStatus.YELLOW, HealthStatus.RED)) {
                    for (int score = status.minScore(); score <= status.maxScore(); score++) {
                        assertThat(degraded.holds(score)).as("%s %d", status, score)
                                .isEqualTo(status != HealthStatus.GREEN);
                        assertThat(critical.holds(score)).as("%s %d", status, score)
                                .isEqualTo(status == HealthStatus.RED);
                    }
                }
            }
        }
    }

    @Test
    void alertingsStandaloneDefaultsAreHealthsFacts() {
        assertThat(DefaultAlertRules.HEALTH_COMPONENTS).containsExactlyElementsOf(HealthReport.SCORED_NAMES);
        assertThat(DefaultAlertRules.HEALTH_WARNING_BELOW).isEqualTo(HealthStatus.GREEN.minScore());
        assertThat(DefaultAlertRules.HEALTH_CRITICAL_BELOW).isEqualTo(HealthStatus.YELLOW.minScore());
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(QUIET)) {
            AlertManager standalone = AlertManager.builder(QUIET.alertSettings()).build();

            assertThat(standalone.rules()).containsExactlyElementsOf(monitor.alerts().rules());
        }
    }

    @Test
    void provisionalComponentHealthListsTheEvaluatorsComponentsInOrder() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(QUIET)) {
            monitor.setComponentHealthSource(() -> null); // no health answers: diagnostics fall back to their list

            Map<String, Object> provisional = monitor.runDiagnostics().componentHealth();

            assertThat(provisional.keySet()).containsExactlyElementsOf(HealthEvaluator.COMPONENTS);
            assertThat(provisional.values()).allSatisfy(c -> assertThat(c).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("provisional", true));
        }
    }

    @Test
    void errorsAreAttributedOnlyToComponentsTheEvaluatorReports() {
        for (String recorded : List.of("hook:h", "capture", "buffer_gauge", "eviction", "retrieval",
                "reconstruction", "device_source", "host_source")) {
            assertThat(HealthEvaluator.componentOfError(recorded)).as(recorded).isIn(HealthEvaluator.COMPONENTS);
        }
    }
}
