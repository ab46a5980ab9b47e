package dev.cmr.monitor;

import static dev.cmr.io.ConfigErrors.assertRejected;
import static dev.cmr.io.ConfigErrors.assertRejectedStartingWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.alert.AlertNotification;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.Comparison;
import dev.cmr.monitor.alert.Severity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code alert_rules}: user rules in the configuration, run by the monitor's own alert manager. */
class AlertRulesConfigTest {
    private static final String RULES = """
            {"alert_channels": ["callback"], "metric_collection_interval": 3600, "enable_resource_sampling": false,
             "alert_rules": [
               {"name": "any_error", "metric": "system.error_rate", "comparison": "above", "threshold": 0.0,
                "severity": "critical"},
               {"name": "cold_cache", "metric": "retrieval_system.cache_hit_rate", "comparison": "below",
                "threshold": 0.2, "severity": "error", "for_seconds": 120}
             ]}""";

    @Test
    void rulesAreReadWithEveryFieldAndWrittenBackTheSameWay() {
        MonitoringConfig config = MonitoringConfig.fromJson(RULES);

        assertThat(config.alertRules()).containsExactly(
                AlertRule.above("any_error", "system.error_rate", 0.0, Severity.CRITICAL),
                new AlertRule("cold_cache", "retrieval_system.cache_hit_rate", Comparison.BELOW, 0.2, Severity.ERROR,
                        Duration.ofSeconds(120)));
        MonitoringConfig again = MonitoringConfig.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(config.toMap()).toString());
        assertThat(again.alertRules()).isEqualTo(config.alertRules());
        assertThat(config.alertSettings().rules()).isEqualTo(config.alertRules());
        assertThat(MonitoringConfig.defaults().toMap()).doesNotContainKey("alert_rules");
    }

    @Test
    void theMonitorsOwnManagerRunsTheConfiguredRules() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MonitoringConfig.fromJson(RULES))) {
            List<AlertNotification> received = new CopyOnWriteArrayList<>();
            monitor.alerts().addCallback(received::add);
            monitor.recordForward(1_000L);
            monitor.recordForward(1_000L);
            monitor.recordError("retrieval", new IllegalStateException());
            monitor.collectInterval();
            monitor.evaluateHealth();

            assertThat(received).extracting(n -> n.rule().name()).contains("any_error");
            assertThat(monitor.alerts().rules()).extracting(AlertRule::name).contains("any_error", "cold_cache");
        }
    }

    @Test
    void eachMistakeNamesTheRuleAndTheField() {
        assertRejected(AlertRulesConfigTest::rules, "{\"name\": \"a\", \"metric\": \"system.error_rate\", "
                + "\"comparison\": \"above\", \"threshold\": 1, \"severity\": \"error\", \"treshold\": 2}",
                "unknown configuration key 'alert_rules[0].treshold'; did you mean 'alert_rules[0].threshold'?");
        assertRejected(AlertRulesConfigTest::rules, "{\"name\": \"a\", \"metric\": \"system.error_rate\", "
                + "\"comparison\": \"over\", \"threshold\": 1, \"severity\": \"error\"}",
                "alert_rules[0].comparison must be \"above\" or \"below\", was \"over\"");
        assertRejected(AlertRulesConfigTest::rules, "{\"name\": \"a\", \"metric\": \"system.error_rate\", "
                + "\"comparison\": \"above\", \"severity\": \"error\"}",
                "alert_rules[0].threshold is required");
        assertRejectedStartingWith(AlertRulesConfigTest::rules, "{\"name\": \"a\", \"metric\": \"error_rate\", "
                + "\"comparison\": \"above\", \"threshold\": 1, \"severity\": \"error\"}",
                "alert_rules[0]: alert rule 'a': metric must look like <component>.<name>");
        assertRejected(AlertRulesConfigTest::rules, "{\"name\": \"a\", \"metric\": \"system.error_rate\", "
                + "\"comparison\": \"above\", \"threshold\": 1, \"severity\": \"error\", \"for_seconds\": -1}",
                "alert_rules[0].for_seconds must be a number in [0, 86400], was -1");
        String ok = "{\"name\": \"a\", \"metric\": \"system.error_rate\", \"comparison\": \"above\", "
                + "\"threshold\": 1, \"severity\": \"warning\"}";
        assertRejected(AlertRulesConfigTest::rules, ok + ", " + ok, "alert_rules[1]: duplicate rule name 'a'");
        assertRejected(MonitoringConfig::fromJson,
                "{\"severity_levels\": [\"critical\"], \"alert_rules\": [" + ok + "]}",
                "alert_rules[0]: severity warning is not enabled by severity_levels [critical]");
        assertRejected(MonitoringConfig::fromJson, "{\"alert_rules\": {}}",
                "alert_rules must be an array of rule objects, was OBJECT");
    }

    private static MonitoringConfig rules(String items) {
        return MonitoringConfig.fromJson("{\"alert_rules\": [" + items + "]}");
    }
}
