package dev.cmr.monitor.store;

import dev.cmr.monitor.record.RejectReason;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;

/**
 * Everything recorded since the last reset, as of one {@link Aggregator#refresh()}: counters summed over all
 * threads (live and retired) plus latency summaries per timed slot and per stage. Immutable.
 */
public final class CumulativeSnapshot {
    private final SlotLayout layout;
    private final long[] totals;
    private final LatencySummary[] slotLatency;
    private final LatencySummary[] stageLatency;
    private final long takenAtNanos;

    CumulativeSnapshot(SlotLayout layout, long[] totals, LatencySummary[] slotLatency, LatencySummary[] stageLatency,
                       long takenAtNanos) {
        this.layout = layout;
        this.totals = totals;
        this.slotLatency = slotLatency;
        this.stageLatency = stageLatency;
        this.takenAtNanos = takenAtNanos;
    }

    long[] totals() {
        return totals;
    }

    public SlotLayout layout() {
        return layout;
    }

    /** {@code System.nanoTime()} when the snapshot was taken. */
    public long takenAtNanos() {
        return takenAtNanos;
    }

    /** A per-layer counter: {@code field} is one of {@link SlotLayout}'s field offsets. */
    public long counter(Stage stage, int layer, int field) {
        return totals[layout.slot(stage, layer) * SlotLayout.WIDTH + field];
    }

    /** A counter summed over all layers (for FORWARD, the forward slot's). */
    public long total(Stage stage, int field) {
        return total(layout, totals, stage, field);
    }

    static long total(SlotLayout layout, long[] totals, Stage stage, int field) {
        if (stage == Stage.FORWARD) {
            return totals[layout.forwardSlot() * SlotLayout.WIDTH + field];
        }
        long sum = 0;
        for (int layer = 0; layer < layout.maxLayers(); layer++) {
            sum += totals[layout.slot(stage, layer) * SlotLayout.WIDTH + field];
        }
        return sum;
    }

    public long rejected(RejectReason reason) {
        return totals[layout.rejectSlot() * SlotLayout.WIDTH + reason.ordinal()];
    }

    public long rejectedTotal() {
        long sum = 0;
        for (RejectReason reason : RejectReason.values()) {
            sum += rejected(reason);
        }
        return sum;
    }

    public LatencySummary latency(Stage stage, int layer) {
        LatencySummary summary = slotLatency[layout.slot(stage, layer)];
        return summary == null ? LatencySummary.EMPTY : summary;
    }

    /** Latency of a stage over all layers. */
    public LatencySummary latency(Stage stage) {
        LatencySummary summary = stageLatency[stage.ordinal()];
        return summary == null ? LatencySummary.EMPTY : summary;
    }
}
