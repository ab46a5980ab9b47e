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

    /**
     * Records {@code endNanos - startNanos} as {@link #record} does and, while a profiled block is open on the calling
     * thread, the span itself (System.nanoTime nanoseconds). A span that ends before it starts is rejected and
     * counted as a negative duration. A profiled block takes a {@link Stage#DEVICE} handle's duration, not its span:
     * device spans come from device timelines.
     */
    public void recordSpan(long startNanos, long endNanos) {
        recording.timedSpan(slot, startNanos, endNanos);
    }
}
