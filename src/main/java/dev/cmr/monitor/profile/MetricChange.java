package dev.cmr.monitor.profile;

import java.util.Objects;

/**
 * The comparison of one metric between a baseline and a current run. Medians are of the per-pass samples, in
 * nanoseconds on the host clock. Changes are relative: {@code current / baseline - 1}, so {@code 0.20} is 20% slower.
 *
 * <p>Nullability: {@code key}, {@code status} and {@code reason} are never null. A median is null when its side has
 * no samples (always for the absent side of ADDED and REMOVED). {@code relativeChange} is null unless both medians
 * are known and the baseline median is above 0. {@code changeLower} and {@code changeUpper}, the ends of the
 * bootstrap interval of the relative change, are non-null exactly when {@link ChangeStatus#judged()}.
 *
 * @param reason one sentence with the numbers that decided the status
 */
public record MetricChange(String key, ChangeStatus status, int baselineSamples, int currentSamples,
        Double baselineMedianNanos, Double currentMedianNanos, Double relativeChange, Double changeLower,
        Double changeUpper, String reason) {

    public MetricChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (status.judged() != (changeLower != null && changeUpper != null)) {
            throw new IllegalArgumentException(key + ": a " + status + " change "
                    + (status.judged() ? "needs" : "has no") + " interval");
        }
    }

    /** Whether the interval is known and contains {@code change} (ends included). */
    public boolean intervalContains(double change) {
        return status.judged() && changeLower <= change && change <= changeUpper;
    }
}
