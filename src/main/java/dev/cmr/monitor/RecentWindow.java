package dev.cmr.monitor;

import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.StageInterval;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's latency over the newest closed intervals of the time series (at most {@code intervals} of them,
 * spanning {@code windowMillis}). {@code p99UpperNanos} is the largest interval p99: an upper bound of the window's.
 */
public record RecentWindow(int intervals, long windowMillis, long count, double meanNanos, long p99UpperNanos,
                           long maxNanos) {
    static final RecentWindow EMPTY = new RecentWindow(0, 0, 0, 0.0, 0, 0);

    static RecentWindow of(Stage stage, List<IntervalSnapshot> recent) {
        if (recent.isEmpty()) {
            return EMPTY;
        }
        StageInterval all = StageInterval.EMPTY;
        for (IntervalSnapshot interval : recent) {
            all = all.merge(interval.stage(stage));
        }
        long window = recent.get(recent.size() - 1).endEpochMillis() - recent.get(0).startEpochMillis();
        return new RecentWindow(recent.size(), window, all.count(), all.meanNanos(), all.p99Nanos(), all.maxNanos());
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("intervals", intervals);
        m.put("window_seconds", windowMillis / 1e3);
        m.put("count", count);
        m.put("avg", meanNanos / 1e9);
        m.put("p99_upper_bound", p99UpperNanos / 1e9);
        m.put("max", maxNanos / 1e9);
        return m;
    }
}
