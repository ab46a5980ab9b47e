package dev.cmr.monitor.record;

/** An eviction recorder bound to one layer. Thread-safe, never throws. */
public final class EvictionRecorder {
    private final Recording recording;
    private final int slot;

    EvictionRecorder(Recording recording, int slot) {
        this.recording = recording;
        this.slot = slot;
    }

    public void record(int entriesEvicted) {
        recording.eviction(slot, entriesEvicted);
    }
}
