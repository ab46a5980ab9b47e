package dev.cmr.monitor.record;

/** A retrieval recorder bound to one layer. Thread-safe, never throws. */
public final class RetrievalRecorder {
    private final Recording recording;
    private final int slot;

    RetrievalRecorder(Recording recording, int slot) {
        this.recording = recording;
        this.slot = slot;
    }

    public void record(int candidates, int returned, boolean cacheHit, long retrievalNanos) {
        recording.retrieval(slot, candidates, returned, cacheHit, retrievalNanos);
    }
}
