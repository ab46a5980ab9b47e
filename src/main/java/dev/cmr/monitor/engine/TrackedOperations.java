package dev.cmr.monitor.engine;

import dev.cmr.monitor.TrackedStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Per-name timing for {@code PerformanceScope}s: a bounded registry ({@link BoundedNames}: at most
 * {@link #MAX_NAMES} names plus {@code "other"}, under which later names are counted, whatever the number of threads
 * opening scopes at once; so names built from ids cannot grow it without limit). {@link #reset} swaps in an empty
 * registry; a scope that closes while a reset runs counts on one side of it or the other.
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

    private volatile BoundedNames<Timer> timers = newTimers();

    private static BoundedNames<Timer> newTimers() {
        return new BoundedNames<>(MAX_NAMES, OTHER, k -> new Timer());
    }

    /** Null or blank names are tracked as {@code unknown}. */
    public static String normalize(String name) {
        return name == null || name.isBlank() ? "unknown" : name;
    }

    /** The name a scope's numbers end up under: its own, or {@code other} once the registry is full. */
    public String resolve(String name) {
        return timers.admit(normalize(name));
    }

    public void record(String resolvedName, long nanos, boolean failed) {
        Timer t = timers.get(resolvedName);
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
        timers = newTimers();
    }
}
