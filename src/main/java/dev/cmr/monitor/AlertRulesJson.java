package dev.cmr.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.Comparison;
import dev.cmr.monitor.alert.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code alert_rules} configuration key: a JSON array of user rules, each
 * {@code {"name", "metric", "comparison": "above"|"below", "threshold", "severity", "for_seconds" (optional)}}, the
 * same keys {@link AlertRule#toMap()} writes. Every error names the rule's index and the field.
 */
final class AlertRulesJson {
    static final String KEY = "alert_rules";
    private static final List<String> FIELDS = List.of("name", "metric", "comparison", "threshold", "severity",
            "for_seconds", "component");

    private AlertRulesJson() {
    }

    static List<AlertRule> read(JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException(KEY + " must be an array of rule objects, was " + v.getNodeType());
        }
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            rules.add(rule(KEY + "[" + i + "]", v.get(i)));
        }
        return rules;
    }

    private static AlertRule rule(String at, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + " must be an object, was " + node.getNodeType());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(MonitoringConfig.unknownKeyMessage(at + "." + field,
                        FIELDS.stream().map(f -> at + "." + f).toList()));
            }
        }
        String name = text(at, node, "name");
        String metric = text(at, node, "metric");
        String comparison = text(at, node, "comparison");
        Comparison c = switch (comparison) {
            case "above" -> Comparison.ABOVE;
            case "below" -> Comparison.BELOW;
            default -> throw new IllegalArgumentException(at + ".comparison must be \"above\" or \"below\", was \""
                    + comparison + "\"");
        };
        JsonNode threshold = required(at, node, "threshold");
        if (!threshold.isNumber()) {
            throw new IllegalArgumentException(at + ".threshold must be a number, was " + threshold);
        }
        Severity severity;
        try {
            severity = Severity.fromConfig(text(at, node, "severity"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".severity: " + e.getMessage(), e);
        }
        Duration hold = null;
        JsonNode forSeconds = node.get("for_seconds");
        if (forSeconds != null) {
            if (!forSeconds.isNumber() || !(forSeconds.doubleValue() >= 0) || forSeconds.doubleValue() > 86_400) {
                throw new IllegalArgumentException(at + ".for_seconds must be a number in [0, 86400], was "
                        + forSeconds);
            }
            hold = Duration.ofNanos(Math.round(forSeconds.doubleValue() * 1e9));
        }
        try {
            AlertRule rule = new AlertRule(name, metric, c, threshold.doubleValue(), severity, hold);
            JsonNode component = node.get("component");
            if (component != null && !component.asText().equals(rule.component())) {
                throw new IllegalArgumentException("component \"" + component.asText()
                        + "\" is not the metric's prefix \"" + rule.component() + "\"");
            }
            return rule;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(String at, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(at + "." + field + " is required");
        }
        return v;
    }

    private static String text(String at, JsonNode node, String field) {
        JsonNode v = required(at, node, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(at + "." + field + " must be a string, was " + v);
        }
        return v.asText();
    }

    static List<Map<String, Object>> toMaps(List<AlertRule> rules) {
        return rules.stream().map(AlertRule::toMap).toList();
    }
}
