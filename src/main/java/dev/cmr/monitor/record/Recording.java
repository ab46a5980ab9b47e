package dev.cmr.monitor.record;

import java.util.List;

/**
 * The record path: validates each event, then counts it into the calling thread's {@link ThreadRecorder}.
 *
 * <p>Guarantees:
 * <ol>
 *   <li>No method here throws, blocks or reads a clock, and none locks except a thread's very first record, which
 *       registers the thread's recorder under a lock. Invalid input is dropped and counted under a
 *       {@link RejectReason}, checked in this order: layer, duration, counts, consistency, quality.</li>
 *   <li>After a thread's first record (which creates and registers its recorder) and its first timed record per
 *       slot (which allocates that slot's counts), recording allocates nothing.</li>
 *   <li>Per record the shared state touched is read-only after start-up (the layer bound and the recorder
 *       table); everything written is the thread's own memory. There is no reset here: counts only grow, and
 *       the reader forgets what came before a reset by subtracting a baseline.</li>
 * </ol>
 * Pre-bound handles ({@link #captureRecorder(int)} and friends) skip the layer check and slot arithmetic.
 *
 * <p>Span forms ({@code record*Span}, the handles' {@code recordSpan}) take the caller's start and end
 * (System.nanoTime nanoseconds), count exactly what the duration form counts for {@code end - start}, and, only while
 * a profiled block is open on the calling thread ({@link #openBlockSpans}), also append the span to that thread's
 * {@link SpanBuffer}. With no block open that is one field load and one branch more than the duration form.
 */
public final class Recording extends RecorderTable {
    private final SlotLayout layout;
    // A copy of layout.maxLayers(): the layer check then costs no extra load.
    private final int maxLayers;

    public Recording(SlotLayout layout) {
        super(layout);
        this.layout = layout;
        this.maxLayers = layout.maxLayers();
    }

    public SlotLayout layout() {
        return layout;
    }

    // ---- layer-checked entry points (the monitor facade) ----

    public void recordCapture(int layer, int statesCaptured, int statesStored, long captureNanos) {
        if (badLayer(layer)) {
            return;
        }
        capture(layout.slot(Stage.CAPTURE, layer), statesCaptured, statesStored, captureNanos);
    }

    public void recordReconstruction(int layer, int memoriesUsed, long reconstructionNanos, double quality) {
        if (badLayer(layer)) {
            return;
        }
        reconstruction(layout.slot(Stage.RECONSTRUCTION, layer), memoriesUsed, reconstructionNanos, quality);
    }

    public void recordRetrieval(int layer, int candidates, int returned, boolean cacheHit, long retrievalNanos) {
        if (badLayer(layer)) {
            return;
        }
        retrieval(layout.slot(Stage.RETRIEVAL, layer), candidates, returned, cacheHit, retrievalNanos);
    }

    /** {@code quality} in [0, 1], or NaN when unknown, as {@link RetrievalRecorder} defines it. */
    public void recordRetrieval(int layer, int candidates, int returned, boolean cacheHit, long retrievalNanos,
                                double quality) {
        if (badLayer(layer)) {
            return;
        }
        retrieval(layout.slot(Stage.RETRIEVAL, layer), candidates, returned, cacheHit, retrievalNanos, quality);
    }

    public void recordEviction(int layer, int count) {
        if (badLayer(layer)) {
            return;
        }
        eviction(layout.slot(Stage.EVICTION, layer), count);
    }

    public void recordLayer(int layer, long layerNanos) {
        recordDuration(Stage.LAYER, layer, layerNanos);
    }

    public void recordSyncWait(int layer, long syncWaitNanos) {
        recordDuration(Stage.SYNC_WAIT, layer, syncWaitNanos);
    }

    public void recordDeviceTime(int layer, long deviceNanos) {
        recordDuration(Stage.DEVICE, layer, deviceNanos);
    }

    private void recordDuration(Stage stage, int layer, long nanos) {
        if (badLayer(layer)) {
            return;
        }
        timed(layout.slot(stage, layer), nanos);
    }

    public void recordForward(long forwardNanos) {
        timed(layout.forwardSlot(), forwardNanos);
    }

    // ---- span forms: the duration form's record, plus the span when a profiled block is open on this thread ----

    public void recordLayerSpan(int layer, long startNanos, long endNanos) {
        durationSpan(Stage.LAYER, layer, startNanos, endNanos);
    }

    public void recordSyncWaitSpan(int layer, long startNanos, long endNanos) {
        durationSpan(Stage.SYNC_WAIT, layer, startNanos, endNanos);
    }

    public void recordCaptureSpan(int layer, int statesCaptured, int statesStored, long startNanos, long endNanos) {
        if (badLayer(layer)) {
            return;
        }
        captureSpan(layout.slot(Stage.CAPTURE, layer), statesCaptured, statesStored, startNanos, endNanos);
    }

    public void recordRetrievalSpan(int layer, int candidates, int returned, boolean cacheHit, long startNanos,
                                    long endNanos) {
        if (badLayer(layer)) {
            return;
        }
        retrievalSpan(layout.slot(Stage.RETRIEVAL, layer), candidates, returned, cacheHit, Double.NaN, startNanos,
                endNanos);
    }

    public void recordReconstructionSpan(int layer, int memoriesUsed, double quality, long startNanos,
                                         long endNanos) {
        if (badLayer(layer)) {
            return;
        }
        reconstructionSpan(layout.slot(Stage.RECONSTRUCTION, layer), memoriesUsed, quality, startNanos, endNanos);
    }

    private void durationSpan(Stage stage, int layer, long startNanos, long endNanos) {
        if (badLayer(layer)) {
            return;
        }
        timedSpan(layout.slot(stage, layer), startNanos, endNanos);
    }

    /**
     * A span of a stage with a duration and nothing else. Its duration is {@code endNanos - startNanos}; a negative
     * one (the span ends before it starts, or is longer than {@code Long.MAX_VALUE} ns so that the difference
     * overflows) is rejected as {@link RejectReason#NEGATIVE_DURATION}, like the duration form's.
     */
    void timedSpan(int slot, long startNanos, long endNanos) {
        long nanos = endNanos - startNanos;
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
            return;
        }
        ThreadRecorder t = current();
        t.timed(slot, nanos);
        t.span(slot, startNanos, endNanos);
    }

    /** A stage with a duration and nothing else (layer, forward). */
    void timed(int slot, long nanos) {
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
            return;
        }
        current().timed(slot, nanos);
    }

    // ---- pre-bound handles ----

    public CaptureRecorder captureRecorder(int layer) {
        return new CaptureRecorder(this, layout.slot(Stage.CAPTURE, checkLayer(layer)));
    }

    public ReconstructionRecorder reconstructionRecorder(int layer) {
        return new ReconstructionRecorder(this, layout.slot(Stage.RECONSTRUCTION, checkLayer(layer)));
    }

    public RetrievalRecorder retrievalRecorder(int layer) {
        return new RetrievalRecorder(this, layout.slot(Stage.RETRIEVAL, checkLayer(layer)));
    }

    /** A handle for {@link Stage#LAYER}, {@link Stage#SYNC_WAIT} or {@link Stage#DEVICE} of one layer. */
    public DurationRecorder durationRecorder(Stage stage, int layer) {
        if (stage != Stage.LAYER && stage != Stage.SYNC_WAIT && stage != Stage.DEVICE) {
            throw new IllegalArgumentException("stage must be layer, sync_wait or device, was " + stage.key());
        }
        return new DurationRecorder(this, layout.slot(stage, checkLayer(layer)));
    }

    public EvictionRecorder evictionRecorder(int layer) {
        return new EvictionRecorder(this, layout.slot(Stage.EVICTION, checkLayer(layer)));
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= layout.maxLayers()) {
            throw new IllegalArgumentException(
                    "layer must be in [0, " + layout.maxLayers() + ") (max_layers), was " + layer);
        }
        return layer;
    }

    // ---- slot-level recording, shared by the facade and the handles ----

    void capture(int slot, int statesCaptured, int statesStored, long nanos) {
        countCapture(slot, statesCaptured, statesStored, nanos);
    }

    void captureSpan(int slot, int statesCaptured, int statesStored, long startNanos, long endNanos) {
        ThreadRecorder t = countCapture(slot, statesCaptured, statesStored, endNanos - startNanos);
        if (t != null) {
            t.span(slot, startNanos, endNanos);
        }
    }

    /** Validates and counts one capture; returns the thread's recorder, or null when the capture was rejected. */
    private ThreadRecorder countCapture(int slot, int statesCaptured, int statesStored, long nanos) {
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
        } else if ((statesCaptured | statesStored) < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else if (statesStored > statesCaptured) {
            reject(RejectReason.INCONSISTENT_COUNTS);
        } else {
            ThreadRecorder t = current();
            t.timed(slot, nanos, statesCaptured, statesStored);
            return t;
        }
        return null;
    }

    /** {@code quality} is in [0, 1], or NaN when the caller has no quality measure. */
    void reconstruction(int slot, int memoriesUsed, long nanos, double quality) {
        countReconstruction(slot, memoriesUsed, nanos, quality);
    }

    void reconstructionSpan(int slot, int memoriesUsed, double quality, long startNanos, long endNanos) {
        ThreadRecorder t = countReconstruction(slot, memoriesUsed, endNanos - startNanos, quality);
        if (t != null) {
            t.span(slot, startNanos, endNanos);
        }
    }

    private ThreadRecorder countReconstruction(int slot, int memoriesUsed, long nanos, double quality) {
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
        } else if (memoriesUsed < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else if (!(quality >= 0.0 && quality <= 1.0) && !Double.isNaN(quality)) {
            reject(RejectReason.INVALID_QUALITY);
        } else {
            ThreadRecorder t = current();
            if (quality == quality) { // not NaN
                t.timed(slot, nanos, memoriesUsed, Math.round(quality * QUALITY_SCALE), 1);
            } else {
                t.timed(slot, nanos, memoriesUsed, 0);
            }
            return t;
        }
        return null;
    }

    /** Reconstruction quality is summed in millionths so that it fits the long counters. */
    public static final double QUALITY_SCALE = 1_000_000.0;

    void retrieval(int slot, int candidates, int returned, boolean cacheHit, long nanos) {
        countRetrieval(slot, candidates, returned, cacheHit, nanos, Double.NaN);
    }

    /** A retrieval with its quality in [0, 1] (NaN: none), as {@link RetrievalRecorder#record} defines it. */
    void retrieval(int slot, int candidates, int returned, boolean cacheHit, long nanos, double quality) {
        countRetrieval(slot, candidates, returned, cacheHit, nanos, quality);
    }

    void retrievalSpan(int slot, int candidates, int returned, boolean cacheHit, double quality, long startNanos,
                       long endNanos) {
        ThreadRecorder t = countRetrieval(slot, candidates, returned, cacheHit, endNanos - startNanos, quality);
        if (t != null) {
            t.span(slot, startNanos, endNanos);
        }
    }

    private ThreadRecorder countRetrieval(int slot, int candidates, int returned, boolean cacheHit, long nanos,
                                          double quality) {
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
        } else if ((candidates | returned) < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else if (returned > candidates) {
            reject(RejectReason.INCONSISTENT_COUNTS);
        } else if (!(quality >= 0.0 && quality <= 1.0) && !Double.isNaN(quality)) {
            reject(RejectReason.INVALID_QUALITY);
        } else {
            ThreadRecorder t = current();
            if (quality == quality) { // not NaN
                t.timed(slot, nanos, candidates, returned, cacheHit ? 1 : 0, Math.round(quality * QUALITY_SCALE), 1);
            } else if (cacheHit) {
                t.timed(slot, nanos, candidates, returned, 1);
            } else {
                t.timed(slot, nanos, candidates, returned);
            }
            return t;
        }
        return null;
    }

    void eviction(int slot, int count) {
        if (count < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else {
            current().counted(slot, count);
        }
    }

    private boolean badLayer(int layer) {
        if (layer < 0 || layer >= maxLayers) {
            reject(RejectReason.LAYER_OUT_OF_RANGE);
            return true;
        }
        return false;
    }

    public void reject(RejectReason reason) {
        current().incrementRelease(layout.rejectSlot(), reason.ordinal());
    }

    // ---- the calling thread's own counters (cold: profiling blocks, never the record path) ----

    /**
     * Copies the calling thread's COUNT and SUM (nanoseconds) of every layer of each of {@code stages} into
     * {@code into}: stage {@code s} (its index in {@code stages}), layer {@code l} at
     * {@code into[(s * maxLayers + l) * 2]} (COUNT) and {@code + 1} (SUM). Both only grow, so the difference of two
     * copies taken on one thread is exactly what that thread recorded in between. Registers the thread's recorder if
     * it has none, as its first record would (taking the table's lock once). Acquire loads; allocates nothing.
     *
     * @throws IllegalArgumentException if a stage is {@link Stage#FORWARD} (not per layer) or {@code into} is shorter
     *                                  than {@code stages.size() * maxLayers * 2}
     */
    public void copyOwnTimes(List<Stage> stages, long[] into) {
        int needed = stages.size() * maxLayers * 2;
        if (into.length < needed) {
            throw new IllegalArgumentException("into needs " + needed + " longs, had " + into.length);
        }
        if (stages.contains(Stage.FORWARD)) {
            throw new IllegalArgumentException("forward is not a per-layer stage");
        }
        ThreadRecorder own = current();
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            for (int layer = 0; layer < maxLayers; layer++) {
                int slot = layout.slot(stage, layer);
                int at = (s * maxLayers + layer) * 2;
                // The owner reads itself between records, so COUNT and SUM belong to the same records.
                into[at] = own.countAcquire(slot);
                into[at + 1] = own.counterAcquire(slot * SlotLayout.WIDTH + SlotLayout.SUM);
            }
        }
    }

    // ---- the calling thread's profiled blocks (cold: a block's open and close, never the record path) ----

    /**
     * A profiled block opens on the calling thread: from now until the matching {@link #closeBlockSpans()}, the
     * thread's span records also land in the returned buffer. It is allocated at the thread's first block with
     * {@code maxSpans} entries (with the allocation counter per entry when {@code trackMemory}) and reused after;
     * nested blocks share it. Registers the thread's recorder if it has none.
     *
     * @throws IllegalArgumentException if {@code maxSpans < 1}
     */
    public SpanBuffer openBlockSpans(int maxSpans, boolean trackMemory) {
        return current().openBlock(maxSpans, trackMemory);
    }

    /**
     * A profiled block closes on the calling thread (which must be the one that opened it): the outermost close
     * clears the buffer and stops span capture. Without an open block it does nothing.
     */
    public void closeBlockSpans() {
        current().closeBlock();
    }

    // ---- reader side ----

    /** Live recorders, in registration order; the reader removes dead ones with {@link #retire}. */
    public List<ThreadRecorder> recorders() {
        return all();
    }

    public void retire(ThreadRecorder recorder) {
        remove(recorder);
    }
}
