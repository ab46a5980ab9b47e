package dev.cmr.monitor.device;

/**
 * The {@code none} timeline, for host-only runs: it takes no marks ({@link #mark} returns false, as nothing was
 * enqueued), resolves nothing, and counts nothing as dropped or failed, because nothing went wrong.
 * Stateless and thread-safe.
 */
public final class NoDeviceTimeline implements DeviceTimeline {
    public static final NoDeviceTimeline INSTANCE = new NoDeviceTimeline();

    private NoDeviceTimeline() {
    }

    @Override
    public String backend() {
        return "none";
    }

    @Override
    public boolean mark(long queueHandle, long tag) {
        return false;
    }

    @Override
    public int drain(DeviceMarkBatch into) {
        into.clear();
        return 0;
    }

    @Override
    public long droppedMarks() {
        return 0;
    }

    @Override
    public long failedMarks() {
        return 0;
    }

    @Override
    public String lastError() {
        return null;
    }

    @Override
    public void close() {
    }
}
