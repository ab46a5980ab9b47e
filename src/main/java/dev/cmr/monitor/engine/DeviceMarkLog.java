package dev.cmr.monitor.engine;

import dev.cmr.monitor.device.DeviceMarkBatch;

/**
 * The resolved device marks of a profiling session, kept until the session's results are read: per mark its tag,
 * device time and queued time (System.nanoTime nanoseconds, as the timeline mapped them) and the clock-mapping error
 * bound of the batch it came in.
 *
 * <p>Bounded: at most {@code capacity} marks (32 bytes each; the arrays grow by doubling up to it, so a short
 * session holds little). When full, the <em>oldest</em> mark is overwritten and counted in {@link #dropped()}: the
 * session keeps the newest passes too ({@link ProfileSessions} drops its oldest passes first), so the oldest marks
 * are the ones most likely to belong to passes that are gone already, and a serving process wants recent behaviour.
 *
 * <p>Not thread-safe: {@link ProfileSessions} guards it with its lock.
 */
final class DeviceMarkLog {
    private static final int INITIAL = 1024;

    private final int capacity;
    private long[] tags = new long[0];
    private long[] deviceNanos = new long[0];
    private long[] queuedNanos = new long[0];
    private long[] errorBoundNanos = new long[0];
    private int head; // index of the oldest mark
    private int size;
    private long dropped;

    /** @throws IllegalArgumentException if {@code capacity < 1} */
    DeviceMarkLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Copies mark {@code i} of {@code batch}. */
    void add(DeviceMarkBatch batch, int i) {
        if (size == tags.length && size < capacity) {
            grow();
        }
        int slot;
        if (size == capacity) {
            slot = head;
            head = (head + 1) % capacity;
            dropped++;
        } else {
            slot = (head + size) % tags.length;
            size++;
        }
        tags[slot] = batch.tag(i);
        deviceNanos[slot] = batch.deviceNanos(i);
        queuedNanos[slot] = batch.queuedNanos(i);
        errorBoundNanos[slot] = batch.errorBoundNanos();
    }

    /** Called with each mark, oldest first. */
    interface Visitor {
        void mark(long tag, long deviceNanos, long queuedNanos, long errorBoundNanos);
    }

    void forEach(Visitor visitor) {
        for (int k = 0; k < size; k++) {
            int i = (head + k) % tags.length;
            visitor.mark(tags[i], deviceNanos[i], queuedNanos[i], errorBoundNanos[i]);
        }
    }

    int size() {
        return size;
    }

    /** Marks overwritten because the log was full, since the last {@link #clear()}. */
    long dropped() {
        return dropped;
    }

    /** A copy of the marks kept now, oldest first, for reading outside the owner's lock. */
    DeviceMarkLog snapshot() {
        DeviceMarkLog copy = new DeviceMarkLog(Math.max(1, size));
        copy.tags = copy(tags, size);
        copy.deviceNanos = copy(deviceNanos, size);
        copy.queuedNanos = copy(queuedNanos, size);
        copy.errorBoundNanos = copy(errorBoundNanos, size);
        copy.size = size;
        copy.dropped = dropped;
        return copy;
    }

    /** Forgets every mark and the dropped count, and gives the arrays back. */
    void clear() {
        tags = new long[0];
        deviceNanos = new long[0];
        queuedNanos = new long[0];
        errorBoundNanos = new long[0];
        head = 0;
        size = 0;
        dropped = 0;
    }

    private void grow() {
        int length = (int) Math.min(capacity, Math.max(INITIAL, 2L * tags.length));
        tags = copy(tags, length);
        deviceNanos = copy(deviceNanos, length);
        queuedNanos = copy(queuedNanos, length);
        errorBoundNanos = copy(errorBoundNanos, length);
        head = 0; // copy() laid the marks out oldest first
    }

    private long[] copy(long[] from, int length) {
        long[] to = new long[length];
        for (int k = 0; k < size; k++) {
            to[k] = from[(head + k) % from.length];
        }
        return to;
    }
}
