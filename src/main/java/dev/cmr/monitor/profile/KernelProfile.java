package dev.cmr.monitor.profile;

/**
 * One kernel name inside one layer: {@code count} launches over all passes, and {@code deviceNanos}, the summed
 * device time of its spans as a mean per pass over the passes that carried device spans (0 where it did not run),
 * with the per-pass samples.
 */
public record KernelProfile(int layer, String kernel, long count, double deviceNanos, Samples samples) {
}
