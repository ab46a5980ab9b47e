package dev.cmr.monitor.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.Severity;
import dev.cmr.testing.PrometheusBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrometheusRules}: the same rules, thresholds and hold times as the in-process alerts, accepted by promtool. */
class PrometheusRulesTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    private static PrometheusRules.Rule rule(PrometheusRules rules, String name) {
        return rules.rules().stream().filter(r -> r.alert().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void defaultRulesMatchTheInProcessRulesWithTheirSeverityDelays() {
        MonitoringConfig config = MonitoringConfig.defaults();
        PrometheusRules rules = PrometheusRules.of(config);
        List<String> inProcess = AlertManager.builder(config.alertSettings()).build().rules().stream()
                .map(AlertRule::name).toList();
        assertThat(rules.rules()).extracting(PrometheusRules.Rule::alert).containsExactlyElementsOf(inProcess);

        PrometheusRules.Rule latency = rule(rules, "high_latency");
        assertThat(latency.expr()).isEqualTo("cmr_health_input_system_p99_latency_seconds > 0.1");
        assertThat(latency.forDuration()).isEqualTo(Duration.ofSeconds(300));
        assertThat(latency.severity()).isEqualTo("warning");
        // 3 x 0.1 as the in-process rule holds it, to the last bit: the same comparisons at the boundary.
        assertThat(rule(rules, "high_latency_critical").expr()).endsWith(" > 0.3");
        assertThat(rule(rules, "high_latency_critical").forDuration()).isZero();
        assertThat(rule(rules, "high_error_rate").forDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(rule(rules, "low_cache_hit_rate").expr())
                .isEqualTo("cmr_health_input_retrieval_system_cache_hit_rate < 0.5");
        assertThat(rule(rules, "system_health_critical").expr()).isEqualTo("cmr_health_score{component=\"system\"} < 40");
        assertThat(rule(rules, "memory_buffer_health_degraded").expr())
                .isEqualTo("cmr_health_score{component=\"memory_buffer\"} < 70");
    }

    @Test
    void configuredThresholdsEscalationSeverityLevelsAndUserRulesCarryOver() {
        MonitoringConfig config = MonitoringConfig.builder().highLatency(0.25).escalationRules(
                Map.of("warning", 90.5, "error", 10.0, "critical", 0.0)).severityLevels(List.of("warning", "critical"))
                .alertRules(List.of(AlertRule.above("slow_forward", "system.p99_latency_seconds", 2, Severity.CRITICAL)
                        .withFor(Duration.ofSeconds(15)))).build();
        PrometheusRules rules = PrometheusRules.of(config);
        assertThat(rule(rules, "high_latency").expr()).endsWith(" > 0.25");
        assertThat(rule(rules, "high_latency").forDuration()).isEqualTo(Duration.ofMillis(90_500));
        assertThat(rules.rules()).noneMatch(r -> r.severity().equals("error"));
        assertThat(rule(rules, "slow_forward").forDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(rules.toYaml()).contains("for: 90500ms", "for: 15s");
    }

    @Test
    void durationsAndNumbersArePromQlLiterals() {
        assertThat(PrometheusRules.duration(Duration.ofSeconds(300))).isEqualTo("300s");
        assertThat(PrometheusRules.duration(Duration.ofNanos(1_500_000_001L))).isEqualTo("1501ms");
        assertThat(PrometheusRules.number(1e-4)).isEqualTo("0.0001");
        assertThat(PrometheusRules.number(40.0)).isEqualTo("40");
    }

    @Test
    void everyRuleSelectsASeriesTheCollectorExports() {
        for (PrometheusRules.Rule r : PrometheusRules.of(MonitoringConfig.defaults()).rules()) {
            String metric = r.expr().substring(0, r.expr().indexOf(' ')).replaceAll("\\{.*", "");
            assertThat(metric).isIn(MetricNames.HEALTH_SCORE, MetricNames.healthInput(r.summary().split(" ")[0]));
        }
    }

    @Test
    void promtoolCheckRulesAcceptsTheFile() throws Exception {
        Path file = dir.resolve("rules.yml");
        PrometheusRules.of(MonitoringConfig.defaults()).write(file);
        PrometheusBinaries.Result r = PrometheusBinaries.promtool(dir, "check", "rules", file.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS").doesNotContainIgnoringCase("warn");
    }

    /**
     * promtool's rule unit test: p99 latency 0.1 s at t=0, then 2 s from t=1m on. With a 2-minute warning delay,
     * high_latency is pending at 2m (held 1 minute) and fires at 3m (held 2 minutes).
     */
    @Test
    void highLatencyFiresOnSyntheticSeriesOnlyAfterItsForDuration() throws Exception {
        MonitoringConfig config = MonitoringConfig.builder().highLatency(0.5)
                .escalationRules(Map.of("warning", 120.0)).build();
        PrometheusRules.of(config).write(dir.resolve("rules.yml"));
        String series = MetricNames.healthInput("system.p99_latency_seconds") + "{instance=\"a:9400\",job=\"cmr\"}";

        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("severity", "warning");
        labels.put("component", "system");
        labels.put("instance", "a:9400");
        labels.put("job", "cmr");
        Map<String, Object> annotations = Map.of(
                "summary", "system.p99_latency_seconds above 0.5",
                "description", "system.p99_latency_seconds above 0.5 on a:9400 (value 2)");
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("interval", "1m");
        test.put("input_series", List.of(Map.of("series", series, "values", "0.1 2 2 2 2")));
        test.put("alert_rule_test", List.of(
                Map.of("eval_time", "1m", "alertname", "high_latency", "exp_alerts", List.of()),
                Map.of("eval_time", "2m", "alertname", "high_latency", "exp_alerts", List.of()),
                Map.of("eval_time", "3m", "alertname", "high_latency", "exp_alerts",
                        List.of(Map.of("exp_labels", labels, "exp_annotations", annotations)))));
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("rule_files", List.of("rules.yml"));
        file.put("evaluation_interval", "1m");
        file.put("tests", List.of(test));
        Path tests = dir.resolve("rules_test.yml");
        YAML.writeValue(tests.toFile(), file);

        PrometheusBinaries.Result r = PrometheusBinaries.promtool(dir, "test", "rules", tests.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void theRulesFileIsOneGroupOfAlertingRules() throws Exception {
        JsonNode root = YAML.readTree(PrometheusRules.of(MonitoringConfig.defaults()).toYaml());
        assertThat(root.path("groups")).hasSize(1);
        JsonNode group = root.path("groups").get(0);
        assertThat(group.path("name").asText()).isEqualTo(PrometheusRules.GROUP);
        for (JsonNode rule : group.path("rules")) {
            assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "error", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
        }
        assertThat(Files.exists(dir)).isTrue();
    }
}
