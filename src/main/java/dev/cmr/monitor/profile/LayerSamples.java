package dev.cmr.monitor.profile;

/**
 * One layer's per-pass samples, in nanoseconds, in pass order: host, self host, launch and sync wait have one sample
 * per pass (0 where the layer did not run); device has one per pass that carried device numbers, launch delay one per
 * pass where it was known.
 */
public record LayerSamples(Samples hostNanos, Samples selfHostNanos, Samples launchNanos, Samples syncWaitNanos,
                           Samples deviceNanos, Samples launchDelayNanos) {
}
