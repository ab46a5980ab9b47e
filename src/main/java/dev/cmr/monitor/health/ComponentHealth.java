package dev.cmr.monitor.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health of one component: the worst of its checks decides the status, the lowest check score is its score.
 * Without any check (nothing to judge) it is NO_DATA with a null score, and {@code facts} says why.
 *
 * @param facts the raw numbers the checks were computed from (counts, window length), for the details
 */
public record ComponentHealth(String name, HealthStatus status, Integer score, List<HealthCheck> checks,
                              Map<String, Object> facts) {

    public ComponentHealth {
        checks = List.copyOf(checks);
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        if ((status == HealthStatus.NO_DATA) != (score == null)) {
            throw new IllegalArgumentException(name + ": a score exactly when there is data");
        }
    }

    public static ComponentHealth of(String name, List<HealthCheck> checks, Map<String, Object> facts) {
        if (checks.isEmpty()) {
            return new ComponentHealth(name, HealthStatus.NO_DATA, null, checks, facts);
        }
        HealthCheck decisive = decisive(checks);
        return new ComponentHealth(name, decisive.status(), decisive.score(), checks, facts);
    }

    /** The check that decided the status: the worst status, lowest score among equals; null when NO_DATA. */
    public HealthCheck decidedBy() {
        return checks.isEmpty() ? null : decisive(checks);
    }

    private static HealthCheck decisive(List<HealthCheck> checks) {
        HealthCheck worst = checks.get(0);
        for (HealthCheck c : checks) {
            int bySeverity = Integer.compare(c.status().ordinal(), worst.status().ordinal());
            if (bySeverity > 0 || (bySeverity == 0 && c.score() < worst.score())) {
                worst = c;
            }
        }
        return worst;
    }

    /**
     * The numbers and thresholds that decided the status: {@code decided_by}, one entry per check (its value,
     * status, score and limits), then the facts.
     */
    public Map<String, Object> details() {
        Map<String, Object> m = new LinkedHashMap<>();
        HealthCheck decisive = decidedBy();
        m.put("decided_by", decisive == null ? null : decisive.name());
        for (HealthCheck c : checks) {
            m.put(c.name(), c.toMap());
        }
        m.putAll(facts);
        return m;
    }

    /** {@code status, score, details}: the JSON report's per-component entry. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.name());
        m.put("score", score);
        m.put("details", details());
        return m;
    }
}
