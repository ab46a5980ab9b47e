package dev.cmr.monitor.resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent polls of a {@link ResourcePoller}, so that a profiled window can be given the resource curves that
 * ran beside it. A ring of the last {@code capacity} polls (each poll is the immutable map of samples the poller
 * already builds, so keeping one costs no copy); older polls are overwritten.
 *
 * <p>One writer (the sampler thread, one poll at a time) and any number of readers, none of which waits for the
 * other: the writer stores a slot, then publishes the count with a volatile write. A reader that races a wrap-around
 * may read a slot that was just overwritten with a newer poll; it keeps only polls inside the asked window (by the
 * samples' own timestamps) and drops duplicates, so such a race can only lose an old poll, never misplace one.
 */
final class ResourceTrail {
    private final AtomicReferenceArray<Map<String, ResourceSample>> polls;
    private volatile long written;

    ResourceTrail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        polls = new AtomicReferenceArray<>(capacity);
    }

    /** Sampler thread only. */
    void add(Map<String, ResourceSample> poll) {
        long n = written;
        polls.set((int) (n % polls.length()), poll);
        written = n + 1;
    }

    /**
     * Every gauge's values from the polls in [fromNanos, toNanos], plus the last poll before {@code fromNanos} and the
     * first after {@code toNanos} when the trail still holds them, so that a window shorter than the sampling
     * interval still has the values around it. Keyed {@code <source>.<gauge>}, sorted by name; each value is a
     * {@code [timestamp nanos, value]} pair, in time order.
     */
    Map<String, List<double[]>> between(long fromNanos, long toNanos) {
        List<ResourceSample> samples = new ArrayList<>();
        long n = written;
        long oldest = Math.max(0, n - polls.length());
        for (long i = oldest; i < n; i++) {
            Map<String, ResourceSample> poll = polls.get((int) (i % polls.length()));
            if (poll != null) {
                samples.addAll(poll.values());
            }
        }
        samples.sort(Comparator.comparingLong(ResourceSample::timestampNanos));
        long before = Long.MIN_VALUE;
        long after = Long.MAX_VALUE;
        for (ResourceSample s : samples) {
            long t = s.timestampNanos();
            if (t < fromNanos) {
                before = Math.max(before, t);
            } else if (t > toNanos) {
                after = Math.min(after, t);
            }
        }
        Map<String, List<double[]>> out = new TreeMap<>();
        Map<String, Long> lastTime = new TreeMap<>();
        for (ResourceSample s : samples) {
            long t = s.timestampNanos();
            if (t < before || t > after) {
                continue;
            }
            for (Map.Entry<String, Double> gauge : s.values().entrySet()) {
                String key = s.source() + "." + gauge.getKey();
                Long previous = lastTime.put(key, t);
                if (previous != null && previous == t) {
                    continue; // the same poll read twice across a wrap-around
                }
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {t, gauge.getValue()});
            }
        }
        return out;
    }
}
