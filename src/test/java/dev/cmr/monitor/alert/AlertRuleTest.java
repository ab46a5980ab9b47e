package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertRuleTest {

    @Test
    void componentIsThePartOfTheMetricBeforeTheFirstDot() {
        assertThat(AlertRule.above("a", "memory_buffer.evictions_per_insert", 1, Severity.WARNING).component())
                .isEqualTo("memory_buffer");
        assertThat(AlertRule.above("a", "device.gpu.util", 1, Severity.WARNING).component()).isEqualTo("device");
    }

    @Test
    void comparisonsAreStrictAndNanNeverHolds() {
        AlertRule above = AlertRule.above("a", "system.error_rate", 0.1, Severity.ERROR);
        AlertRule below = AlertRule.below("b", "system.health_score", 50, Severity.ERROR);

        assertThat(above.holds(0.1000001)).isTrue();
        assertThat(above.holds(0.1)).isFalse();
        assertThat(above.holds(Double.NaN)).isFalse();
        assertThat(below.holds(49.999)).isTrue();
        assertThat(below.holds(50)).isFalse();
        assertThat(below.holds(Double.NaN)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"latency", ".latency", "system.", "system latency.p99", ""})
    void metricWithoutComponentAndNameIsRejectedNamingTheRule(String metric) {
        assertThatThrownBy(() -> AlertRule.above("slow", metric, 1, Severity.WARNING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert rule 'slow': metric must look like <component>.<name> (letters, digits, '_', "
                        + "'-', '.'), was \"" + metric + "\"");
    }

    @Test
    void otherBadArgumentsAreNamed() {
        assertThatThrownBy(() -> AlertRule.above(" ", "system.x", 1, Severity.WARNING))
                .hasMessage("alert rule name must not be blank, was \" \"");
        assertThatThrownBy(() -> AlertRule.above("r", "system.x", Double.NaN, Severity.WARNING))
                .hasMessage("alert rule 'r': threshold must be a finite number, was NaN");
        assertThatThrownBy(() -> AlertRule.above("r", "system.x", 1, null))
                .hasMessage("alert rule 'r': severity must not be null");
        assertThatThrownBy(() -> AlertRule.above("r", "system.x", 1, Severity.ERROR).withFor(Duration.ofSeconds(-1)))
                .hasMessage("alert rule 'r': forDuration must not be negative, was PT-1S");
    }

    @Test
    void toMapHasSnakeCaseKeysAndForSecondsOnlyWhenOverridden() {
        AlertRule rule = AlertRule.below("cold", "retrieval_system.cache_hit_rate", 0.5, Severity.WARNING);

        assertThat(rule.toMap()).containsExactly(
                org.assertj.core.api.Assertions.entry("name", "cold"),
                org.assertj.core.api.Assertions.entry("metric", "retrieval_system.cache_hit_rate"),
                org.assertj.core.api.Assertions.entry("component", "retrieval_system"),
                org.assertj.core.api.Assertions.entry("comparison", "below"),
                org.assertj.core.api.Assertions.entry("threshold", 0.5),
                org.assertj.core.api.Assertions.entry("severity", "warning"));
        assertThat(rule.withFor(Duration.ofMillis(1500)).toMap()).containsEntry("for_seconds", 1.5);
    }

    @Test
    void severityReadsConfigurationNames() {
        assertThat(Severity.fromConfig("critical")).isEqualTo(Severity.CRITICAL);
        assertThatThrownBy(() -> Severity.fromConfig("fatal"))
                .hasMessage("severity must be one of [warning, error, critical], was \"fatal\"");
    }
}
