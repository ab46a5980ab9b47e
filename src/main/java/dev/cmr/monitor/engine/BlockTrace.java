package dev.cmr.monitor.engine;

import dev.cmr.monitor.profile.HostSpan;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.SyncWaitSpan;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.SpanBuffer;
import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the spans one profiled block captured (entries {@code [from, to)} of its thread's {@link SpanBuffer}) into
 * a {@link PassTrace}: {@link HostSpan}s for LAYER and the CMR stages, with the thread's id, {@link SyncWaitSpan}s for
 * SYNC_WAIT; other stages' spans (DEVICE) are left out, their durations reach the pass as device durations. Called
 * on the block's thread at its close; stateless.
 *
 * <p>Allocated bytes, with {@code profile_memory}: each entry carries the thread's allocation counter read when the
 * span was recorded, that is at its end (the span forms receive the start as a timestamp, so nothing can be read at
 * the start). A span's bytes are its end reading minus the reading of its predecessor: the latest span recorded
 * before it that ended at or before it started, or the block's open when there is none. Spans nested in it ended
 * after it started, so they are skipped and their bytes stay inside the outer span's: a layer's bytes include its
 * stages'. The error: allocations between the predecessor's end and the span's own start are counted in the span
 * (an over-count, never an under-count). It is zero for a span that starts where its predecessor ended, e.g. layers
 * timed back to back, and it is the whole preceding gap otherwise, e.g. a capture that starts after the layer's
 * block computation counts what that computation allocated unless a span (a sync wait) ended right before it.
 * The monitor's own share: the first record of each (stage, layer) on a thread allocates that slot's histogram
 * counts (18 KB, 30 KB after a duration above 16.8 ms), which the span recording it then counts; after that the
 * record path allocates nothing. Allocation by other threads is never counted. Null when the counter could not be
 * read.
 */
public final class BlockTrace {
    private BlockTrace() {
    }

    /**
     * @param threadId        the block's thread
     * @param startNanos      the block's open (System.nanoTime)
     * @param endNanos        its close; a clock that went back gives a window of length 0
     * @param bytesAtOpen     the thread's allocation counter at the block's open, or -1
     * @param deviceDurations device time per layer recorded as durations inside the block
     */
    public static PassTrace of(SpanBuffer spans, int from, int to, SlotLayout layout, long threadId, long startNanos,
                               long endNanos, long bytesAtOpen, Map<Integer, Long> deviceDurations) {
        List<HostSpan> host = new ArrayList<>();
        List<SyncWaitSpan> syncWaits = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int slot = spans.slot(i);
            Stage stage = layout.stageOf(slot);
            int layer = layout.layerOf(slot);
            if (stage == Stage.SYNC_WAIT) {
                syncWaits.add(new SyncWaitSpan(layer, spans.startNanos(i), spans.endNanos(i)));
            } else if (stage == Stage.LAYER || HostSpan.isCmrStage(stage)) {
                Long bytes = spans.tracksMemory() ? allocatedBytes(spans, from, i, bytesAtOpen) : null;
                host.add(new HostSpan(layer, stage, spans.startNanos(i), spans.endNanos(i), threadId, bytes));
            }
        }
        return new PassTrace(startNanos, Math.max(startNanos, endNanos), host, syncWaits, List.of(), 0,
                deviceDurations);
    }

    /** Entry {@code i}'s bytes as the class comment defines them; null when a reading is missing. */
    private static Long allocatedBytes(SpanBuffer spans, int from, int i, long bytesAtOpen) {
        long end = spans.allocatedBytesAtEnd(i);
        long base = bytesAtOpen;
        long start = spans.startNanos(i);
        for (int j = i - 1; j >= from; j--) {
            if (spans.endNanos(j) <= start) {
                base = spans.allocatedBytesAtEnd(j);
                break;
            }
        }
        if (end < 0 || base < 0) {
            return null;
        }
        return Math.max(0, end - base);
    }
}
