package dev.cmr.monitor.export.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cmr.io.AtomicFiles;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.AlertSettings;
import dev.cmr.monitor.alert.Comparison;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Prometheus alerting rules equivalent to a monitor's in-process alerts, for fleets that alert through Prometheus
 * and Alertmanager. The rules are exactly those the monitor's {@link AlertManager} evaluates for the configuration
 * (the defaults from {@code alert_thresholds} and the health bands, {@code alert_rules}, filtered by
 * {@code severity_levels}), each over the series {@link MonitorCollector} exports for the rule's metric
 * ({@link MetricNames#alertSelector}), with {@code for:} the hold time the manager would use (the rule's own, else
 * {@code escalation_rules} for its severity, else the severity's default; omitted when zero). Comparisons are strict
 * in both. Labels: {@code severity}, {@code component}; annotations: a summary naming the metric and threshold.
 *
 * <p>Rules are written whatever {@code enable_alerts} says: that switch is about the in-process channels, and a fleet
 * may alert centrally while instances stay quiet. The YAML (one group, {@code cmr-monitor}) is written by Jackson.
 * Immutable and stateless.
 */
public final class PrometheusRules {
    /** The group name in the rules file. */
    public static final String GROUP = "cmr-monitor";

    /** One alerting rule as Prometheus sees it; {@code forDuration} is zero when the alert fires at once. */
    public record Rule(String alert, String expr, Duration forDuration, String severity, String component,
                       String summary) {
    }

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private final List<Rule> rules;

    private PrometheusRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static PrometheusRules of(MonitoringConfig config) {
        Objects.requireNonNull(config, "config");
        AlertSettings s = config.alertSettings();
        // Built only to read the assembled rules and their hold times: with alerts off it opens no channel.
        AlertManager manager = AlertManager.builder(new AlertSettings(false, s.highLatencySeconds(),
                s.lowEfficiency(), s.highErrorRate(), s.alertChannels(), s.severityLevels(),
                s.alertCooldownSeconds(), s.escalationRules(), s.alertFile(), s.maxHistorySize(), s.rules())).build();
        List<Rule> out = new ArrayList<>();
        for (AlertRule r : manager.rules()) {
            String op = r.comparison() == Comparison.ABOVE ? ">" : "<";
            String threshold = number(r.threshold());
            out.add(new Rule(r.name(), MetricNames.alertSelector(r.metric()) + " " + op + " " + threshold,
                    manager.holdTime(r.name()), r.severity().configName(), r.component(),
                    r.metric() + " " + r.comparison().configName() + " " + threshold));
        }
        return new PrometheusRules(out);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rules file: {@code groups: [{name: cmr-monitor, rules: [...]}]}. */
    public String toYaml() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Rule r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alert", r.alert());
            m.put("expr", r.expr());
            if (!r.forDuration().isZero()) {
                m.put("for", duration(r.forDuration()));
            }
            Map<String, Object> labels = new LinkedHashMap<>();
            labels.put("severity", r.severity());
            labels.put("component", r.component());
            m.put("labels", labels);
            Map<String, Object> annotations = new LinkedHashMap<>();
            annotations.put("summary", r.summary());
            annotations.put("description", r.summary() + " on {{ $labels.instance }} (value {{ $value }})");
            m.put("annotations", annotations);
            list.add(m);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", GROUP);
        group.put("rules", list);
        try {
            return YAML.writeValueAsString(Map.of("groups", List.of(group)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert rules could not be written as YAML", e);
        }
    }

    /** Writes {@link #toYaml()} to {@code file} atomically. */
    public void write(Path file) throws IOException {
        byte[] yaml = toYaml().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(yaml));
    }

    /** A Prometheus duration: whole seconds as {@code 300s}, else milliseconds rounded up ({@code 1500ms}). */
    static String duration(Duration d) {
        if (d.getNano() == 0) {
            return d.getSeconds() + "s";
        }
        long millis = d.toMillis() + (d.minusMillis(d.toMillis()).isZero() ? 0 : 1);
        return millis + "ms";
    }

    /** A PromQL number without exponent notation. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
