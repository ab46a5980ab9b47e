package dev.cmr.model;

import dev.cmr.model.cpu.NativeArray;

/**
 * Keys and values of every position processed so far, per layer, laid out {@code [head][position][headSize]} so
 * that each head's keys form one contiguous matrix for BLAS. Belongs to one sequence; not thread-safe.
 */
public final class KvCache implements AutoCloseable {
    final NativeArray[] keys;
    final NativeArray[] values;
    private final int contextLength;
    private int length;

    KvCache(Gpt2Config config) {
        this.contextLength = config.contextLength();
        this.keys = new NativeArray[config.layers()];
        this.values = new NativeArray[config.layers()];
        int size = config.heads() * config.contextLength() * config.headSize();
        for (int l = 0; l < config.layers(); l++) {
            keys[l] = new NativeArray(size);
            values[l] = new NativeArray(size);
        }
    }

    /** Positions already processed. */
    public int length() {
        return length;
    }

    public int contextLength() {
        return contextLength;
    }

    void advance(int positions) {
        length += positions;
    }

    /** Forgets all positions, keeping the memory. */
    public void clear() {
        length = 0;
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
    }
}
