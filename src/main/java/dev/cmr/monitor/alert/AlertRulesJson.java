package dev.cmr.monitor.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cmr.io.ConfigObject;
import dev.cmr.io.ConfigValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of user alert rules (the configuration key {@code alert_rules}): an array of
 * {@code {"name", "metric", "comparison": "above"|"below", "threshold", "severity", "for_seconds" (optional)}}, the
 * same keys {@link AlertRule#toMap()} writes. Every error names the rule's index and the field, e.g.
 * {@code "alert_rules[0].threshold is required"}. Stateless.
 */
public final class AlertRulesJson {
    private static final List<String> FIELDS = List.of("name", "metric", "comparison", "threshold", "severity",
            "for_seconds", "component");

    private AlertRulesJson() {
    }

    /** The rules in the array at {@code key} of {@code config}, in order. */
    public static List<AlertRule> read(ConfigObject config, String key) {
        JsonNode v = config.get(key);
        if (!v.isArray()) {
            throw config.invalid(key, "must be an array of rule objects, was " + v.getNodeType());
        }
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String at = config.path(key) + "[" + i + "]";
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                throw new IllegalArgumentException(at + " must be an object, was " + item.getNodeType());
            }
            rules.add(rule(ConfigObject.at(at, item)));
        }
        return rules;
    }

    /** The rules as the JSON objects {@link #read} reads. */
    public static List<Map<String, Object>> toMaps(List<AlertRule> rules) {
        return rules.stream().map(AlertRule::toMap).toList();
    }

    private static AlertRule rule(ConfigObject rule) {
        rule.rejectUnknownKeys(FIELDS);
        String name = text(rule, "name");
        String metric = text(rule, "metric");
        String comparison = text(rule, "comparison");
        Comparison c = switch (comparison) {
            case "above" -> Comparison.ABOVE;
            case "below" -> Comparison.BELOW;
            default -> throw rule.invalid("comparison",
                    "must be \"above\" or \"below\", was " + ConfigValues.quoted(comparison));
        };
        required(rule, "threshold");
        double threshold = rule.number("threshold");
        Severity severity;
        try {
            severity = Severity.fromConfig(text(rule, "severity"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rule.path("severity") + ": " + e.getMessage(), e);
        }
        Duration hold = null;
        JsonNode forSeconds = rule.get("for_seconds");
        if (forSeconds != null) {
            if (!forSeconds.isNumber() || !(forSeconds.doubleValue() >= 0) || forSeconds.doubleValue() > 86_400) {
                throw rule.invalid("for_seconds", "must be a number in [0, 86400], was " + ConfigObject.shown(forSeconds));
            }
            hold = Duration.ofNanos(Math.round(forSeconds.doubleValue() * 1e9));
        }
        try {
            AlertRule built = new AlertRule(name, metric, c, threshold, severity, hold);
            JsonNode component = rule.get("component");
            if (component != null && !component.asText().equals(built.component())) {
                throw new IllegalArgumentException("component " + ConfigObject.shown(component)
                        + " is not the metric's prefix \"" + built.component() + "\"");
            }
            return built;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rule.path() + ": " + e.getMessage(), e);
        }
    }

    /** A rule's fields have no defaults: a missing field and a JSON null both read as missing. */
    private static void required(ConfigObject rule, String field) {
        if (!rule.isSet(field)) {
            throw rule.invalid(field, "is required");
        }
    }

    private static String text(ConfigObject rule, String field) {
        required(rule, field);
        return rule.text(field);
    }
}
