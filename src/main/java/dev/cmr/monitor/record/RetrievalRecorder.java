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

    /**
     * Records as {@link #record} does for {@code endNanos - startNanos} and, while a profiled block is open on the
     * calling thread, the span itself (System.nanoTime nanoseconds).
     */
    public void recordSpan(int candidates, int returned, boolean cacheHit, long startNanos, long endNanos) {
        recording.retrievalSpan(slot, candidates, returned, cacheHit, startNanos, endNanos);
    }
}
