package dev.cmr.monitor.spi;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One hook's statistics since it was registered. Overheads are host nanoseconds spent inside the hook (including
 * time of hooks that threw).
 *
 * @param name           the hook's registered name
 * @param kind           where it runs (the runtime's hook kind, e.g. {@code LAYER_EXIT})
 * @param priority       its priority within its kind (lower runs first)
 * @param calls          calls so far
 * @param totalNanos     time spent in those calls
 * @param p99Nanos       99th percentile of one call's time (HdrHistogram, 2 significant digits); 0 with no calls
 * @param maxNanos       the longest call
 * @param errors         calls that threw
 * @param layersSeen     layers of the events it was called with (empty for pass-level kinds); copied
 * @param layersModified layers whose hidden states it wrote to; copied
 */
public record HookReading(String name, String kind, int priority, long calls, long totalNanos, long p99Nanos,
                          long maxNanos, long errors, SortedSet<Integer> layersSeen,
                          SortedSet<Integer> layersModified) {
    public HookReading {
        if (name == null || kind == null) {
            throw new IllegalArgumentException("name and kind are required");
        }
        if (calls < 0 || totalNanos < 0 || p99Nanos < 0 || maxNanos < 0 || errors < 0 || errors > calls) {
            throw new IllegalArgumentException("hook " + name + ": counts and times must be >= 0 and errors <= calls,"
                    + " was calls=" + calls + " errors=" + errors);
        }
        layersSeen = Collections.unmodifiableSortedSet(new TreeSet<>(layersSeen));
        layersModified = Collections.unmodifiableSortedSet(new TreeSet<>(layersModified));
    }

    /** Mean time per call in nanoseconds; null before the first call. */
    public Double meanNanos() {
        return calls == 0 ? null : (double) totalNanos / calls;
    }
}
