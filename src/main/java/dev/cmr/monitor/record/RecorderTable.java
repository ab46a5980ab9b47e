package dev.cmr.monitor.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finds the calling thread's {@link ThreadRecorder}, creating and registering it on the thread's first record.
 *
 * <p>Why not a {@code ThreadLocal}: its lookup chases five dependent loads (thread, map, table, entry, value) and
 * measured about 3 ns of a 12 ns record. Here:
 * <ol>
 *   <li>The first {@value #INLINE} threads that record own fast paths: each one's {@code Thread} is kept in a
 *       field next to its recorder, so the check is a load and a compare per field, and the loads do not depend
 *       on each other. Inference servers usually record from a model thread and perhaps a few workers, which then
 *       never touch the table. (Measured: the table's probe, a thread-id hash and two dependent loads more, made
 *       a record about 2 ns dearer, 8.4 vs 6.4 ns.)</li>
 *   <li>Later threads probe an open-addressing table of (thread, recorder) pairs in one array, keyed by the mixed
 *       thread id and matched on the {@code Thread} itself (an id may be reused once its thread ended): the match
 *       needs no load from the recorder.</li>
 *   <li>Writes (registration, removal of dead threads) are rare and serialized by {@code synchronized}; they
 *       build a new array and publish it with a volatile store, so readers only ever see complete tables and never
 *       wait.</li>
 * </ol>
 * {@link Recording} extends this class, so that these fields live in the recording object itself: one dependent
 * load fewer per record than a separate table object (every load in the chain from the caller's monitor to the
 * thread's counters shows in a record that costs about 20 cycles).
 */
abstract class RecorderTable {
    private final SlotLayout layout;
    static final int INLINE = 4;

    // Each pair is written by a registering thread (under the lock) and cleared by remove(); read on every record
    // with plain loads. Only thread T ever sets an ownerN = T, and T reads its own writes in program order, so
    // ownerN == current thread implies recorderN is that thread's recorder. Any other thread sees some other value
    // and falls through, so a racy read is only ever slower, never wrong.
    private Thread owner0;
    private Thread owner1;
    private Thread owner2;
    private Thread owner3;
    private ThreadRecorder recorder0;
    private ThreadRecorder recorder1;
    private ThreadRecorder recorder2;
    private ThreadRecorder recorder3;
    // Pairs: [2i] the Thread, [2i + 1] its ThreadRecorder.
    private volatile Object[] table = new Object[16];
    private List<ThreadRecorder> all = List.of();

    RecorderTable(SlotLayout layout) {
        this.layout = layout;
    }

    /**
     * The calling thread's recorder; registers one (taking a lock, once per thread) on first use. Only the calling
     * thread registers itself, so no other registration can race with it for the same thread.
     */
    final ThreadRecorder current() {
        Thread thread = Thread.currentThread();
        if (owner0 == thread) {
            return recorder0;
        }
        if (owner1 == thread) {
            return recorder1;
        }
        if (owner2 == thread) {
            return recorder2;
        }
        if (owner3 == thread) {
            return recorder3;
        }
        return probe(thread);
    }

    private ThreadRecorder probe(Thread thread) {
        Object[] tab = table;
        int mask = tab.length - 2;
        for (int i = (mix(thread.getId()) << 1) & mask; ; i = (i + 2) & mask) {
            Object owner = tab[i];
            if (owner == thread) {
                return (ThreadRecorder) tab[i + 1];
            }
            if (owner == null) {
                return register(thread);
            }
        }
    }

    private synchronized ThreadRecorder register(Thread thread) {
        ThreadRecorder recorder = new ThreadRecorder(thread, layout);
        List<ThreadRecorder> next = new ArrayList<>(all);
        next.add(recorder);
        publish(next);
        int free = owner0 == null ? 0 : owner1 == null ? 1 : owner2 == null ? 2 : owner3 == null ? 3 : -1;
        setInline(free, thread, recorder);
        return recorder;
    }

    final synchronized void remove(ThreadRecorder recorder) {
        List<ThreadRecorder> next = new ArrayList<>(all);
        if (next.remove(recorder)) {
            publish(next);
            int held = recorder0 == recorder ? 0 : recorder1 == recorder ? 1 : recorder2 == recorder ? 2
                    : recorder3 == recorder ? 3 : -1;
            setInline(held, null, null);
        }
    }

    /**
     * Fills (or, with nulls, clears) inline pair {@code index}; -1 does nothing. Recorder first, owner second: not
     * needed for the registering thread (program order), but then no thread ever sees its own Thread next to
     * another thread's recorder either.
     */
    private void setInline(int index, Thread owner, ThreadRecorder recorder) {
        switch (index) {
            case 0 -> {
                recorder0 = recorder;
                owner0 = owner;
            }
            case 1 -> {
                recorder1 = recorder;
                owner1 = owner;
            }
            case 2 -> {
                recorder2 = recorder;
                owner2 = owner;
            }
            case 3 -> {
                recorder3 = recorder;
                owner3 = owner;
            }
            default -> {
                // every inline pair is taken (register) or the recorder was in the table only (remove)
            }
        }
    }

    /** Live recorders in registration order; an immutable snapshot. */
    final List<ThreadRecorder> all() {
        synchronized (this) {
            return all;
        }
    }

    private void publish(List<ThreadRecorder> recorders) {
        int pairs = 8;
        while (pairs < recorders.size() * 2) {
            pairs <<= 1;
        }
        Object[] next = new Object[pairs * 2];
        int mask = next.length - 2;
        for (ThreadRecorder r : recorders) {
            int i = (mix(r.ownerId()) << 1) & mask;
            while (next[i] != null) {
                i = (i + 2) & mask;
            }
            next[i] = r.owner();
            next[i + 1] = r;
        }
        all = Collections.unmodifiableList(recorders);
        table = next;
    }

    /** Spreads sequential thread ids over the table (Fibonacci hashing). */
    private static int mix(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 32);
    }
}
