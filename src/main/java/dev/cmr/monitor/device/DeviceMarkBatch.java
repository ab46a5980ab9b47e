package dev.cmr.monitor.device;

/**
 * A reusable batch of resolved device marks, filled by {@link DeviceTimeline#drain(DeviceMarkBatch)}: parallel
 * arrays so that draining allocates nothing per mark. Timestamps are on the {@link System#nanoTime()} clock;
 * {@code errorBoundNanos} bounds the error of mapping the device clock onto it for this batch.
 * Not thread-safe: one batch per draining thread.
 */
public final class DeviceMarkBatch {
    final long[] tags;
    /** When the device reached the mark (all work enqueued before it had completed). */
    final long[] deviceNanos;
    /** When the host enqueued the mark (the queue's QUEUED time), mapped the same way. */
    final long[] queuedNanos;
    int size;
    long errorBoundNanos;

    public DeviceMarkBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        tags = new long[capacity];
        deviceNanos = new long[capacity];
        queuedNanos = new long[capacity];
    }

    public int capacity() {
        return tags.length;
    }

    public int size() {
        return size;
    }

    public long tag(int i) {
        return tags[check(i)];
    }

    public long deviceNanos(int i) {
        return deviceNanos[check(i)];
    }

    public long queuedNanos(int i) {
        return queuedNanos[check(i)];
    }

    public long errorBoundNanos() {
        return errorBoundNanos;
    }

    /** For implementations: clears the batch before a drain. */
    public void clear() {
        size = 0;
        errorBoundNanos = 0;
    }

    /** For implementations: appends one mark; returns false when the batch is full. */
    public boolean add(long tag, long deviceNanos, long queuedNanos) {
        if (size == tags.length) {
            return false;
        }
        this.tags[size] = tag;
        this.deviceNanos[size] = deviceNanos;
        this.queuedNanos[size] = queuedNanos;
        size++;
        return true;
    }

    /** For implementations: the clock-mapping error bound of this batch. */
    public void errorBoundNanos(long bound) {
        this.errorBoundNanos = bound;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("mark " + i + " of " + size);
        }
        return i;
    }
}
