package dev.cmr.monitor.profile;

import java.util.Map;

/**
 * One profiled pass as durations only (no timestamps): the pass's wall time and each layer's durations, in
 * nanoseconds. Without timestamps there is no partition, launch delay, idle gap or kernel breakdown. The map is
 * copied.
 *
 * @throws IllegalArgumentException if {@code passNanos < 0}
 */
public record PassDurations(long passNanos, Map<Integer, LayerDurations> layers) implements ProfiledPass {
    public PassDurations {
        Spans.checkNonNegative("passNanos", passNanos);
        layers = Map.copyOf(layers);
    }

    @Override
    public long wallNanos() {
        return passNanos;
    }
}
