package dev.cmr.model;

/**
 * Keys and values of every position processed so far, per layer, for one sequence, held in the memory of the
 * {@link Gpt2Backend} that made it ({@link Gpt2Backend#newCache()}): host memory for the CPU backend, device buffers
 * for a device backend. This class keeps the sequence's length; subclasses own the storage. Not thread-safe.
 */
public abstract class KvCache implements AutoCloseable {
    private final int contextLength;
    private int length;

    protected KvCache(int contextLength) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("contextLength must be >= 1, was " + contextLength);
        }
        this.contextLength = contextLength;
    }

    /** Positions already processed. */
    public final int length() {
        return length;
    }

    public final int contextLength() {
        return contextLength;
    }

    /** For backends: {@code positions} more positions have been written. */
    protected final void advance(int positions) {
        length += positions;
    }

    /** Forgets all positions, keeping the memory. */
    public final void clear() {
        length = 0;
    }

    /** Frees the storage. */
    @Override
    public abstract void close();
}
