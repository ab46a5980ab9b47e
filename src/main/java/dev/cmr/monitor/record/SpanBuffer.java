package dev.cmr.monitor.record;

/**
 * One thread's spans while a profiled block is open on it: preallocated parallel arrays, one entry per span, in the
 * order the spans were recorded (the order of their ends on that thread).
 *
 * <pre>
 * entry i   slots[i]            startNanos[i]       endNanos[i]         allocatedBytes[i] (only with memory tracking)
 *           int: the span's     long: System.       long: System.       long: the thread's allocation counter read
 *           slot (SlotLayout)   nanoTime at start   nanoTime at end     when the span was recorded, or -1 unreadable
 * </pre>
 * Per span 20 bytes, 28 with memory tracking, plus the four array headers: at {@code capacity} 16384, 320 KiB (448
 * KiB); at 1048576, 20 MiB (28 MiB).
 *
 * <p>Contract:
 * <ol>
 *   <li>Owner thread only. The owner's span records write it ({@link #add}), the owner's profiled blocks open, read
 *       and clear it; no other thread ever touches it, so every access is a plain load or store and nothing here
 *       needs an ordering.</li>
 *   <li>{@link #add} never allocates, locks, blocks or throws: when the arrays are full it drops the span and
 *       counts it ({@link #dropped()}); a full buffer is a return value, not an exception, and the heap never
 *       grows.</li>
 *   <li>Nested blocks share the buffer: each remembers {@link #size()} (and {@link #dropped()}) at its open and reads
 *       the entries from there; only the outermost close clears it ({@link ThreadRecorder}'s block depth).</li>
 * </ol>
 */
public final class SpanBuffer {
    private final int[] slots;
    private final long[] startNanos;
    private final long[] endNanos;
    private final long[] allocatedBytes; // null: memory not tracked
    private int size;
    private long dropped;

    SpanBuffer(int capacity, boolean trackMemory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("max_profile_spans must be >= 1, was " + capacity);
        }
        this.slots = new int[capacity];
        this.startNanos = new long[capacity];
        this.endNanos = new long[capacity];
        this.allocatedBytes = trackMemory ? new long[capacity] : null;
    }

    /**
     * Appends one span; drops and counts it when full. {@code slots.length} bounds the index for the three other
     * arrays too (same length), but C2 cannot prove that: each store keeps its own (predicted, never taken) range
     * check.
     */
    void add(int slot, long start, long end) {
        int n = size;
        int[] s = slots;
        if (n >= s.length) {
            dropped++;
            return;
        }
        s[n] = slot;
        startNanos[n] = start;
        endNanos[n] = end;
        long[] bytes = allocatedBytes;
        if (bytes != null) {
            bytes[n] = AllocatedBytes.currentThread();
        }
        size = n + 1;
    }

    /** Forgets every span and drop: the outermost block's close. */
    void clear() {
        size = 0;
        dropped = 0;
    }

    // ---- read by the owner thread's blocks ----

    public int capacity() {
        return slots.length;
    }

    /** Whether entries carry the thread's allocation counter ({@code profile_memory}). */
    public boolean tracksMemory() {
        return allocatedBytes != null;
    }

    /** Spans held. */
    public int size() {
        return size;
    }

    /** Spans dropped because the buffer was full, since the outermost block opened. */
    public long dropped() {
        return dropped;
    }

    public int slot(int index) {
        return slots[index];
    }

    public long startNanos(int index) {
        return startNanos[index];
    }

    public long endNanos(int index) {
        return endNanos[index];
    }

    /**
     * The owner thread's allocation counter ({@link AllocatedBytes#currentThread()}) when entry {@code index} was
     * recorded; -1 when memory is not tracked or the counter could not be read.
     */
    public long allocatedBytesAtEnd(int index) {
        return allocatedBytes == null ? -1 : allocatedBytes[index];
    }
}
