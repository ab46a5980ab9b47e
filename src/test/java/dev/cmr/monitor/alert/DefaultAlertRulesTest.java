package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.MonitoringConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefaultAlertRulesTest {

    private static Map<String, AlertRule> byName(List<AlertRule> rules) {
        return rules.stream().collect(Collectors.toMap(AlertRule::name, Function.identity()));
    }

    @Test
    void derivedThresholdsAreTheDecimalProductsAPersonWouldWrite() {
        MonitoringConfig config = MonitoringConfig.builder().highLatency(0.1).highErrorRate(0.07).build();

        Map<String, AlertRule> rules = byName(DefaultAlertRules.from(config.alertSettings()));

        assertThat(rules.get("high_latency_critical").threshold()).isEqualTo(0.3);
        assertThat(rules.get("high_error_rate_critical").threshold()).isEqualTo(0.28);
        assertThat(new AlertNotification(AlertNotification.Status.FIRING, rules.get("high_latency_critical"), 0.5,
                Instant.EPOCH, Instant.EPOCH, 0, "condition_holds").message()).endsWith("(above 0.3)");
    }

    @Test
    void thresholdRulesFollowTheConfiguredThresholds() {
        MonitoringConfig config = MonitoringConfig.builder()
                .highLatency(0.25).highErrorRate(0.1).lowEfficiency(0.6).build();

        Map<String, AlertRule> rules = byName(DefaultAlertRules.from(config.alertSettings()));

        assertThat(rules.get("high_latency")).isEqualTo(
                AlertRule.above("high_latency", "system.p99_latency_seconds", 0.25, Severity.WARNING));
        assertThat(rules.get("high_latency_critical")).isEqualTo(
                AlertRule.above("high_latency_critical", "system.p99_latency_seconds", 0.75, Severity.CRITICAL));
        assertThat(rules.get("high_error_rate")).isEqualTo(
                AlertRule.above("high_error_rate", "system.error_rate", 0.1, Severity.ERROR));
        assertThat(rules.get("high_error_rate_critical").threshold()).isEqualTo(0.4);
        assertThat(rules.get("hooks_high_error_rate")).isEqualTo(
                AlertRule.above("hooks_high_error_rate", "hooks.error_rate", 0.1, Severity.ERROR));
        assertThat(rules.get("hooks_high_error_rate_critical").threshold()).isEqualTo(0.4);
        for (String name : List.of("low_capture_efficiency", "low_storage_efficiency", "low_reconstruction_quality",
                "low_cache_hit_rate")) {
            assertThat(rules.get(name).comparison()).as(name).isEqualTo(Comparison.BELOW);
            assertThat(rules.get(name).threshold()).as(name).isEqualTo(0.6);
            assertThat(rules.get(name).severity()).as(name).isEqualTo(Severity.WARNING);
        }
        assertThat(rules.get("low_cache_hit_rate").metric()).isEqualTo("retrieval_system.cache_hit_rate");
        assertThat(rules.get("low_reconstruction_quality").component()).isEqualTo("reconstruction");
    }

    @Test
    void everyHealthComponentHasAWarningAndACriticalScoreRule() {
        Map<String, AlertRule> rules = byName(
                DefaultAlertRules.from(MonitoringConfig.defaults().alertSettings(), 80, 50));

        for (String component : List.of("memory_buffer", "retrieval_system", "reconstruction", "hooks", "device",
                "host", "system")) {
            assertThat(rules.get(component + "_health_degraded")).isEqualTo(AlertRule.below(
                    component + "_health_degraded", component + ".health_score", 80, Severity.WARNING));
            assertThat(rules.get(component + "_health_critical")).isEqualTo(AlertRule.below(
                    component + "_health_critical", component + ".health_score", 50, Severity.CRITICAL));
        }
    }

    @Test
    void criticalErrorRateTierIsLeftOutWhenItCouldNeverFire() {
        Map<String, AlertRule> rules = byName(DefaultAlertRules.from(
                MonitoringConfig.builder().highErrorRate(0.25).build().alertSettings()));

        assertThat(rules).containsKey("high_error_rate").doesNotContainKey("high_error_rate_critical")
                .doesNotContainKey("hooks_high_error_rate_critical");
    }

    @Test
    void ruleNamesAreUnique() {
        List<AlertRule> rules = DefaultAlertRules.from(MonitoringConfig.defaults().alertSettings());

        assertThat(rules).extracting(AlertRule::name).doesNotHaveDuplicates();
        assertThat(rules).hasSize(10 + 2 * 7);
    }

    @Test
    void healthCutoffsMustBeOrdered() {
        assertThatThrownBy(() -> DefaultAlertRules.from(MonitoringConfig.defaults().alertSettings(), 40, 70))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("healthCriticalBelow (70.0) must not exceed healthWarningBelow (40.0)");
    }

    @Test
    void managerWithDefaultRulesAlertsOnConfiguredLatencyThreshold() {
        FakeTime time = new FakeTime();
        MonitoringConfig config = MonitoringConfig.builder().highLatency(0.2).alertCooldown(3600)
                .alertChannels(List.of()).build();
        AlertManager m = AlertManager.builder(config.alertSettings()).nanoClock(time).wallClock(time.wall()).build();

        // Three times the threshold is critical and fires at once; the warning tier waits its 300 s.
        List<AlertNotification> first = m.evaluate(Map.of("system.p99_latency_seconds", 0.61));
        time.advanceSeconds(300);
        List<AlertNotification> later = m.evaluate(Map.of("system.p99_latency_seconds", 0.61));

        assertThat(first).extracting(AlertNotification::ruleName).containsExactly("high_latency_critical");
        // The warning fires at 300 s but is inhibited by the critical on the same component ("system").
        assertThat(later).isEmpty();
        assertThat(m.state("high_latency")).isEqualTo(AlertState.FIRING);
        assertThat(m.inhibitedNotifications()).isEqualTo(1);
    }

    @Test
    void managerWithDefaultRulesTurnsALowHealthScoreIntoACriticalAlert() {
        FakeTime time = new FakeTime();
        AlertManager m = AlertManager.builder(
                        MonitoringConfig.builder().alertChannels(List.of()).build().alertSettings())
                .nanoClock(time).wallClock(time.wall()).build();

        List<AlertNotification> fired = m.evaluate(Map.of("memory_buffer.health_score", 12.0,
                "host.health_score", 95.0));

        assertThat(fired).singleElement().satisfies(n -> {
            assertThat(n.ruleName()).isEqualTo("memory_buffer_health_critical");
            assertThat(n.component()).isEqualTo("memory_buffer");
        });
        assertThat(m.state("memory_buffer_health_degraded")).isEqualTo(AlertState.PENDING);
    }
}
