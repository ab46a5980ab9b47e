package dev.cmr.monitor.device;

import java.util.ArrayDeque;

/**
 * A test double of {@link DeviceTimeline} that resolves exactly the marks a test queues, in order, so that the
 * pairing logic can be checked in isolation; the real timelines are tested against a real device.
 */
final class ScriptedTimeline implements DeviceTimeline {
    private final ArrayDeque<long[]> resolved = new ArrayDeque<>();
    long errorBound = 500;
    String backend = "scripted";

    void resolve(long tag, long deviceNanos) {
        resolved.add(new long[] {tag, deviceNanos});
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public boolean mark(long queueHandle, long tag) {
        throw new UnsupportedOperationException("marks are scripted with resolve()");
    }

    @Override
    public int drain(DeviceMarkBatch into) {
        into.clear();
        while (!resolved.isEmpty() && into.size() < into.capacity()) {
            long[] m = resolved.poll();
            into.add(m[0], m[1], m[1] - 1_000);
        }
        into.errorBoundNanos(errorBound);
        return into.size();
    }

    @Override
    public long droppedMarks() {
        return 3;
    }

    @Override
    public long failedMarks() {
        return 1;
    }

    @Override
    public String lastError() {
        return "clEnqueueMarkerWithWaitList: CL_INVALID_COMMAND_QUEUE (-36)";
    }

    @Override
    public void close() {
    }
}
