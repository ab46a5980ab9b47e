package dev.cmr.monitor.record;

/**
 * Records one duration of a stage that carries nothing else ({@link Stage#LAYER}, {@link Stage#SYNC_WAIT},
 * {@link Stage#DEVICE}), bound to one layer. Thread-safe, never throws; a negative duration is rejected and counted.
 */
public final class DurationRecorder {
    private final Recording recording;
    private final int slot;

    DurationRecorder(Recording recording, int slot) {
        this.recording = recording;
        this.slot = slot;
    }

    public void record(long nanos) {
        recording.timed(slot, nanos);
    }
}
