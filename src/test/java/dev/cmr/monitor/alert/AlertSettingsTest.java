package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.MonitoringConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What alerting takes from the configuration, and the checks of the settings record itself. */
class AlertSettingsTest {

    private static AlertSettings settings(List<String> levels, double cooldown, Map<String, Double> escalation,
                                          int history) {
        return new AlertSettings(true, 0.1, 0.5, 0.05, List.of("console"), levels, cooldown, escalation,
                Optional.empty(), history);
    }

    @Test
    void configurationHandsOverEveryAlertKey() {
        MonitoringConfig config = MonitoringConfig.fromJson("""
                {"enable_alerts": false,
                 "alert_thresholds": {"high_latency": 0.25, "low_efficiency": 0.6, "high_error_rate": 0.1},
                 "alert_channels": ["log", "file"], "alert_file": "/tmp/cmr/alerts.jsonl",
                 "severity_levels": ["error", "critical"], "alert_cooldown": 42,
                 "escalation_rules": {"error": 7}, "max_history_size": 17}
                """);

        AlertSettings s = config.alertSettings();

        assertThat(s).isEqualTo(new AlertSettings(false, 0.25, 0.6, 0.1, List.of("log", "file"),
                List.of("error", "critical"), 42, Map.of("critical", 0.0, "error", 7.0, "warning", 300.0),
                Optional.of(Path.of("/tmp/cmr/alerts.jsonl")), 17));
    }

    @Test
    void defaultConfigurationLeavesTheAlertFileUnset() {
        AlertSettings s = MonitoringConfig.defaults().alertSettings();

        assertThat(s.alertFile()).isEmpty();
        assertThat(s.enableAlerts()).isTrue();
        assertThat(s.alertChannels()).containsExactly("console");
        assertThat(s.maxHistorySize()).isEqualTo(1000);
    }

    @Test
    void collectionsAreCopiedSoLaterChangesToTheArgumentsDoNotLeakIn() {
        List<String> levels = new ArrayList<>(List.of("warning"));
        Map<String, Double> escalation = new HashMap<>(Map.of("warning", 1.0));
        AlertSettings s = settings(levels, 0, escalation, 1);

        levels.add("critical");
        escalation.put("warning", 99.0);

        assertThat(s.severityLevels()).containsExactly("warning");
        assertThat(s.escalationRules()).containsExactly(Map.entry("warning", 1.0));
        assertThatThrownBy(() -> s.severityLevels().add("error")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalidValuesAreRejectedNamingTheConfigurationKey() {
        assertThatThrownBy(() -> settings(List.of("warning", "fatal"), 0, Map.of(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("severity_levels: severity must be one of [warning, error, critical], was \"fatal\"");
        assertThatThrownBy(() -> settings(List.of(), 0, Map.of("urgent", 1.0), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("escalation_rules: severity must be one of [warning, error, critical], was \"urgent\"");
        assertThatThrownBy(() -> settings(List.of(), 0, Map.of("error", Double.NaN), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("escalation_rules.error must be a finite number of seconds >= 0, was NaN");
        assertThatThrownBy(() -> settings(List.of(), -1, Map.of(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert_cooldown must be a finite number of seconds >= 0, was -1.0");
        assertThatThrownBy(() -> settings(List.of(), Double.POSITIVE_INFINITY, Map.of(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert_cooldown must be a finite number of seconds >= 0, was Infinity");
        assertThatThrownBy(() -> settings(List.of(), 0, Map.of(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max_history_size must be at least 1, was 0");
        assertThatThrownBy(() -> new AlertSettings(true, 0.1, 0.5, 0.05, List.of(), List.of(), 0, Map.of(),
                null, 1))
                .isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith("alert_file must not be null");
    }
}
