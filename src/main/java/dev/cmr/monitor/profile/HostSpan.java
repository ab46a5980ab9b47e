package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;

/**
 * One host span of a profiled pass, on the thread that ran it: a layer from enter to exit ({@link Stage#LAYER}), or a
 * CMR stage inside its layer ({@link Stage#CAPTURE}, {@link Stage#RETRIEVAL}, {@link Stage#RECONSTRUCTION},
 * {@link Stage#EVICTION}), nested in that layer's span. Times are host-clock nanoseconds (System.nanoTime), the
 * interval is [startNanos, endNanos).
 *
 * <p>{@code allocatedBytes}: JVM heap bytes the thread allocated during the span, as the profiled block attributes
 * them (with {@code profile_memory}: the thread's allocation counter at the span's end minus at the end of the
 * span before it, see {@code engine.BlockTrace}); null when not tracked.
 *
 * @throws IllegalArgumentException if {@code endNanos < startNanos}, the stage is not one a span can have, or
 *                                  {@code allocatedBytes} is negative
 */
public record HostSpan(int layer, Stage stage, long startNanos, long endNanos, long threadId, Long allocatedBytes) {
    public HostSpan {
        if (stage != Stage.LAYER && !isCmrStage(stage)) {
            throw new IllegalArgumentException("a host span is a layer or a CMR stage, was " + stage);
        }
        Spans.checkOrdered(startNanos, endNanos);
        if (allocatedBytes != null) {
            Spans.checkNonNegative("allocatedBytes", allocatedBytes);
        }
    }

    /** A span whose allocation was not tracked. */
    public HostSpan(int layer, Stage stage, long startNanos, long endNanos, long threadId) {
        this(layer, stage, startNanos, endNanos, threadId, null);
    }

    /** Whether {@code stage} is a CMR stage inside a layer: capture, retrieval, reconstruction or eviction. */
    public static boolean isCmrStage(Stage stage) {
        return stage == Stage.CAPTURE || stage == Stage.RETRIEVAL || stage == Stage.RECONSTRUCTION
                || stage == Stage.EVICTION;
    }

    public long lengthNanos() {
        return endNanos - startNanos;
    }
}
