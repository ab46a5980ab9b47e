package dev.cmr.monitor.profile;

/** What bounds a layer or a pass; {@link VerdictRule} decides it. */
public enum Verdict {
    /** The host's own work (Java work plus launch and enqueue calls) is the larger cost. */
    HOST_BOUND,
    /** Device execution takes at least as long as the host's own work. */
    DEVICE_BOUND,
    /** The host spends at least half its own time blocked in device calls. */
    SYNC_BOUND,
    /** NVML saw clock-event reasons other than idle in the window: the times are not representative. */
    THROTTLED
}
