package dev.cmr.monitor.health;

/**
 * A device's state as health judges it (from NVML or a backend's own query).
 *
 * @param memoryUtilization device memory used over total, in [0, 1], or null when unknown
 * @param throttled         whether the device reports a clock slowdown other than idle, or null when unknown
 * @param markLossRate      device marks lost (failed or dropped) over all marks that came back, in [0, 1], since the
 *                          timeline was attached, or null without a timeline
 */
public record DeviceReading(Double memoryUtilization, Boolean throttled, Double markLossRate) {
    public DeviceReading {
        if (memoryUtilization != null && !(memoryUtilization >= 0.0 && memoryUtilization <= 1.0)) {
            throw new IllegalArgumentException("memoryUtilization must be in [0, 1] or null, was " + memoryUtilization);
        }
        if (markLossRate != null && !(markLossRate >= 0.0 && markLossRate <= 1.0)) {
            throw new IllegalArgumentException("markLossRate must be in [0, 1] or null, was " + markLossRate);
        }
    }

    /** A reading without device marks (NVML or a backend query alone). */
    public DeviceReading(Double memoryUtilization, Boolean throttled) {
        this(memoryUtilization, throttled, null);
    }

    /** Supplies readings; called on the health thread, must be thread-safe and not block. Null means none now. */
    @FunctionalInterface
    public interface Source {
        DeviceReading read();
    }
}
