package dev.cmr.monitor.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One thread's recording state: a counter array laid out by {@link SlotLayout} and, per timed slot, counts in
 * {@link HdrLayout}. Created on the owning thread at its first record and registered with its {@link Recording}.
 *
 * <p>Concurrency contract:
 * <ol>
 *   <li>Exactly one writer: the owner thread. It never uses a lock or an atomic read-modify-write; it reads its own
 *       values plainly and stores each new value with an opaque store (no tearing; a plain store on x86), except
 *       COUNT, which it stores last with a release store ({@code setRelease}) that publishes the others.</li>
 *   <li>Any number of readers, which read with acquire loads. Within a slot the writer stores the bucket, the sum,
 *       the maximum and the stage fields before it stores COUNT, so a reader that loads COUNT first sees at least
 *       every record that COUNT includes. Values only grow between resets, so a concurrent read sees each in-flight
 *       record either in full or partly (never an older value after a newer one: acquire loads are coherent).</li>
 *   <li>Reset is generational. {@link Recording#reset()} bumps the generation; the writer notices it at its next
 *       record into a slot, zeroes that slot and publishes the new generation with a release store after the zeroing.
 *       Readers ignore a slot whose generation is stale, so they never see a half-cleared slot.</li>
 *   <li>Bucket arrays are allocated by the writer at its first record into a timed slot, sized for durations up
 *       to 16.8 ms, and grown once to the full range by the first longer duration (the only allocations a thread
 *       ever makes on the record path, at most twice per slot); each new array is published with a release
 *       store after the old counts were copied into it.</li>
 * </ol>
 * The owner is kept so the reader can fold a dead thread's counts away (thread termination happens-before
 * {@code isAlive()} returning false, so everything the thread wrote is then visible).
 */
public final class ThreadRecorder {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle BUCKET_ARRAYS = MethodHandles.arrayElementVarHandle(long[][].class);

    /**
     * Unused longs at both ends of the counter array. This object's own fields (read by other threads looking up
     * their recorder) are allocated right before the array: without the padding they would share a cache line with
     * the first slots this thread keeps writing, and every lookup by another thread would miss.
     */
    private static final int PAD = 16;

    private final Thread owner;
    private final long ownerId;
    private final SlotLayout layout;
    private final long[] counters;
    private final long[][] buckets;
    private final int[] slotGeneration;

    ThreadRecorder(Thread owner, SlotLayout layout, int generation) {
        this.owner = owner;
        this.ownerId = owner.getId();
        this.layout = layout;
        this.counters = new long[PAD + layout.slotCount() * SlotLayout.WIDTH + PAD];
        this.buckets = new long[layout.slotCount()][];
        this.slotGeneration = new int[layout.slotCount()];
        Arrays.fill(slotGeneration, generation);
    }

    // ---- writer side: called only by the owner thread ----

    /**
     * Makes {@code slot} current for {@code generation}, zeroing it after a reset; returns the slot's base index in
     * the counter array, which the other writer methods take.
     */
    int open(int slot, int generation) {
        if (slotGeneration[slot] != generation) {
            clear(slot, generation);
        }
        return PAD + slot * SlotLayout.WIDTH;
    }

    private void clear(int slot, int generation) {
        int base = PAD + slot * SlotLayout.WIDTH;
        for (int i = 0; i < SlotLayout.WIDTH; i++) {
            LONGS.setRelease(counters, base + i, 0L);
        }
        long[] b = buckets[slot];
        if (b != null) {
            for (int i = 0; i < b.length; i++) {
                LONGS.setRelease(b, i, 0L);
            }
        }
        INTS.setRelease(slotGeneration, slot, generation);
    }

    /** Counts one duration into the slot's histogram; the caller stores COUNT afterwards. */
    void countDuration(int slot, int base, long nanos) {
        long[] b = buckets[slot];
        int i = HdrLayout.index(nanos);
        if (b == null || i >= b.length) {
            b = grow(slot, b, i);
        }
        LONGS.setOpaque(b, i, b[i] + 1);
        long[] c = counters;
        long sum = c[base + SlotLayout.SUM] + nanos;
        // Saturate instead of wrapping negative: only absurd durations (centuries in total) get here.
        LONGS.setOpaque(c, base + SlotLayout.SUM, sum < 0 ? Long.MAX_VALUE : sum);
        if (nanos > c[base + SlotLayout.MAX]) {
            LONGS.setOpaque(c, base + SlotLayout.MAX, nanos);
        }
    }

    /**
     * Allocates the slot's counts (or grows them to the full range), copies what was counted so far and publishes
     * the new array. A reader still holding the old array sees counts frozen at the copy: never more than the new.
     */
    private long[] grow(int slot, long[] old, int neededIndex) {
        long[] b = new long[old == null && neededIndex < HdrLayout.INITIAL_LENGTH
                ? HdrLayout.INITIAL_LENGTH : HdrLayout.LENGTH];
        if (old != null) {
            System.arraycopy(old, 0, b, 0, old.length);
        }
        BUCKET_ARRAYS.setRelease(buckets, slot, b);
        return b;
    }

    void add(int index, long delta) {
        LONGS.setOpaque(counters, index, counters[index] + delta);
    }

    /** Publishes one more event in the slot whose base is {@code base}; always the last store of a record. */
    void commit(int base) {
        LONGS.setRelease(counters, base + SlotLayout.COUNT, counters[base + SlotLayout.COUNT] + 1);
    }

    // ---- reader side: any thread ----

    public Thread owner() {
        return owner;
    }

    long ownerId() {
        return ownerId;
    }

    public SlotLayout layout() {
        return layout;
    }

    /** Generation the slot was last zeroed for; compare it with {@link Recording#generation()} before reading. */
    public int generationOf(int slot) {
        return (int) INTS.getAcquire(slotGeneration, slot);
    }

    /** A counter, by layout index ({@code slot * WIDTH + field}). */
    public long counter(int index) {
        return (long) LONGS.getAcquire(counters, PAD + index);
    }

    /** The slot's histogram counts, or null if the thread never timed anything there. Read elements with {@link #bucket}. */
    public long[] bucketsOf(int slot) {
        return (long[]) BUCKET_ARRAYS.getAcquire(buckets, slot);
    }

    public static long bucket(long[] counts, int index) {
        return (long) LONGS.getAcquire(counts, index);
    }
}
