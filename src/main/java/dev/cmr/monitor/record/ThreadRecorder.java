package dev.cmr.monitor.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's recording state: a counter array laid out by {@link SlotLayout} and, per timed slot, counts in
 * {@link HdrLayout}. Created on the owning thread at its first record and registered with its {@link Recording}.
 *
 * <p>Concurrency contract:
 * <ol>
 *   <li>Exactly one writer: the owner thread. It never uses a lock or an atomic read-modify-write; it reads its own
 *       values with plain loads and stores each new value with an opaque store (no tearing; a plain store on
 *       x86), except the stores named release below.</li>
 *   <li>Any number of readers, which only ever load with acquire ({@code ...Acquire} methods). Each writer store
 *       pairs with one reader load:
 *       <ul>
 *         <li>COUNT is the slot's sequence: twice the records completed, odd while one is in flight. Each record
 *             ({@link #timed(int, long)} and its overloads, {@link #counted}) first stores the sequence plus one
 *             (opaque) followed by a release fence, then its bucket, SUM and stage fields, then the sequence plus
 *             two with a release store. A reader ({@link #addSlot}) loads the sequence with acquire, the other
 *             fields, an acquire fence, then the sequence again: equal and even, the fields are exactly those of
 *             the records the sequence counts (the seqlock read of Boehm's "Can Seqlocks Get Along With Programming
 *             Language Memory Models?"). The writer never waits or retries; only the reader does, a bounded number
 *             of times.</li>
 *         <li>SUM and the stage fields: opaque stores; loaded (opaque) between the two sequence loads, ordered by
 *             the fences.</li>
 *         <li>A bucket's count: opaque store; loaded by {@link #bucketAcquire} (and {@link #topIndexAcquire}),
 *             after the slot's COUNT (ordered by the closing release store of COUNT), so at least every record
 *             that COUNT includes is in the buckets.</li>
 *         <li>A slot's bucket array: published with a release store by {@code grow}, after the old counts were
 *             copied into it; loaded by {@link #bucketsAcquire}, so a reader that gets the new array sees the
 *             copied counts.</li>
 *         <li>A reject field: {@link #incrementRelease}; loaded by {@link #counterAcquire}. There is no COUNT in
 *             the reject slot, each field stands alone.</li>
 *       </ul>
 *       Values only ever grow (nothing is cleared: reset is the reader's business, see {@code Aggregator}), so a
 *       concurrent read sees each in-flight record either in full or partly, never an older value after a newer
 *       one (acquire loads are coherent).</li>
 *   <li>Bucket arrays are allocated by the writer at its first record into a timed slot, sized for durations up
 *       to 16.8 ms, and grown once to the full range by the first longer duration (the only allocations a thread
 *       ever makes on the record path, at most twice per slot).</li>
 *   <li>The profiled-block fields ({@code openSpans}, {@code spanBuffer}, the block depth) and the {@link SpanBuffer}
 *       belong to the owner alone: its blocks set them at open and close, its span records read them. Other threads
 *       never look at them, so they need no ordering. The buffer is allocated when a block opens, never on the
 *       record path.</li>
 * </ol>
 * The owner is kept so the reader can fold a dead thread's counts away (thread termination happens-before
 * {@code isAlive()} returning false, so everything the thread wrote is then visible).
 *
 * <p>Why each writer method loads the arrays into locals once: an opaque or release store is a compiler barrier
 * in C2, after which every field would be loaded again. Keeping the path short matters as much: the whole record
 * call must stay under C2's inlining limit (325 bytes of bytecode for a hot method), or it costs a call.
 */
public final class ThreadRecorder {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
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

    // Profiled blocks: owner thread only, plain loads and stores (no other thread reads or writes them). Only
    // openSpans is read per record, by the span forms: one load from this object, whose line the plain record
    // already loads (counters, buckets), and one branch. The buffer's own write position lives in the SpanBuffer,
    // so appending a span never writes this object; these fields change only at a block's open and outermost close.
    private SpanBuffer openSpans;   // non-null only while a block is open on the owner thread
    private SpanBuffer spanBuffer;  // allocated at the owner's first block, reused by the next ones
    private int openBlocks;

    /** Reads of a slot {@link #addSlot} tries before it falls back to the slot's last consistent read. */
    static final int READ_ATTEMPTS = 64;
    /** How long {@link #addSlot} waits, yielding, for an owner descheduled mid-record. */
    static final long READ_PATIENCE_NANOS = 50_000_000L;

    // Reader side: only the one reader at a time (the aggregator, under its lock) touches these. lastRead holds each
    // slot as addSlot last read it at a record boundary (allocated at the first read, off the record path).
    private long[] lastRead;
    private final long[] readScratch = new long[SlotLayout.WIDTH];

    ThreadRecorder(Thread owner, SlotLayout layout) {
        this.owner = owner;
        this.ownerId = owner.getId();
        this.layout = layout;
        this.counters = new long[PAD + layout.slotCount() * SlotLayout.WIDTH + PAD];
        this.buckets = new long[layout.slotCount()][];
    }

    // ---- writer side: called only by the owner thread ----

    /** One duration (layer, sync wait, device, forward). */
    void timed(int slot, long nanos) {
        long[] c = counters;
        int base = PAD + slot * SlotLayout.WIDTH;
        long sequence = begin(c, base);
        countDuration(slot, c, base, nanos);
        LONGS.setRelease(c, base + SlotLayout.COUNT, sequence + 2);
    }

    /**
     * One duration and stage fields 1 and 2, which the stages serving this call name ({@link SlotLayout}):
     * capture ({@code CAPTURE_STATES_CAPTURED}, {@code CAPTURE_STATES_STORED}), reconstruction without a quality
     * ({@code RECONSTRUCTION_MEMORIES_USED}, 0 into {@code RECONSTRUCTION_QUALITY_SUM_MILLIONTHS}), retrieval without
     * a cache hit ({@code RETRIEVAL_CANDIDATES}, {@code RETRIEVAL_RETURNED}).
     */
    void timed(int slot, long nanos, long field1, long field2) {
        long[] c = counters;
        int base = PAD + slot * SlotLayout.WIDTH;
        long sequence = begin(c, base);
        countDuration(slot, c, base, nanos);
        add(c, base + SlotLayout.STAGE_FIELD_1, field1);
        add(c, base + SlotLayout.STAGE_FIELD_2, field2);
        LONGS.setRelease(c, base + SlotLayout.COUNT, sequence + 2);
    }

    /**
     * One duration and stage fields 1, 2 and 3: reconstruction with a quality ({@code RECONSTRUCTION_MEMORIES_USED},
     * {@code RECONSTRUCTION_QUALITY_SUM_MILLIONTHS}, 1 into {@code RECONSTRUCTION_QUALITY_SAMPLES}), retrieval with a
     * cache hit ({@code RETRIEVAL_CANDIDATES}, {@code RETRIEVAL_RETURNED}, 1 into {@code RETRIEVAL_CACHE_HITS}).
     */
    void timed(int slot, long nanos, long field1, long field2, long field3) {
        long[] c = counters;
        int base = PAD + slot * SlotLayout.WIDTH;
        long sequence = begin(c, base);
        countDuration(slot, c, base, nanos);
        add(c, base + SlotLayout.STAGE_FIELD_1, field1);
        add(c, base + SlotLayout.STAGE_FIELD_2, field2);
        add(c, base + SlotLayout.STAGE_FIELD_3, field3);
        LONGS.setRelease(c, base + SlotLayout.COUNT, sequence + 2);
    }

    /**
     * One duration and stage fields 1 to 5: retrieval with a quality ({@code RETRIEVAL_CANDIDATES},
     * {@code RETRIEVAL_RETURNED}, 0 or 1 into {@code RETRIEVAL_CACHE_HITS}, {@code RETRIEVAL_QUALITY_SUM_MILLIONTHS},
     * 1 into {@code RETRIEVAL_QUALITY_SAMPLES}).
     */
    void timed(int slot, long nanos, long field1, long field2, long field3, long field4, long field5) {
        long[] c = counters;
        int base = PAD + slot * SlotLayout.WIDTH;
        long sequence = begin(c, base);
        countDuration(slot, c, base, nanos);
        add(c, base + SlotLayout.STAGE_FIELD_1, field1);
        add(c, base + SlotLayout.STAGE_FIELD_2, field2);
        add(c, base + SlotLayout.STAGE_FIELD_3, field3);
        add(c, base + SlotLayout.STAGE_FIELD_4, field4);
        add(c, base + SlotLayout.STAGE_FIELD_5, field5);
        LONGS.setRelease(c, base + SlotLayout.COUNT, sequence + 2);
    }

    /** One event without a duration: eviction (stage field 1 is {@code EVICTION_ENTRIES}) and COUNT. */
    void counted(int slot, long field1) {
        long[] c = counters;
        int base = PAD + slot * SlotLayout.WIDTH;
        long sequence = begin(c, base);
        add(c, base + SlotLayout.STAGE_FIELD_1, field1);
        LONGS.setRelease(c, base + SlotLayout.COUNT, sequence + 2);
    }

    /** Adds {@code value} to a stage field of the owner's array, with an opaque store. */
    private static void add(long[] c, int index, long value) {
        LONGS.setOpaque(c, index, c[index] + value);
    }

    /**
     * Marks a record in flight in the slot at {@code base}: stores its sequence plus one (odd), then a release fence,
     * so that a reader that sees any store after this one also sees the odd sequence. Returns the even sequence the
     * record started from; the caller ends the record with a release store of that plus two.
     */
    private static long begin(long[] c, int base) {
        long sequence = c[base + SlotLayout.COUNT];
        LONGS.setOpaque(c, base + SlotLayout.COUNT, sequence + 1);
        VarHandle.releaseFence();
        return sequence;
    }

    /**
     * Appends a span to the open block's buffer, if a block is open on this thread; the caller has already counted
     * its duration. Nothing else: no clock, no allocation (the buffer drops what does not fit).
     */
    void span(int slot, long startNanos, long endNanos) {
        SpanBuffer spans = openSpans;
        if (spans != null) {
            spans.add(slot, startNanos, endNanos);
        }
    }

    /**
     * A profiled block opens on the owner thread: activates its span buffer, allocating it at the first block (or
     * anew when no block is open and the wanted size or memory tracking differ from the kept buffer's) and reusing
     * it after. Nested blocks share the open buffer.
     */
    SpanBuffer openBlock(int maxSpans, boolean trackMemory) {
        SpanBuffer spans = spanBuffer;
        if (openBlocks == 0 && (spans == null || spans.capacity() != maxSpans
                || spans.tracksMemory() != trackMemory)) {
            spans = new SpanBuffer(maxSpans, trackMemory);
            spanBuffer = spans;
        }
        openBlocks++;
        openSpans = spans;
        return spans;
    }

    /** A profiled block closes on the owner thread; the outermost close clears the buffer and deactivates it. */
    void closeBlock() {
        if (openBlocks == 0) {
            return;
        }
        if (--openBlocks == 0) {
            openSpans = null;
            spanBuffer.clear();
        }
    }

    /**
     * Adds one to field {@code field} of {@code slot} with a release store (the reject slot counts one field per
     * reason, no COUNT).
     */
    void incrementRelease(int slot, int field) {
        long[] c = counters;
        int i = PAD + slot * SlotLayout.WIDTH + field;
        LONGS.setRelease(c, i, c[i] + 1);
    }

    /** Counts one duration into the slot's histogram and sum; the caller stores COUNT afterwards. */
    private void countDuration(int slot, long[] c, int base, long nanos) {
        long[] b = buckets[slot];
        int i = HdrLayout.index(nanos);
        if (b == null || i >= b.length) {
            b = grow(slot, b, i);
        }
        LONGS.setOpaque(b, i, b[i] + 1);
        long sum = c[base + SlotLayout.SUM] + nanos;
        // Saturate instead of wrapping negative: only absurd durations (centuries in total) get here.
        LONGS.setOpaque(c, base + SlotLayout.SUM, sum < 0 ? Long.MAX_VALUE : sum);
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

    /**
     * A counter by layout index ({@code slot * WIDTH + field}), with an acquire load: for the reject slot's fields,
     * and the owner reading its own SUM. Other readers read a slot whole through {@link #addSlot}; COUNT is read
     * through {@link #countAcquire} or {@link #addSlot}, which turn the sequence into events.
     */
    public long counterAcquire(int index) {
        return (long) LONGS.getAcquire(counters, PAD + index);
    }

    /** The slot's COUNT (events recorded), with an acquire load; a record in flight is not counted. */
    public long countAcquire(int slot) {
        return (long) LONGS.getAcquire(counters, PAD + slot * SlotLayout.WIDTH + SlotLayout.COUNT) >>> 1;
    }

    /**
     * Adds the slot's {@link SlotLayout#WIDTH} longs, COUNT as events, to {@code into[at, at + WIDTH)}, all read at
     * one record boundary: the sequence is loaded (acquire), then every other field (opaque), then an acquire
     * fence, then the sequence again; the read stands when both sequences are equal and even. It is tried
     * {@value #READ_ATTEMPTS} times spinning; a record takes nanoseconds, so an owner still mid-record after that was
     * descheduled between its stores, and the reader yields its CPU and tries again for up to
     * {@value #READ_PATIENCE_NANOS} ns, time for the owner to be scheduled and finish. Only a slot whose owner can
     * never finish (an {@code OutOfMemoryError} while growing its buckets) outlasts that: it is added as this method
     * last read it consistently, leaving out its latest records rather than hang the reader. The writer never waits
     * on the reader. One reader at a time (the aggregator, under its lock): the last consistent copy is the reader's
     * own state.
     */
    public void addSlot(int slot, long[] into, int at) {
        long[] c = counters;
        int base = PAD + slot * SlotLayout.WIDTH;
        long[] copy = lastRead;
        if (copy == null) {
            copy = new long[c.length];
            lastRead = copy;
        }
        long deadline = 0;
        for (int attempt = 0; !readAtABoundary(c, base, copy); attempt++) {
            if (attempt < READ_ATTEMPTS) {
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + READ_PATIENCE_NANOS;
            } else if (now - deadline > 0) {
                break;
            }
            Thread.yield();
        }
        for (int field = 0; field < SlotLayout.WIDTH; field++) {
            into[at + field] += copy[base + field];
        }
    }

    /**
     * One seqlock read of the slot at {@code base} into {@code copy}; false, with {@code copy} untouched, when a
     * record was in flight.
     */
    private boolean readAtABoundary(long[] c, int base, long[] copy) {
        long[] scratch = readScratch;
        long sequence = (long) LONGS.getAcquire(c, base + SlotLayout.COUNT);
        if ((sequence & 1) != 0) {
            return false;
        }
        for (int field = SlotLayout.SUM; field < SlotLayout.WIDTH; field++) {
            scratch[field] = (long) LONGS.getOpaque(c, base + field);
        }
        VarHandle.acquireFence();
        if ((long) LONGS.getOpaque(c, base + SlotLayout.COUNT) != sequence) {
            return false;
        }
        scratch[SlotLayout.COUNT] = sequence >>> 1;
        System.arraycopy(scratch, 0, copy, base, SlotLayout.WIDTH);
        return true;
    }

    /**
     * The slot's histogram counts, loaded with acquire, or null if the thread never timed anything there. Read its
     * elements with {@link #bucketAcquire}.
     */
    public long[] bucketsAcquire(int slot) {
        return (long[]) BUCKET_ARRAYS.getAcquire(buckets, slot);
    }

    /** One count of an array from {@link #bucketsAcquire}, with an acquire load. */
    public static long bucketAcquire(long[] counts, int index) {
        return (long) LONGS.getAcquire(counts, index);
    }

    /**
     * Index of the highest non-zero count in {@code counts} from {@code from} down to {@code downTo} (inclusive), or
     * -1 if all of those are zero; {@code from} must be below {@code counts.length}. Scanning the whole array finds
     * the bucket of the largest value the thread recorded there, at the cost of the buckets above it. Each count is
     * loaded with acquire ({@link #bucketAcquire}).
     */
    public static int topIndexAcquire(long[] counts, int from, int downTo) {
        for (int i = from; i >= downTo; i--) {
            if (bucketAcquire(counts, i) != 0) {
                return i;
            }
        }
        return -1;
    }
}
