package dev.cmr.model;

import dev.cmr.model.cpu.NativeArray;

/**
 * {@link Gpt2Model}'s cache in native host memory, laid out {@code [head][position][headSize]} per layer so that
 * each head's keys form one contiguous matrix for BLAS.
 */
final class HostKvCache extends KvCache {
    final NativeArray[] keys;
    final NativeArray[] values;

    HostKvCache(Gpt2Config config) {
        super(config.contextLength());
        this.keys = new NativeArray[config.layers()];
        this.values = new NativeArray[config.layers()];
        int size = config.heads() * config.contextLength() * config.headSize();
        for (int l = 0; l < config.layers(); l++) {
            keys[l] = new NativeArray(size);
            values[l] = new NativeArray(size);
        }
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
    }
}
