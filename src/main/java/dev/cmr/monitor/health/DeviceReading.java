package dev.cmr.monitor.health;

/**
 * A device's state as health judges it (from NVML or a backend's own query).
 *
 * @param memoryUtilization device memory used over total, in [0, 1], or null when unknown
 * @param throttled         whether the device reports a clock slowdown other than idle, or null when unknown
 */
public record DeviceReading(Double memoryUtilization, Boolean throttled) {
    public DeviceReading {
        if (memoryUtilization != null && !(memoryUtilization >= 0.0 && memoryUtilization <= 1.0)) {
            throw new IllegalArgumentException("memoryUtilization must be in [0, 1] or null, was " + memoryUtilization);
        }
    }

    /** Supplies readings; called on the health thread, must be thread-safe and not block. Null means none now. */
    @FunctionalInterface
    public interface Source {
        DeviceReading read();
    }
}
