package dev.cmr.monitor.record;

/** Records one layer's (transformer block's) host time; bound to that layer. Thread-safe, never throws. */
public final class LayerRecorder {
    private final Recording recording;
    private final int slot;

    LayerRecorder(Recording recording, int slot) {
        this.recording = recording;
        this.slot = slot;
    }

    public void record(long layerNanos) {
        recording.timed(slot, layerNanos);
    }
}
