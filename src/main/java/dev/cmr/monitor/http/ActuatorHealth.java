package dev.cmr.monitor.http;

import dev.cmr.monitor.health.ComponentHealth;
import dev.cmr.monitor.health.HealthCheck;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health} in Spring Boot Actuator's shape: {@code {"status", "components": {name: {"status",
 * "details"}}}}, with the monitor's own verdict beside it. The mapping, overall and per component:
 * <pre>
 *   monitor   Actuator   HTTP (overall only)
 *   GREEN     UP         200
 *   YELLOW    DEGRADED   200   degraded still serves: a load balancer keeps it
 *   RED       DOWN       503   take it out of rotation
 *   NO_DATA   UNKNOWN    200   nothing judged yet (a fresh process is not down)
 * </pre>
 * Each component's details carry {@code health} (the monitor's status), {@code score}, {@code decided_by} (the
 * check that decided it) and every check with its value and limits. Stateless.
 */
final class ActuatorHealth {
    private ActuatorHealth() {
    }

    static String status(HealthStatus status) {
        return switch (status) {
            case GREEN -> "UP";
            case YELLOW -> "DEGRADED";
            case RED -> "DOWN";
            case NO_DATA -> "UNKNOWN";
        };
    }

    static int httpStatus(HealthReport report) {
        return report.status() == HealthStatus.RED ? 503 : 200;
    }

    static Map<String, Object> toMap(HealthReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status(report.status()));
        m.put("health", report.status().name());
        m.put("score", report.score());
        m.put("timestamp", report.timestampEpochMillis() / 1e3);
        Map<String, Object> components = new LinkedHashMap<>();
        report.components().forEach((name, c) -> components.put(name, component(c)));
        m.put("components", components);
        return m;
    }

    private static Map<String, Object> component(ComponentHealth c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status(c.status()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("health", c.status().name());
        details.put("score", c.score());
        HealthCheck decisive = c.decidedBy();
        details.put("decided_by", decisive == null ? null : decisive.name());
        Map<String, Object> checks = new LinkedHashMap<>();
        for (HealthCheck check : c.checks()) {
            checks.put(check.name(), check.toMap());
        }
        details.put("checks", checks);
        details.put("facts", c.facts());
        m.put("details", details);
        return m;
    }
}
