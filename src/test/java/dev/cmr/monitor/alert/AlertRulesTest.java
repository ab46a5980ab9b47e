package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.MonitoringConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule set a manager evaluates, assembled from defaults, alert_rules and builder rules. */
class AlertRulesTest {
    private static final String LATENCY = "system.p99_latency_seconds";
    private static final AlertRule A = AlertRule.above("a", LATENCY, 1, Severity.WARNING);
    private static final AlertRule B = AlertRule.above("b", LATENCY, 2, Severity.ERROR);
    private static final AlertRule C = AlertRule.above("c", LATENCY, 3, Severity.CRITICAL);

    @Test
    void defaultsComeFirstThenConfiguredRulesThenBuilderRules() {
        AlertSettings settings = MonitoringConfig.builder().alertRules(List.of(B)).build().alertSettings();

        assertThat(AlertRules.assemble(settings, List.of(A), List.of(C))).containsExactly(A, B, C);
    }

    @Test
    void aUserRuleReplacesTheDefaultOfItsNameInTheDefaultsPlace() {
        AlertRule newA = AlertRule.above("a", LATENCY, 10, Severity.ERROR);
        AlertSettings settings = MonitoringConfig.defaults().alertSettings();

        assertThat(AlertRules.assemble(settings, List.of(A, B), List.of(newA))).containsExactly(newA, B);
    }

    @Test
    void defaultsOfADisabledSeverityAreDropped() {
        AlertSettings criticalOnly = MonitoringConfig.builder().severityLevels(List.of("critical")).build()
                .alertSettings();

        assertThat(AlertRules.assemble(criticalOnly, List.of(A, B, C), List.of())).containsExactly(C);
    }
}
