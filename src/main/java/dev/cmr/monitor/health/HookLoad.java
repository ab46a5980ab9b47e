package dev.cmr.monitor.health;

/**
 * The load all hooks together put on the model: hook invocations and the host time they took, since the source
 * started. By default the engine sums the hook gauge's per-hook readings ({@code spi.HookReading}); a source set
 * with {@code setHookSource} replaces that. Health windows it (differences between evaluations), so a source only
 * has to count.
 *
 * @param calls         hook invocations so far, {@code >= 0}
 * @param overheadNanos host time spent inside hooks so far, {@code >= 0}
 */
public record HookLoad(long calls, long overheadNanos) {
    public HookLoad {
        if (calls < 0) {
            throw new IllegalArgumentException("calls must be >= 0, was " + calls);
        }
        if (overheadNanos < 0) {
            throw new IllegalArgumentException("overheadNanos must be >= 0, was " + overheadNanos);
        }
    }

    /** Supplies readings; called on the health thread, must be thread-safe and not block. Null means none now. */
    @FunctionalInterface
    public interface Source {
        HookLoad read();
    }
}
