package dev.cmr.monitor;

import dev.cmr.monitor.health.IntervalWindow;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.StageInterval;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rolling view of the last {@code live_window} seconds, built from the closed intervals of the time series (so it
 * lags by at most one {@code metric_collection_interval}; the interval still open is not in it). Immutable.
 *
 * <p>Rates divide by the time the included intervals cover ({@code windowSeconds}); they are null when no interval
 * is included, never a made-up zero. Per-stage p50 and p99 are upper bounds: the largest value among the intervals
 * (exact when the window holds one interval), because intervals keep no histogram.
 *
 * @param errorRate errors per operation (forward passes, captures, reconstructions, retrievals), capped at 1; 1.0
 *                  when there were errors but no operation; null when there were neither
 */
public record LiveStats(long timestampEpochMillis, double windowSeconds, int intervals, Map<Stage, StageRate> stages,
                        long forwards, Double forwardsPerSecond, long records, Double recordsPerSecond, long errors,
                        Double errorsPerSecond, Double errorRate) {

    /** One stage over the window; nanoseconds, except {@code perSecond}. */
    public record StageRate(long count, Double perSecond, double meanNanos, long p50UpperNanos, long p99UpperNanos,
                            long maxNanos) {
    }

    public LiveStats {
        stages = Collections.unmodifiableMap(new EnumMap<>(stages));
    }

    static LiveStats of(long nowEpochMillis, IntervalWindow window) {
        double seconds = window.coveredMillis() / 1e3;
        Map<Stage, StageRate> stages = new EnumMap<>(Stage.class);
        for (Stage stage : MonitorStats.TIMED) {
            StageInterval s = window.stage(stage);
            stages.put(stage, new StageRate(s.count(), perSecond(s.count(), seconds), s.meanNanos(), s.p50Nanos(),
                    s.p99Nanos(), s.maxNanos()));
        }
        long forwards = window.stage(Stage.FORWARD).count();
        long records = window.timedRecords();
        long operations = window.operations();
        long errors = window.errors();
        Double errorRate = null;
        if (operations > 0) {
            errorRate = Math.min(1.0, (double) errors / operations);
        } else if (errors > 0) {
            errorRate = 1.0;
        }
        return new LiveStats(nowEpochMillis, seconds, window.intervalCount(), stages, forwards,
                perSecond(forwards, seconds), records, perSecond(records, seconds), errors, perSecond(errors, seconds),
                errorRate);
    }

    private static Double perSecond(long count, double seconds) {
        return seconds <= 0 ? null : count / seconds;
    }

    public StageRate stage(Stage stage) {
        StageRate r = stages.get(stage);
        if (r == null) {
            throw new IllegalArgumentException("stage " + stage + " is not timed");
        }
        return r;
    }

    /** Snake_case keys, times in seconds. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", timestampEpochMillis / 1e3);
        m.put("window_seconds", windowSeconds);
        m.put("intervals", intervals);
        Map<String, Object> s = new LinkedHashMap<>();
        stages.forEach((stage, r) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("count", r.count());
            one.put("per_second", r.perSecond());
            one.put("avg", r.meanNanos() / 1e9);
            one.put("p50_upper_bound", r.p50UpperNanos() / 1e9);
            one.put("p99_upper_bound", r.p99UpperNanos() / 1e9);
            one.put("max", r.maxNanos() / 1e9);
            s.put(stage.key(), one);
        });
        m.put("stages", s);
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("forwards", forwards);
        throughput.put("forwards_per_second", forwardsPerSecond);
        throughput.put("records", records);
        throughput.put("records_per_second", recordsPerSecond);
        m.put("throughput", throughput);
        m.put("errors", errors);
        m.put("errors_per_second", errorsPerSecond);
        m.put("error_rate", errorRate);
        return m;
    }
}
