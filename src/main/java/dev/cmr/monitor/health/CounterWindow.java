package dev.cmr.monitor.health;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Turns cumulative counters into differences over a sliding window: one timestamped sample per evaluation; the
 * difference is taken against the newest sample at least {@code windowMillis} old (or the oldest kept, if none is
 * that old). Keeps at most {@link #MAX_SAMPLES}; samples older than the window's base are dropped.
 *
 * <p>Not thread-safe: the health tracker calls it under its lock.
 */
final class CounterWindow {
    static final int MAX_SAMPLES = 4096;

    private record Sample(long epochMillis, long[] values) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final int width;

    CounterWindow(int width, long startEpochMillis) {
        this.width = width;
        samples.addLast(new Sample(startEpochMillis, new long[width]));
    }

    /** Difference of each counter against the window's base, and the span covered as element {@code width}. */
    long[] advance(long nowEpochMillis, long windowMillis, long... values) {
        if (values.length != width) {
            throw new IllegalArgumentException("expected " + width + " counters, got " + values.length);
        }
        samples.addLast(new Sample(nowEpochMillis, values.clone()));
        // Drop samples while the next one is still at least a window old: it is a better (later) base.
        while (samples.size() > 2) {
            Iterator<Sample> it = samples.iterator();
            it.next();
            Sample second = it.next();
            if (nowEpochMillis - second.epochMillis() >= windowMillis || samples.size() > MAX_SAMPLES) {
                samples.removeFirst();
            } else {
                break;
            }
        }
        Sample base = samples.getFirst();
        long[] out = new long[width + 1];
        for (int i = 0; i < width; i++) {
            // A source that restarted counts from zero again: treat the drop as no activity, not negative activity.
            out[i] = Math.max(0, values[i] - base.values()[i]);
        }
        out[width] = nowEpochMillis - base.epochMillis();
        return out;
    }

    void reset(long startEpochMillis) {
        samples.clear();
        samples.addLast(new Sample(startEpochMillis, new long[width]));
    }
}
