package dev.cmr.monitor.alert;

import java.time.Instant;

/**
 * The state machine of one rule. Not thread-safe: {@link AlertManager} drives it under its state lock. Times are
 * monotonic nanoseconds from the manager's clock; the wall-clock instants only label output.
 *
 * <pre>
 * state      condition holds                         condition false (data)   no data (missing / NaN)
 * INACTIVE   PENDING, or FIRING if delay is 0        INACTIVE                 INACTIVE
 * PENDING    FIRING once held for the delay          INACTIVE                 INACTIVE (hold broken)
 * FIRING     FIRING                                  RESOLVED                 FIRING; RESOLVED once no data for
 *                                                                             noDataResolveNanos
 * RESOLVED   as INACTIVE                             INACTIVE                 INACTIVE
 * </pre>
 *
 * A gap in the data breaks a pending hold (the condition was not seen to hold), but does not resolve a firing
 * alert until the gap outlasts {@code noDataResolveNanos}: one missed health check must not send a resolved notice
 * followed by a new firing one.
 */
final class RuleTracker {
    /** What one evaluation did to the alert. */
    enum Step {
        /** Nothing a receiver hears about: inactive, pending, or back to inactive. */
        QUIET,
        /** PENDING or INACTIVE became FIRING. */
        FIRED,
        /** Was firing and the condition still holds. */
        STILL_FIRING,
        /** Was firing and the metric has no data, within the grace period. */
        FIRING_WITHOUT_DATA,
        /** Was firing and the condition cleared (or the data stayed away past the grace period). */
        RESOLVED
    }

    final AlertRule rule;
    final long delayNanos;
    private final long noDataResolveNanos;

    private AlertState state = AlertState.INACTIVE;
    private long holdingSinceNanos;
    private Instant holdingSince;
    private Instant firedAt;
    private long noDataSinceNanos;
    private boolean noData;
    private double lastValue = Double.NaN;
    private String resolveReason;

    // What receivers have been told about this episode.
    private boolean notifiedFiring;
    private long lastNotifiedNanos;
    private Instant lastNotifiedAt;
    private int firingNotifications;

    RuleTracker(AlertRule rule, long delayNanos, long noDataResolveNanos) {
        this.rule = rule;
        this.delayNanos = delayNanos;
        this.noDataResolveNanos = noDataResolveNanos;
    }

    /** Advances by one evaluation; {@code value} is NaN when the metric has no data. */
    Step advance(long nowNanos, Instant now, double value) {
        boolean hasData = !Double.isNaN(value);
        if (hasData) {
            lastValue = value;
            noData = false;
        }
        boolean holds = hasData && rule.holds(value);
        switch (state) {
            case INACTIVE, RESOLVED -> {
                if (holds) {
                    holdingSinceNanos = nowNanos;
                    holdingSince = now;
                    return pendingOrFire(nowNanos, now);
                }
                state = AlertState.INACTIVE;
                return Step.QUIET;
            }
            case PENDING -> {
                if (holds) {
                    return pendingOrFire(nowNanos, now);
                }
                state = AlertState.INACTIVE;
                return Step.QUIET;
            }
            case FIRING -> {
                if (holds) {
                    return Step.STILL_FIRING;
                }
                if (hasData) {
                    return resolve(AlertNotification.CONDITION_CLEARED);
                }
                if (!noData) {
                    noData = true;
                    noDataSinceNanos = nowNanos;
                }
                return nowNanos - noDataSinceNanos >= noDataResolveNanos
                        ? resolve(AlertNotification.NO_DATA) : Step.FIRING_WITHOUT_DATA;
            }
            default -> throw new AssertionError(state);
        }
    }

    private Step pendingOrFire(long nowNanos, Instant now) {
        if (nowNanos - holdingSinceNanos >= delayNanos) {
            state = AlertState.FIRING;
            firedAt = now;
            return Step.FIRED;
        }
        state = AlertState.PENDING;
        return Step.QUIET;
    }

    private Step resolve(String reason) {
        state = AlertState.RESOLVED;
        resolveReason = reason;
        return Step.RESOLVED;
    }

    /** Whether a firing notification is due: never sent this episode, or the last one is a cooldown old. */
    boolean firingNotificationDue(long nowNanos, long cooldownNanos) {
        return !notifiedFiring || nowNanos - lastNotifiedNanos >= cooldownNanos;
    }

    AlertNotification firingNotification(long nowNanos, Instant now) {
        AlertNotification n = new AlertNotification(AlertNotification.Status.FIRING, rule, lastValue, now,
                holdingSince, firingNotifications, AlertNotification.CONDITION_HOLDS);
        notifiedFiring = true;
        lastNotifiedNanos = nowNanos;
        lastNotifiedAt = now;
        firingNotifications++;
        return n;
    }

    /**
     * Ends the firing episode. Returns the resolved notice if receivers were told the alert fired, else null: an
     * alert that fired while inhibited resolves silently, since nobody heard it fire.
     */
    AlertNotification endEpisode(Instant now) {
        AlertNotification n = notifiedFiring
                ? new AlertNotification(AlertNotification.Status.RESOLVED, rule,
                        AlertNotification.NO_DATA.equals(resolveReason) ? Double.NaN : lastValue, now, holdingSince,
                        firingNotifications, resolveReason)
                : null;
        notifiedFiring = false;
        lastNotifiedAt = null;
        firingNotifications = 0;
        firedAt = null;
        noData = false;
        return n;
    }

    AlertState state() {
        return state;
    }

    ActiveAlert snapshot(boolean inhibited) {
        return new ActiveAlert(rule, state, lastValue, holdingSince, firedAt, lastNotifiedAt, inhibited, noData);
    }
}
