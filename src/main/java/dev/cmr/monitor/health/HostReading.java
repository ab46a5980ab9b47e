package dev.cmr.monitor.health;

/**
 * The host's resource utilization as health judges it, each a ratio in [0, 1] or null when unknown.
 *
 * @param cpuUtilization    share of all cores busy, system-wide
 * @param memoryUtilization used over total physical memory
 */
public record HostReading(Double cpuUtilization, Double memoryUtilization) {
    public HostReading {
        cpuUtilization = ratio("cpuUtilization", cpuUtilization);
        memoryUtilization = ratio("memoryUtilization", memoryUtilization);
    }

    /**
     * From a host sampler's measures, each null when not read: CPU busy percent (0..100), memory used and total in
     * bytes. Missing or unusable measures give null fields, never an exception: a host sampler that could not read
     * something must not break health. Null when no measure is usable.
     */
    public static HostReading fromMeasures(Double cpuPercent, Double memoryUsedBytes, Double memoryTotalBytes) {
        Double cpu = finite(cpuPercent);
        Double used = finite(memoryUsedBytes);
        Double total = finite(memoryTotalBytes);
        Double cpuRatio = cpu == null ? null : clamp(cpu / 100.0);
        Double memory = used == null || total == null || total <= 0 ? null : clamp(used / total);
        return cpuRatio == null && memory == null ? null : new HostReading(cpuRatio, memory);
    }

    private static Double finite(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }

    private static Double ratio(String name, Double v) {
        if (v != null && !(v >= 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1] or null, was " + v);
        }
        return v;
    }

    /** Supplies readings; called on the health thread, must be thread-safe and not block. Null means none now. */
    @FunctionalInterface
    public interface Source {
        HostReading read();
    }
}
