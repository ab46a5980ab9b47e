package dev.cmr.model.memory;

import java.util.Arrays;

/**
 * One captured hidden state held by a {@link LayeredMemoryBuffer}.
 *
 * <p><b>Immutable part.</b> {@link #id()}, {@link #layer()}, the state vector, {@link #relevance()} and
 * {@link #createdStep()} never change. The state is copied in on construction and {@link #state()} hands out copies,
 * so no caller can alter a stored memory.
 *
 * <p><b>Access info.</b> {@link #lastAccessStep()} and {@link #accessCount()} are kept by the owning buffer: they
 * change only through {@link LayeredMemoryBuffer#touch(MemoryEntry)}, which holds the buffer's lock, so updates are
 * never lost. Both fields are {@code volatile}, so any thread (e.g. a retriever or a monitor thread) reads a recent
 * value without locking. Both steps are values of the buffer's logical clock, which advances by one on every
 * insertion and every touch; an entry that was never touched has {@code lastAccessStep == createdStep} and
 * {@code accessCount == 0}.
 *
 * <p><b>Time.</b> Beside the logical steps, an entry carries host times ({@code System.nanoTime()} scale, read from
 * the owning buffer's clock): {@link #createdAtNanos()} and {@link #lastAccessAtNanos()}, set on insertion and on
 * every touch. They feed the diagnostics' entry ages and stale counts; they are meaningful only within one process
 * (a loaded buffer stamps its entries with the load time).
 *
 * <p><b>Identity.</b> Entries compare by identity (no {@code equals} override): two captures with equal contents
 * are still two memories.
 *
 * <p><b>Size estimate.</b> {@link #bytes()} = {@code 4 * dimension + }{@link #OVERHEAD_BYTES}: four bytes per float
 * of state plus a fixed overhead covering the entry object (header and fields, about 56 bytes with compressed
 * references), the float array header (16 bytes) and the buffer's per-entry index structures (about 56 bytes).
 */
public final class MemoryEntry {
    /** Fixed per-entry overhead, in bytes, added to the state's {@code 4 * dimension} bytes by {@link #bytes()}. */
    public static final long OVERHEAD_BYTES = 128;

    private final long id;
    private final int layer;
    private final float[] state;
    private final float relevance;
    private final long createdStep;
    private final long createdAtNanos;
    private volatile long lastAccessStep;
    private volatile long accessCount;
    private volatile long lastAccessAtNanos;

    /**
     * A fresh, never accessed entry. Buffers create entries themselves; this constructor is public for callers that
     * need standalone entries (e.g. to reconstruct from memories kept elsewhere).
     *
     * Its host times are the current {@code System.nanoTime()}.
     *
     * @param state copied; must be non-null and non-empty
     */
    public MemoryEntry(long id, int layer, float[] state, float relevance, long createdStep) {
        this(id, layer, state, relevance, createdStep, createdStep, 0, System.nanoTime());
    }

    MemoryEntry(long id, int layer, float[] state, float relevance, long createdStep, long lastAccessStep,
                long accessCount, long createdAtNanos) {
        if (state == null || state.length == 0) {
            throw new IllegalArgumentException("state must be a non-empty vector");
        }
        this.id = id;
        this.layer = layer;
        this.state = state.clone();
        this.relevance = relevance;
        this.createdStep = createdStep;
        this.lastAccessStep = lastAccessStep;
        this.accessCount = accessCount;
        this.createdAtNanos = createdAtNanos;
        this.lastAccessAtNanos = createdAtNanos;
    }

    public long id() {
        return id;
    }

    /** The layer whose hidden state this is. */
    public int layer() {
        return layer;
    }

    /** A copy of the stored state. */
    public float[] state() {
        return state.clone();
    }

    /** Component {@code i} of the stored state. */
    public float stateAt(int i) {
        return state[i];
    }

    /** Length of the state vector (the model's hidden size). */
    public int dimension() {
        return state.length;
    }

    public float relevance() {
        return relevance;
    }

    /** Value of the buffer's logical clock when the entry was inserted. */
    public long createdStep() {
        return createdStep;
    }

    /** Value of the buffer's logical clock at the last touch, or {@link #createdStep()} if never touched. */
    public long lastAccessStep() {
        return lastAccessStep;
    }

    /** Host time of insertion, from the owning buffer's clock (nanoseconds, {@code System.nanoTime()} scale). */
    public long createdAtNanos() {
        return createdAtNanos;
    }

    /** Host time of the last touch, or {@link #createdAtNanos()} if never touched. */
    public long lastAccessAtNanos() {
        return lastAccessAtNanos;
    }

    /** Number of touches (retrievals) so far. */
    public long accessCount() {
        return accessCount;
    }

    /** Estimated bytes held: {@code 4 * dimension() + OVERHEAD_BYTES}. */
    public long bytes() {
        return bytesFor(state.length);
    }

    static long bytesFor(int dimension) {
        return 4L * dimension + OVERHEAD_BYTES;
    }

    /** The stored array itself, for read-only use inside this package. */
    float[] stateRef() {
        return state;
    }

    /** Called by the owning buffer with its lock held. */
    void recordAccess(long step, long atNanos) {
        lastAccessStep = step;
        lastAccessAtNanos = atNanos;
        accessCount = accessCount + 1;
    }

    @Override
    public String toString() {
        return "MemoryEntry[id=" + id + ", layer=" + layer + ", dimension=" + state.length + ", relevance="
                + relevance + ", createdStep=" + createdStep + ", lastAccessStep=" + lastAccessStep
                + ", accessCount=" + accessCount + ", state=" + (state.length <= 8 ? Arrays.toString(state) : "...")
                + "]";
    }
}
