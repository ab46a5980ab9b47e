package dev.cmr.monitor.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds and classifies the idle gaps on each device queue of a pass. The spans of a queue are taken in order of
 * start; a gap is time after the end of everything earlier on the queue and before the next span starts (so spans
 * nested in a whole-layer span, or overlapping, make no gap). A gap before span {@code next} is:
 * <ol>
 *   <li>{@link GapKind#HOST_WAIT} if {@code next.enqueueEndNanos} is known and later than the previous work's end:
 *       the host had not yet handed the device the next work when it ran out;</li>
 *   <li>else {@link GapKind#KERNEL_WAIT} if the gap is shorter than {@code thresholdNanos} (default
 *       {@value #DEFAULT_THRESHOLD_NANOS} ns): the work was queued, the device took a moment to start it;</li>
 *   <li>else {@link GapKind#OTHER}: queued work that started late for a reason the spans do not show (another
 *       queue or process, a dependency, or an unknown enqueue time).</li>
 * </ol>
 * Immutable and thread-safe.
 */
final class GapClassifier {
    /** Launch latency of a queued kernel is a few microseconds on current drivers; 10 µs leaves room for jitter. */
    static final long DEFAULT_THRESHOLD_NANOS = 10_000;

    private final long thresholdNanos;

    GapClassifier(long thresholdNanos) {
        this.thresholdNanos = Spans.checkNonNegative("gap threshold nanos", thresholdNanos);
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    /** The gaps of all queues, queue by queue in queue order, each queue's in time order. */
    List<IdleGap> gaps(List<DeviceSpan> spans) {
        Map<Integer, List<DeviceSpan>> byQueue = new TreeMap<>();
        for (DeviceSpan s : spans) {
            byQueue.computeIfAbsent(s.queue(), q -> new ArrayList<>()).add(s);
        }
        List<IdleGap> gaps = new ArrayList<>();
        for (Map.Entry<Integer, List<DeviceSpan>> queue : byQueue.entrySet()) {
            List<DeviceSpan> ordered = new ArrayList<>(queue.getValue());
            ordered.sort(Comparator.comparingLong(DeviceSpan::startNanos));
            long busyUntil = ordered.get(0).endNanos();
            for (DeviceSpan next : ordered.subList(1, ordered.size())) {
                if (next.startNanos() > busyUntil) {
                    gaps.add(new IdleGap(queue.getKey(), busyUntil, next.startNanos(), kind(busyUntil, next)));
                }
                busyUntil = Math.max(busyUntil, next.endNanos());
            }
        }
        return gaps;
    }

    private GapKind kind(long previousEndNanos, DeviceSpan next) {
        if (next.enqueueKnown() && next.enqueueEndNanos() > previousEndNanos) {
            return GapKind.HOST_WAIT;
        }
        return next.startNanos() - previousEndNanos < thresholdNanos ? GapKind.KERNEL_WAIT : GapKind.OTHER;
    }
}
