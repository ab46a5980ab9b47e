package dev.cmr.monitor.profile;

/**
 * One forward pass inside a profiled block, in one of two forms: {@link PassTrace} (spans with host-clock
 * timestamps, which give the timeline features: the pass-time partition, launch delays, idle gaps and per-kernel
 * times) or {@link PassDurations} (per-layer durations only, from a model that calls the public record API).
 */
public sealed interface ProfiledPass permits PassTrace, PassDurations {
    /** The pass's wall time in nanoseconds. */
    long wallNanos();
}
