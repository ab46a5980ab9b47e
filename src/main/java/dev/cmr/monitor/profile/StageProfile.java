package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;

/**
 * One CMR stage inside one layer: its self time (the stage minus stages nested in it) as a mean per pass in
 * nanoseconds, over every pass (0 where it did not run), the per-pass samples, and {@code allocatedBytes}: the JVM
 * heap bytes its spans allocated on the profiled thread, a mean over the passes that tracked it
 * ({@code profile_memory}; 0 where it did not run), null when none did.
 */
public record StageProfile(int layer, Stage stage, double selfNanos, Samples samples, Double allocatedBytes) {

    /** A stage whose allocation was not tracked. */
    public StageProfile(int layer, Stage stage, double selfNanos, Samples samples) {
        this(layer, stage, selfNanos, samples, null);
    }
}
