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
     * Records as {@link #record(int, int, boolean, long)} does, with the retrieval's quality: the mean similarity of
     * the returned memories to the query, in [0, 1] (for cosine similarity {@code c}, {@code (1 + c) / 2}); NaN when
     * unknown (nothing returned). Out of [0, 1] the record is rejected as {@code invalid_quality}.
     */
    public void record(int candidates, int returned, boolean cacheHit, long retrievalNanos, double quality) {
        recording.retrieval(slot, candidates, returned, cacheHit, retrievalNanos, quality);
    }

    /**
     * Records as {@link #record} does for {@code endNanos - startNanos} and, while a profiled block is open on the
     * calling thread, the span itself (System.nanoTime nanoseconds).
     */
    public void recordSpan(int candidates, int returned, boolean cacheHit, long startNanos, long endNanos) {
        recording.retrievalSpan(slot, candidates, returned, cacheHit, Double.NaN, startNanos, endNanos);
    }

    /** {@link #recordSpan(int, int, boolean, long, long)} with the retrieval's quality, as {@link #record} has it. */
    public void recordSpan(int candidates, int returned, boolean cacheHit, double quality, long startNanos,
                           long endNanos) {
        recording.retrievalSpan(slot, candidates, returned, cacheHit, quality, startNanos, endNanos);
    }
}
