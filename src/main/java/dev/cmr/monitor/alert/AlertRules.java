package dev.cmr.monitor.alert;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles the rules one {@link AlertManager} evaluates, in evaluation order: the default rules whose severity
 * {@code severity_levels} enables, then the user rules ({@code alert_rules} first, then those added to the builder).
 * A user rule named like a default replaces it in the default's place; defaults of a disabled severity are dropped,
 * while a user rule of a disabled severity, or two user rules with one name, is a configuration error. Stateless;
 * called once per manager, at build time.
 */
final class AlertRules {
    private AlertRules() {
    }

    /**
     * @param defaults     the default rules to start from, empty to evaluate user rules only
     * @param builderRules user rules added to the builder, after those of {@code settings}
     * @throws IllegalArgumentException naming the rule, for a duplicate user rule name or a severity that
     *                                  {@code severity_levels} does not enable
     */
    static List<AlertRule> assemble(AlertSettings settings, List<AlertRule> defaults, List<AlertRule> builderRules) {
        List<String> levels = settings.severityLevels();
        Map<String, AlertRule> byName = new LinkedHashMap<>();
        for (AlertRule rule : defaults) {
            // severity_levels switches whole severities off; defaults of a disabled severity are dropped.
            if (levels.contains(rule.severity().configName())) {
                byName.put(rule.name(), rule);
            }
        }
        Set<String> userNames = new HashSet<>();
        List<AlertRule> userRules = new ArrayList<>(settings.rules());
        userRules.addAll(builderRules);
        for (AlertRule rule : userRules) {
            if (!userNames.add(rule.name())) {
                throw new IllegalArgumentException("duplicate alert rule name '" + rule.name() + "'");
            }
            if (!levels.contains(rule.severity().configName())) {
                throw new IllegalArgumentException("alert rule '" + rule.name() + "' has severity "
                        + rule.severity().configName() + ", which severity_levels " + levels + " does not enable");
            }
            // A user rule with a default rule's name replaces it (keeping its place in the order).
            byName.put(rule.name(), rule);
        }
        return List.copyOf(byName.values());
    }
}
