package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;

/**
 * One CMR stage inside one layer: its self time (the stage minus stages nested in it) as a mean per pass in
 * nanoseconds, over every pass (0 where it did not run), and the per-pass samples.
 */
public record StageProfile(int layer, Stage stage, double selfNanos, Samples samples) {
}
