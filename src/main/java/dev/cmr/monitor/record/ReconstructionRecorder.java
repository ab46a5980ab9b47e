package dev.cmr.monitor.record;

/** A reconstruction recorder bound to one layer. Thread-safe, never throws. */
public final class ReconstructionRecorder {
    private final Recording recording;
    private final int slot;

    ReconstructionRecorder(Recording recording, int slot) {
        this.recording = recording;
        this.slot = slot;
    }

    public void record(int memoriesUsed, long reconstructionNanos) {
        recording.reconstruction(slot, memoriesUsed, reconstructionNanos, Double.NaN);
    }

    /** {@code quality} in [0, 1], as the reconstructor defines it; anything else is rejected. */
    public void record(int memoriesUsed, long reconstructionNanos, double quality) {
        recording.reconstruction(slot, memoriesUsed, reconstructionNanos, quality);
    }

    /**
     * Records as {@link #record(int, long, double)} does for {@code endNanos - startNanos} ({@code quality} NaN when
     * unknown) and, while a profiled block is open on the calling thread, the span itself (System.nanoTime
     * nanoseconds).
     */
    public void recordSpan(int memoriesUsed, double quality, long startNanos, long endNanos) {
        recording.reconstructionSpan(slot, memoriesUsed, quality, startNanos, endNanos);
    }
}
