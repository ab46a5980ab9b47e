package dev.cmr.monitor.store;

import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.spi.BufferReading;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What was recorded between {@code startEpochMillis} and {@code endEpochMillis}: one entry of the time series.
 * {@code intervals} is 1 for a raw interval and the number of raw intervals merged for a downsampled one.
 * Buffer fields are the reading at the end of the interval; {@code bufferUtilization} is NaN without a gauge.
 * {@code resources} are the resource samplers' latest values when the interval closed, keyed
 * {@code <source>.<gauge>} ({@code host.process_rss_bytes}), sorted; empty without resource sampling.
 */
public record IntervalSnapshot(
        long startEpochMillis,
        long endEpochMillis,
        int intervals,
        StageInterval capture,
        StageInterval reconstruction,
        StageInterval retrieval,
        StageInterval layer,
        StageInterval syncWait,
        StageInterval device,
        StageInterval forward,
        long statesCaptured,
        long statesStored,
        long memoriesUsed,
        long cacheHits,
        long evictions,
        long errors,
        long rejected,
        long bufferEntries,
        long bufferBytes,
        double bufferUtilization,
        Map<String, Double> resources) {

    public IntervalSnapshot {
        resources = resources == null || resources.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    /** An entry without resource values. */
    public IntervalSnapshot(long startEpochMillis, long endEpochMillis, int intervals, StageInterval capture,
                            StageInterval reconstruction, StageInterval retrieval, StageInterval layer,
                            StageInterval syncWait, StageInterval device, StageInterval forward, long statesCaptured, long statesStored, long memoriesUsed,
                            long cacheHits, long evictions, long errors, long rejected, long bufferEntries,
                            long bufferBytes, double bufferUtilization) {
        this(startEpochMillis, endEpochMillis, intervals, capture, reconstruction, retrieval, layer, syncWait, device,
                forward,
                statesCaptured, statesStored, memoriesUsed, cacheHits, evictions, errors, rejected, bufferEntries,
                bufferBytes, bufferUtilization, Map.of());
    }

    static IntervalSnapshot of(long start, long end, StageInterval[] stages, long statesCaptured, long statesStored,
                               long memoriesUsed, long cacheHits, long evictions, long errors, long rejected,
                               BufferReading buffer, Map<String, Double> resources) {
        return new IntervalSnapshot(start, end, 1,
                stages[Stage.CAPTURE.ordinal()], stages[Stage.RECONSTRUCTION.ordinal()],
                stages[Stage.RETRIEVAL.ordinal()], stages[Stage.LAYER.ordinal()], stages[Stage.SYNC_WAIT.ordinal()],
                stages[Stage.DEVICE.ordinal()], stages[Stage.FORWARD.ordinal()],
                statesCaptured, statesStored, memoriesUsed, cacheHits, evictions, errors, rejected,
                buffer == null ? 0 : buffer.totalEntries(), buffer == null ? 0 : buffer.memoryBytes(),
                buffer == null ? Double.NaN : buffer.utilization(), resources);
    }

    public StageInterval stage(Stage stage) {
        return switch (stage) {
            case CAPTURE -> capture;
            case RECONSTRUCTION -> reconstruction;
            case RETRIEVAL -> retrieval;
            case LAYER -> layer;
            case SYNC_WAIT -> syncWait;
            case DEVICE -> device;
            case FORWARD -> forward;
            case EVICTION -> throw new IllegalArgumentException("eviction is counted, not timed: use evictions()");
        };
    }

    /**
     * Joins this entry with the one that directly follows it. Buffer fields are the later reading; so are resource
     * values, gauge by gauge: the newer entry's value where it has one, else this one's (the newest reading within
     * the joined span). Resource values are gauges, not sums, so they are never added up.
     */
    IntervalSnapshot merge(IntervalSnapshot newer) {
        return new IntervalSnapshot(startEpochMillis, newer.endEpochMillis, intervals + newer.intervals,
                capture.merge(newer.capture), reconstruction.merge(newer.reconstruction),
                retrieval.merge(newer.retrieval), layer.merge(newer.layer), syncWait.merge(newer.syncWait),
                device.merge(newer.device), forward.merge(newer.forward),
                statesCaptured + newer.statesCaptured, statesStored + newer.statesStored,
                memoriesUsed + newer.memoriesUsed, cacheHits + newer.cacheHits, evictions + newer.evictions,
                errors + newer.errors, rejected + newer.rejected,
                newer.bufferEntries, newer.bufferBytes, newer.bufferUtilization, newerResources(newer));
    }

    private Map<String, Double> newerResources(IntervalSnapshot newer) {
        if (resources.isEmpty()) {
            return newer.resources;
        }
        Map<String, Double> joined = new TreeMap<>(resources);
        joined.putAll(newer.resources);
        return joined;
    }
}
