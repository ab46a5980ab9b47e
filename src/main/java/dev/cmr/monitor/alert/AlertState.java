package dev.cmr.monitor.alert;

/**
 * Where a rule's alert stands, as in Prometheus: {@code INACTIVE -> PENDING -> FIRING -> RESOLVED -> INACTIVE}.
 * PENDING means the condition holds but has not held for the escalation delay yet; RESOLVED lasts one evaluation,
 * the one in which a firing alert's condition cleared.
 */
public enum AlertState {
    INACTIVE,
    PENDING,
    FIRING,
    RESOLVED
}
