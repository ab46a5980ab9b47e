package dev.cmr.monitor.device;

import org.bytedeco.javacpp.Pointer;

/**
 * What the {@code opencl} and {@code cuda} timelines share: everything but opening and attaching is one call into
 * their {@link NativeJournal}. Threading: see {@link OpenClTimeline}.
 */
abstract class JournalTimeline implements DeviceTimeline {
    final NativeJournal journal;

    JournalTimeline(NativeJournal journal) {
        this.journal = journal;
    }

    @Override
    public String backend() {
        return journal.backend();
    }

    @Override
    public boolean mark(long queueHandle, long tag) {
        return journal.mark(queueHandle, tag);
    }

    /** {@link #mark(long, long)} for a JavaCPP queue or stream object; null counts as a failed mark. */
    public boolean mark(Pointer queue, long tag) {
        return journal.mark(queue == null ? 0 : queue.address(), tag);
    }

    @Override
    public int drain(DeviceMarkBatch into) {
        return journal.drain(into);
    }

    @Override
    public long droppedMarks() {
        return journal.dropped();
    }

    @Override
    public long failedMarks() {
        return journal.failed();
    }

    /** Marks enqueued successfully. */
    public long enqueuedMarks() {
        return journal.marked();
    }

    /** Marks resolved into the ring (drained or not). */
    public long resolvedMarks() {
        return journal.resolved();
    }

    /** Error bound of the current clock anchor alone (without drift), in nanoseconds. */
    public long anchorErrorNanos() {
        return journal.anchorErrorNanos();
    }

    /** Successful clock calibrations so far (one at open, then one per re-anchor interval). */
    public long clockAnchors() {
        return journal.anchors();
    }

    @Override
    public String lastError() {
        return journal.lastError();
    }

    @Override
    public void close() {
        journal.close();
    }
}
