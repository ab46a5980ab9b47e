package dev.cmr.model.opencl;

import dev.cmr.model.Gpt2Config;
import dev.cmr.model.KvCache;

/**
 * {@link OpenClGpt2Model}'s cache in device buffers, one key and one value buffer per layer, each laid out
 * {@code [head][position][headSize]}. Never leaves the device.
 */
final class OpenClKvCache extends KvCache {
    final OpenClGpt2Model owner;
    final ClBuffer[] keys;
    final ClBuffer[] values;

    OpenClKvCache(OpenClGpt2Model owner, DeviceKernels cl, Gpt2Config config) {
        super(config.contextLength());
        this.owner = owner;
        this.keys = new ClBuffer[config.layers()];
        this.values = new ClBuffer[config.layers()];
        long size = (long) config.heads() * config.contextLength() * config.headSize();
        for (int l = 0; l < config.layers(); l++) {
            keys[l] = cl.buffer(size);
            values[l] = cl.buffer(size);
        }
    }

    void appended(int positions) {
        advance(positions);
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
    }
}
