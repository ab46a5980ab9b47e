package dev.cmr.monitor.record;

/** A capture recorder bound to one layer: keep it and call it per capture. Thread-safe, never throws. */
public final class CaptureRecorder {
    private final Recording recording;
    private final int slot;

    CaptureRecorder(Recording recording, int slot) {
        this.recording = recording;
        this.slot = slot;
    }

    public void record(int statesCaptured, int statesStored, long captureNanos) {
        recording.capture(slot, statesCaptured, statesStored, captureNanos);
    }

    /**
     * Records as {@link #record} does for {@code endNanos - startNanos} and, while a profiled block is open on the
     * calling thread, the span itself (System.nanoTime nanoseconds).
     */
    public void recordSpan(int statesCaptured, int statesStored, long startNanos, long endNanos) {
        recording.captureSpan(slot, statesCaptured, statesStored, startNanos, endNanos);
    }
}
