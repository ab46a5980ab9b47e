package dev.cmr.monitor.alert;

import dev.cmr.monitor.health.HealthComponent;
import dev.cmr.monitor.health.HealthStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every monitor starts with, derived from {@code alert_thresholds}. With T = {@code high_latency}
 * (seconds), E = {@code high_error_rate} and L = {@code low_efficiency}:
 *
 * <pre>
 * rule                           metric                                 fires when     severity
 * high_latency                   system.p99_latency_seconds             &gt; T            warning
 * high_latency_critical          system.p99_latency_seconds             &gt; 3 T          critical
 * high_error_rate                system.error_rate                      &gt; E            error
 * high_error_rate_critical       system.error_rate                      &gt; 4 E          critical   (only if 4 E &lt; 1)
 * hooks_high_error_rate          hooks.error_rate                       &gt; E            error
 * hooks_high_error_rate_critical hooks.error_rate                       &gt; 4 E          critical   (only if 4 E &lt; 1)
 * low_capture_efficiency         memory_buffer.capture_efficiency       &lt; L            warning
 * low_storage_efficiency         memory_buffer.storage_efficiency       &lt; L            warning
 * low_reconstruction_quality     reconstruction.quality                 &lt; L            warning
 * low_cache_hit_rate             retrieval_system.cache_hit_rate        &lt; L            warning
 * &lt;c&gt;_health_degraded            &lt;c&gt;.health_score                       &lt; 70           warning
 * &lt;c&gt;_health_critical            &lt;c&gt;.health_score                       &lt; 40           critical
 * </pre>
 *
 * for every health component c (by default {@link #HEALTH_COMPONENTS}, {@code system} being the overall score). Why
 * these tiers: a threshold crossing is worth a look (warning, after 300 s by default) while a multiple of it needs
 * someone now (critical, at once); errors start at the error tier because failed requests are already user-visible.
 * Low efficiency costs throughput but never correctness, so it stays a warning. Buffer utilization and evictions
 * have no configured threshold; they reach alerts through {@code memory_buffer.health_score}.
 *
 * <p>The health components and cut-offs are health's facts, read from its vocabulary ({@link HealthComponent},
 * {@link HealthStatus}), so the rules follow when a component or a band changes.
 */
public final class DefaultAlertRules {
    /** The components with a {@code <component>.health_score} metric; {@code system} is the overall score. */
    public static final List<String> HEALTH_COMPONENTS = HealthComponent.scoredKeys();
    /** A health score below this alerts as a warning: the lowest GREEN score. */
    public static final double HEALTH_WARNING_BELOW = HealthStatus.GREEN.minScore();
    /** A health score below this alerts as critical: the lowest YELLOW score. */
    public static final double HEALTH_CRITICAL_BELOW = HealthStatus.YELLOW.minScore();
    static final double LATENCY_CRITICAL_FACTOR = 3;
    static final double ERROR_RATE_CRITICAL_FACTOR = 4;

    private DefaultAlertRules() {
    }

    /**
     * {@code factor × threshold} as the decimal product a person would write (3 × 0.1 = 0.3, where the binary
     * product is 0.30000000000000004), so the threshold reads the same in alert messages and in the Prometheus rules.
     */
    static double times(double factor, double threshold) {
        return new BigDecimal(Double.toString(factor)).multiply(new BigDecimal(Double.toString(threshold)))
                .doubleValue();
    }

    /** The default rules with the default health cut-offs. */
    public static List<AlertRule> from(AlertSettings settings) {
        return from(settings, HEALTH_WARNING_BELOW, HEALTH_CRITICAL_BELOW);
    }

    /**
     * The default rules, with a degraded and a critical rule on {@code <c>.health_score} for each of
     * {@link #HEALTH_COMPONENTS}; health scores below the given values alert as warning and critical.
     */
    public static List<AlertRule> from(AlertSettings settings, double healthWarningBelow,
                                       double healthCriticalBelow) {
        if (!(healthCriticalBelow <= healthWarningBelow)) {
            throw new IllegalArgumentException("healthCriticalBelow (" + healthCriticalBelow
                    + ") must not exceed healthWarningBelow (" + healthWarningBelow + ")");
        }
        double latency = settings.highLatencySeconds();
        double errors = settings.highErrorRate();
        double efficiency = settings.lowEfficiency();
        List<AlertRule> rules = new ArrayList<>();
        rules.add(AlertRule.above("high_latency", "system.p99_latency_seconds", latency, Severity.WARNING));
        rules.add(AlertRule.above("high_latency_critical", "system.p99_latency_seconds",
                times(LATENCY_CRITICAL_FACTOR, latency), Severity.CRITICAL));
        errorRules(rules, "high_error_rate", "system.error_rate", errors);
        errorRules(rules, "hooks_high_error_rate", "hooks.error_rate", errors);
        rules.add(AlertRule.below("low_capture_efficiency", "memory_buffer.capture_efficiency", efficiency,
                Severity.WARNING));
        rules.add(AlertRule.below("low_storage_efficiency", "memory_buffer.storage_efficiency", efficiency,
                Severity.WARNING));
        rules.add(AlertRule.below("low_reconstruction_quality", "reconstruction.quality", efficiency,
                Severity.WARNING));
        rules.add(AlertRule.below("low_cache_hit_rate", "retrieval_system.cache_hit_rate", efficiency,
                Severity.WARNING));
        for (String component : HEALTH_COMPONENTS) {
            String metric = component + ".health_score";
            rules.add(AlertRule.below(component + "_health_degraded", metric, healthWarningBelow, Severity.WARNING));
            rules.add(AlertRule.below(component + "_health_critical", metric, healthCriticalBelow,
                    Severity.CRITICAL));
        }
        return List.copyOf(rules);
    }

    private static void errorRules(List<AlertRule> rules, String name, String metric, double threshold) {
        rules.add(AlertRule.above(name, metric, threshold, Severity.ERROR));
        double critical = times(ERROR_RATE_CRITICAL_FACTOR, threshold);
        // A rate never exceeds 1, so a critical tier at or above 1 could never fire: leave it out.
        if (critical < 1) {
            rules.add(AlertRule.above(name + "_critical", metric, critical, Severity.CRITICAL));
        }
    }
}
