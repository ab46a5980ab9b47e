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
}
