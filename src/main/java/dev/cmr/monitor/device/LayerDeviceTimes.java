package dev.cmr.monitor.device;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a device timeline's resolved marks into per-layer device times: pairs the start and end marks of the same
 * pass and layer ({@link LayerMarkTag}) and hands {@code end - start} to a {@link Sink}.
 *
 * <p>Contract:
 * <ol>
 *   <li>One thread at a time calls {@link #drain()} (the monitor's collector, or a reader under the monitor's lock);
 *       the class is not thread-safe otherwise. {@link #stats()} may be called from any thread.</li>
 *   <li>Draining never blocks on the device: it takes what the device has completed by then (the native drain
 *       asks the driver without waiting).</li>
 *   <li>A pass's marks may arrive in different drains, so a start waits in a table of at most
 *       {@code maxPendingStarts} entries; when it is full the oldest start is dropped and counted as unmatched.
 *       An end without its start, or a second start for the same pass and layer, is counted as unmatched too.</li>
 *   <li>An end earlier than its start (the clock mapping moved backwards by more than the layer's duration) is
 *       counted as inverted and not recorded.</li>
 *   <li>{@link KernelMarkTag Kernel marks} give no layer time; they are counted as resolved and passed on.</li>
 *   <li>Every drained batch, kernel marks included, is handed to the {@link MarkSink} (if any) before it is
 *       reused, on the draining thread.</li>
 * </ol>
 */
public final class LayerDeviceTimes {
    /** Where paired device times go: the monitor's per-layer {@code device} stage. */
    @FunctionalInterface
    public interface Sink {
        void deviceTime(int layer, long deviceNanos);
    }

    /**
     * Sees every batch of resolved marks as it is drained (the profiler keeps them for its blocks). Called on the
     * draining thread; the batch is reused after the call returns, so copy what you keep. Must not throw.
     */
    @FunctionalInterface
    public interface MarkSink {
        void marks(DeviceMarkBatch batch);
    }

    /** Upper bound on drain rounds per call, so a timeline resolving marks faster than we read cannot pin us. */
    private static final int MAX_ROUNDS = 64;

    private final DeviceTimeline timeline;
    private final Sink sink;
    private final MarkSink marks; // null: nobody else wants the marks
    private final int maxPendingStarts;
    private final DeviceMarkBatch batch;
    // start tag -> device nanos, in arrival order so that the oldest start is the one given up.
    private final LinkedHashMap<Long, Long> pendingStarts = new LinkedHashMap<>();

    private volatile long resolvedMarks;
    private volatile long layerTimes;
    private volatile long unmatchedMarks;
    private volatile long invertedMarks;
    private volatile long clockErrorBoundNanos = -1;

    public LayerDeviceTimes(DeviceTimeline timeline, Sink sink, int batchCapacity, int maxPendingStarts) {
        this(timeline, sink, null, batchCapacity, maxPendingStarts);
    }

    /** With {@code marks} (null for none) seeing every drained batch. */
    public LayerDeviceTimes(DeviceTimeline timeline, Sink sink, MarkSink marks, int batchCapacity,
                            int maxPendingStarts) {
        if (timeline == null) {
            throw new IllegalArgumentException("timeline must not be null");
        }
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
        if (maxPendingStarts < 1) {
            throw new IllegalArgumentException("maxPendingStarts must be >= 1, was " + maxPendingStarts);
        }
        this.timeline = timeline;
        this.sink = sink;
        this.marks = marks;
        this.maxPendingStarts = maxPendingStarts;
        this.batch = new DeviceMarkBatch(batchCapacity);
    }

    public DeviceTimeline timeline() {
        return timeline;
    }

    /** Takes every mark resolved so far, records each completed layer, and returns how many layer times it gave. */
    public int drain() {
        int given = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int n = timeline.drain(batch);
            if (n == 0) {
                break;
            }
            clockErrorBoundNanos = Math.max(clockErrorBoundNanos, batch.errorBoundNanos());
            for (int i = 0; i < n; i++) {
                given += accept(batch.tag(i), batch.deviceNanos(i));
            }
            resolvedMarks += n;
            if (marks != null) {
                marks.marks(batch);
            }
            if (n < batch.capacity()) {
                break;
            }
        }
        layerTimes += given;
        return given;
    }

    private int accept(long tag, long deviceNanos) {
        if (KernelMarkTag.isKernel(tag)) {
            return 0;
        }
        if (!LayerMarkTag.isEnd(tag)) {
            if (pendingStarts.put(tag, deviceNanos) != null) {
                unmatchedMarks++; // the earlier start of this pass and layer never got its end
            }
            if (pendingStarts.size() > maxPendingStarts) {
                Iterator<Map.Entry<Long, Long>> oldest = pendingStarts.entrySet().iterator();
                oldest.next();
                oldest.remove();
                unmatchedMarks++;
            }
            return 0;
        }
        Long start = pendingStarts.remove(tag & ~1L);
        if (start == null) {
            unmatchedMarks++;
            return 0;
        }
        long deviceTime = deviceNanos - start;
        if (deviceTime < 0) {
            invertedMarks++;
            return 0;
        }
        sink.deviceTime(LayerMarkTag.layer(tag), deviceTime);
        return 1;
    }

    /** Starts still waiting for their end marks. */
    public int pendingStarts() {
        return pendingStarts.size();
    }

    public DeviceStats stats() {
        return new DeviceStats(timeline.backend(), resolvedMarks, layerTimes, unmatchedMarks, invertedMarks,
                timeline.droppedMarks(), timeline.failedMarks(), clockErrorBoundNanos, timeline.lastError());
    }
}
