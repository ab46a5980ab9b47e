package dev.cmr.monitor.engine;

import dev.cmr.monitor.TrackedStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Per-name timing for {@code PerformanceScope}s: a bounded registry (at most {@link #MAX_NAMES} names; later
 * names are counted under {@code "other"}, so names built from ids cannot grow it without limit).
 *
 * <p>Not the per-layer record path: a scope is a user-level block (a request, a generation), so it may use
 * HdrHistogram's {@link Recorder}, whose record is an atomic add per value and never waits on a reader. Readers
 * swap out the interval histogram and add it into a cumulative one, under the name's own lock.
 */
public final class TrackedOperations {
    public static final int MAX_NAMES = 64;
    public static final String OTHER = "other";

    private static final class Timer {
        final Recorder recorder = new Recorder(2);
        final LongAdder failures = new LongAdder();
        final Histogram cumulative = new Histogram(2);
        Histogram recycled;

        synchronized TrackedStats read(String name) {
            recycled = recorder.getIntervalHistogram(recycled);
            cumulative.add(recycled);
            return new TrackedStats(name, cumulative.getTotalCount(), failures.sum(),
                    Math.round(cumulative.getMean() * cumulative.getTotalCount()),
                    cumulative.getTotalCount() == 0 ? 0 : cumulative.getValueAtPercentile(50.0),
                    cumulative.getTotalCount() == 0 ? 0 : cumulative.getValueAtPercentile(99.0),
                    cumulative.getMaxValue());
        }
    }

    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    /** Null or blank names are tracked as {@code unknown}. */
    public static String normalize(String name) {
        return name == null || name.isBlank() ? "unknown" : name;
    }

    /** The name a scope's numbers end up under: its own, or {@code other} once the registry is full. */
    public String resolve(String name) {
        String n = normalize(name);
        return timers.containsKey(n) || timers.size() < MAX_NAMES ? n : OTHER;
    }

    public void record(String resolvedName, long nanos, boolean failed) {
        Timer t = timers.computeIfAbsent(resolvedName, k -> new Timer());
        t.recorder.recordValue(Math.max(0, nanos));
        if (failed) {
            t.failures.increment();
        }
    }

    /** Every name tracked since the last reset, sorted. */
    public Map<String, TrackedStats> snapshot() {
        Map<String, TrackedStats> out = new TreeMap<>();
        timers.forEach((name, timer) -> out.put(name, timer.read(name)));
        return out;
    }

    public void reset() {
        timers.clear();
    }
}
