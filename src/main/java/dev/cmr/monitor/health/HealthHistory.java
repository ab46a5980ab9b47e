package dev.cmr.monitor.health;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest health reports, at most {@code capacity} ({@code max_history_size}); the oldest is dropped first.
 * Threading: synchronized; the health task adds, readers copy.
 */
public final class HealthHistory {
    private final ArrayDeque<HealthReport> reports = new ArrayDeque<>();
    private final int capacity;

    public HealthHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized void add(HealthReport report) {
        reports.addLast(report);
        while (reports.size() > capacity) {
            reports.removeFirst();
        }
    }

    /** Oldest first. */
    public synchronized List<HealthReport> entries() {
        return new ArrayList<>(reports);
    }

    public synchronized int size() {
        return reports.size();
    }

    public int capacity() {
        return capacity;
    }

    public synchronized void clear() {
        reports.clear();
    }
}
