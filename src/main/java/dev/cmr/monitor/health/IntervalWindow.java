package dev.cmr.monitor.health;

import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.StageInterval;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Closed intervals of the time series taken together: the sums, and per stage a merged latency whose p50 and p99
 * are upper bounds (the largest interval value; intervals keep no histogram, so exact window percentiles cannot be
 * had). Immutable; built off the record path from {@link IntervalSnapshot}s.
 */
public final class IntervalWindow {
    private final List<IntervalSnapshot> intervals;
    private final long coveredMillis;
    private final Map<Stage, StageInterval> stages = new EnumMap<>(Stage.class);
    private final long statesCaptured;
    private final long statesStored;
    private final long evictions;
    private final long cacheHits;
    private final long errors;

    private IntervalWindow(List<IntervalSnapshot> intervals) {
        this.intervals = List.copyOf(intervals);
        long covered = 0;
        long captured = 0;
        long stored = 0;
        long evicted = 0;
        long hits = 0;
        long errorCount = 0;
        for (IntervalSnapshot s : intervals) {
            covered += s.endEpochMillis() - s.startEpochMillis();
            captured += s.statesCaptured();
            stored += s.statesStored();
            evicted += s.evictions();
            hits += s.cacheHits();
            errorCount += s.errors();
        }
        for (Stage stage : Stage.timedStages()) {
            StageInterval all = StageInterval.EMPTY;
            for (IntervalSnapshot s : intervals) {
                all = all.merge(s.stage(stage));
            }
            stages.put(stage, all);
        }
        this.coveredMillis = covered;
        this.statesCaptured = captured;
        this.statesStored = stored;
        this.evictions = evicted;
        this.cacheHits = hits;
        this.errors = errorCount;
    }

    public static IntervalWindow of(List<IntervalSnapshot> intervals) {
        return new IntervalWindow(intervals);
    }

    /** The entries of {@code series} that ended in {@code (fromExclusiveMillis, toInclusiveMillis]}, in order. */
    public static IntervalWindow between(List<IntervalSnapshot> series, long fromExclusiveMillis,
                                         long toInclusiveMillis) {
        List<IntervalSnapshot> in = new ArrayList<>();
        for (IntervalSnapshot s : series) {
            if (s.endEpochMillis() > fromExclusiveMillis && s.endEpochMillis() <= toInclusiveMillis) {
                in.add(s);
            }
        }
        return new IntervalWindow(in);
    }

    public int intervalCount() {
        return intervals.size();
    }

    public boolean isEmpty() {
        return intervals.isEmpty();
    }

    /** Sum of the intervals' lengths. */
    public long coveredMillis() {
        return coveredMillis;
    }

    /** The stage over the whole window; p50 and p99 are upper bounds (the largest interval value). */
    public StageInterval stage(Stage stage) {
        StageInterval s = stages.get(stage);
        if (s == null) {
            throw new IllegalArgumentException("stage " + stage + " is not timed");
        }
        return s;
    }

    /**
     * The median of the p99s of intervals in which the stage recorded anything (0 when none did). Robust against
     * one slow interval, which is what the degradation check wants.
     */
    public long medianP99Nanos(Stage stage) {
        long[] p99s = intervals.stream().map(s -> s.stage(stage)).filter(s -> s.count() > 0)
                .mapToLong(StageInterval::p99Nanos).sorted().toArray();
        if (p99s.length == 0) {
            return 0;
        }
        int mid = p99s.length / 2;
        return p99s.length % 2 == 1 ? p99s[mid] : (p99s[mid - 1] + p99s[mid]) / 2;
    }

    /** Intervals in which the stage recorded anything. */
    public int intervalsWith(Stage stage) {
        int n = 0;
        for (IntervalSnapshot s : intervals) {
            if (s.stage(stage).count() > 0) {
                n++;
            }
        }
        return n;
    }

    /** Forward passes, captures, reconstructions and retrievals: the operations errors are counted against. */
    public long operations() {
        return stage(Stage.FORWARD).count() + stage(Stage.CAPTURE).count() + stage(Stage.RECONSTRUCTION).count()
                + stage(Stage.RETRIEVAL).count();
    }

    /** Records of every timed stage. */
    public long timedRecords() {
        long n = 0;
        for (StageInterval s : stages.values()) {
            n += s.count();
        }
        return n;
    }

    public long statesCaptured() {
        return statesCaptured;
    }

    public long statesStored() {
        return statesStored;
    }

    public long evictions() {
        return evictions;
    }

    public long cacheHits() {
        return cacheHits;
    }

    public long errors() {
        return errors;
    }

    /** The newest interval's buffer reading, or NaN without a gauge or without intervals. */
    public double latestBufferUtilization() {
        return intervals.isEmpty() ? Double.NaN : intervals.get(intervals.size() - 1).bufferUtilization();
    }

    /** The newest interval's resident buffer entries (0 without a gauge or intervals). */
    public long latestBufferEntries() {
        return intervals.isEmpty() ? 0 : intervals.get(intervals.size() - 1).bufferEntries();
    }
}
