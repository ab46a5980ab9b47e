package dev.cmr.monitor.health;

import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.StageInterval;
import java.util.EnumMap;
import java.util.Map;

/**
 * Builds {@link IntervalSnapshot}s for health tests: the one place that knows the record's constructor, so a new
 * field there changes one file here.
 */
public final class Intervals {
    private long start;
    private long end;
    private final Map<Stage, StageInterval> stages = new EnumMap<>(Stage.class);
    private long statesCaptured;
    private long statesStored;
    private long cacheHits;
    private long evictions;
    private long errors;
    private long bufferEntries;
    private double bufferUtilization = Double.NaN;

    private Intervals(long startMillis, long endMillis) {
        this.start = startMillis;
        this.end = endMillis;
    }

    /** An interval from {@code startMillis} to {@code endMillis} with nothing recorded. */
    public static Intervals between(long startMillis, long endMillis) {
        return new Intervals(startMillis, endMillis);
    }

    /** {@code count} records of {@code stage}, each {@code nanos} long (so p50 = p99 = max = nanos). */
    public Intervals stage(Stage stage, long count, long nanos) {
        stages.put(stage, new StageInterval(count, count * nanos, nanos, nanos, nanos));
        return this;
    }

    public Intervals stage(Stage stage, StageInterval interval) {
        stages.put(stage, interval);
        return this;
    }

    public Intervals captures(long captured, long stored) {
        statesCaptured = captured;
        statesStored = stored;
        return this;
    }

    public Intervals evictions(long n) {
        evictions = n;
        return this;
    }

    public Intervals cacheHits(long n) {
        cacheHits = n;
        return this;
    }

    public Intervals errors(long n) {
        errors = n;
        return this;
    }

    public Intervals buffer(long entries, double utilization) {
        bufferEntries = entries;
        bufferUtilization = utilization;
        return this;
    }

    public IntervalSnapshot build() {
        return new IntervalSnapshot(start, end, 1, get(Stage.CAPTURE), get(Stage.RECONSTRUCTION),
                get(Stage.RETRIEVAL), get(Stage.LAYER), get(Stage.SYNC_WAIT), get(Stage.DEVICE), get(Stage.FORWARD),
                statesCaptured, statesStored, 0, cacheHits, evictions, errors, 0, bufferEntries, bufferEntries * 64,
                bufferUtilization);
    }

    private StageInterval get(Stage stage) {
        return stages.getOrDefault(stage, StageInterval.EMPTY);
    }
}
