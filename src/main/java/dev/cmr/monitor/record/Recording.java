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
 *   <li>Per record the shared state touched is one volatile read of {@code generation}, which only
 *       {@link #reset()} writes; everything else is the thread's own memory.</li>
 * </ol>
 * Pre-bound handles ({@link #captureRecorder(int)} and friends) skip the layer check and slot arithmetic.
 */
public final class Recording {
    private final SlotLayout layout;
    private final RecorderTable recorders;
    // Read on every record, written only by reset(); see ThreadRecorder's contract, point 3.
    private volatile int generation;

    public Recording(SlotLayout layout) {
        this.layout = layout;
        this.recorders = new RecorderTable(layout);
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

    /** A stage with a duration and nothing else (layer, forward). */
    void timed(int slot, long nanos) {
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
            return;
        }
        int g = generation;
        ThreadRecorder t = recorders.current(g);
        int base = t.open(slot, g);
        t.countDuration(slot, base, nanos);
        t.commit(base);
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
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
        } else if ((statesCaptured | statesStored) < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else if (statesStored > statesCaptured) {
            reject(RejectReason.INCONSISTENT_COUNTS);
        } else {
            int g = generation;
            ThreadRecorder t = recorders.current(g);
            int base = t.open(slot, g);
            t.countDuration(slot, base, nanos);
            t.add(base + SlotLayout.A, statesCaptured);
            t.add(base + SlotLayout.B, statesStored);
            t.commit(base);
        }
    }

    /** {@code quality} is in [0, 1], or NaN when the caller has no quality measure. */
    void reconstruction(int slot, int memoriesUsed, long nanos, double quality) {
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
        } else if (memoriesUsed < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else if (!(quality >= 0.0 && quality <= 1.0) && !Double.isNaN(quality)) {
            reject(RejectReason.INVALID_QUALITY);
        } else {
            int g = generation;
            ThreadRecorder t = recorders.current(g);
            int base = t.open(slot, g);
            t.countDuration(slot, base, nanos);
            t.add(base + SlotLayout.A, memoriesUsed);
            if (quality == quality) { // not NaN
                t.add(base + SlotLayout.B, Math.round(quality * QUALITY_SCALE));
                t.add(base + SlotLayout.C, 1);
            }
            t.commit(base);
        }
    }

    /** Reconstruction quality is summed in millionths so that it fits the long counters. */
    public static final double QUALITY_SCALE = 1_000_000.0;

    void retrieval(int slot, int candidates, int returned, boolean cacheHit, long nanos) {
        if (nanos < 0) {
            reject(RejectReason.NEGATIVE_DURATION);
        } else if ((candidates | returned) < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else if (returned > candidates) {
            reject(RejectReason.INCONSISTENT_COUNTS);
        } else {
            int g = generation;
            ThreadRecorder t = recorders.current(g);
            int base = t.open(slot, g);
            t.countDuration(slot, base, nanos);
            t.add(base + SlotLayout.A, candidates);
            t.add(base + SlotLayout.B, returned);
            if (cacheHit) {
                t.add(base + SlotLayout.C, 1);
            }
            t.commit(base);
        }
    }

    void eviction(int slot, int count) {
        if (count < 0) {
            reject(RejectReason.NEGATIVE_COUNT);
        } else {
            int g = generation;
            ThreadRecorder t = recorders.current(g);
            int base = t.open(slot, g);
            t.add(base + SlotLayout.A, count);
            t.commit(base);
        }
    }

    private boolean badLayer(int layer) {
        if (layer < 0 || layer >= layout.maxLayers()) {
            reject(RejectReason.LAYER_OUT_OF_RANGE);
            return true;
        }
        return false;
    }

    public void reject(RejectReason reason) {
        int g = generation;
        ThreadRecorder t = recorders.current(g);
        int base = t.open(layout.rejectSlot(), g);
        t.add(base + reason.ordinal(), 1);
    }

    // ---- reader side ----

    /** Live recorders, in registration order; the reader removes dead ones with {@link #retire}. */
    public List<ThreadRecorder> recorders() {
        return recorders.all();
    }

    public void retire(ThreadRecorder recorder) {
        recorders.remove(recorder);
    }

    public int generation() {
        return generation;
    }

    /**
     * Starts a new generation: every slot recorded before counts as empty from now on. Callers serialize resets
     * with their reads (the reader does this under its own lock); writers are never stopped.
     */
    public int reset() {
        generation = generation + 1;
        return generation;
    }
}
