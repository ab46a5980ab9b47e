package dev.cmr.monitor.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finds the calling thread's {@link ThreadRecorder}, creating and registering it on the thread's first record.
 *
 * <p>Why not a {@code ThreadLocal}: its lookup chases five dependent loads (thread, map, table, entry, value) and
 * measured about 3 ns of a 12 ns record. This table is an open-addressing array keyed by thread id:
 * <ol>
 *   <li>The first thread that records becomes the owner of a fast path: one plain load of {@code first} and one
 *       compare with the current thread. Inference servers usually run a model on one thread, which then never
 *       touches the table.</li>
 *   <li>Other threads probe the table: a volatile load of the array, then linear probing from the mixed thread id,
 *       matching on the {@code Thread} itself (an id may be reused once its thread ended).</li>
 *   <li>Writes (registration, removal of dead threads) are rare and serialized by {@code synchronized}; they
 *       build a new array and publish it with a volatile store, so readers only ever see complete tables and never
 *       wait. {@code first} is written once, by the registering thread, and cleared when its thread is retired.</li>
 * </ol>
 */
final class RecorderTable {
    private final SlotLayout layout;
    // Written once (by the first recording thread) and cleared by remove(); read on every record with a plain load.
    // A racing reader sees null or some recorder: ThreadRecorder's fields are final, so a recorder seen through a
    // race is fully constructed, and one that is not the caller's own fails the owner check and falls through to
    // the table. A stale value is therefore only ever slower, never wrong.
    private ThreadRecorder first;
    private volatile ThreadRecorder[] table = new ThreadRecorder[8];
    private List<ThreadRecorder> all = List.of();

    RecorderTable(SlotLayout layout) {
        this.layout = layout;
    }

    /**
     * The calling thread's recorder; registers one (taking a lock, once per thread) on first use. Only the calling
     * thread registers itself, so no other registration can race with it for the same thread.
     */
    ThreadRecorder current(int generation) {
        Thread thread = Thread.currentThread();
        ThreadRecorder f = first;
        if (f != null && f.owner() == thread) {
            return f;
        }
        long id = thread.getId();
        ThreadRecorder[] tab = table;
        int mask = tab.length - 1;
        for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
            ThreadRecorder r = tab[i];
            if (r == null) {
                return register(thread, generation);
            }
            if (r.owner() == thread) {
                return r;
            }
        }
    }

    private synchronized ThreadRecorder register(Thread thread, int generation) {
        ThreadRecorder recorder = new ThreadRecorder(thread, layout, generation);
        List<ThreadRecorder> next = new ArrayList<>(all);
        next.add(recorder);
        publish(next);
        if (first == null) {
            first = recorder;
        }
        return recorder;
    }

    synchronized void remove(ThreadRecorder recorder) {
        List<ThreadRecorder> next = new ArrayList<>(all);
        if (next.remove(recorder)) {
            publish(next);
            if (first == recorder) {
                first = null;
            }
        }
    }

    /** Live recorders in registration order; an immutable snapshot. */
    List<ThreadRecorder> all() {
        synchronized (this) {
            return all;
        }
    }

    private void publish(List<ThreadRecorder> recorders) {
        int capacity = 8;
        while (capacity < recorders.size() * 2) {
            capacity <<= 1;
        }
        ThreadRecorder[] next = new ThreadRecorder[capacity];
        int mask = capacity - 1;
        for (ThreadRecorder r : recorders) {
            int i = mix(r.ownerId()) & mask;
            while (next[i] != null) {
                i = (i + 1) & mask;
            }
            next[i] = r;
        }
        all = Collections.unmodifiableList(recorders);
        table = next;
    }

    /** Spreads sequential thread ids over the table (Fibonacci hashing). */
    private static int mix(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 32);
    }
}
