package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;
import java.util.EnumMap;
import java.util.Map;

/**
 * One layer's durations in one pass, in nanoseconds, as a model that only calls the public record API reports them:
 * host time from enter to exit, host time in sync waits, device time (null when no device time was recorded), and
 * the self time of each CMR stage inside the layer (stages other than LAYER, SYNC_WAIT, DEVICE and FORWARD). The map
 * is copied.
 *
 * @throws IllegalArgumentException on a negative duration or a stage that is not a CMR stage
 */
public record LayerDurations(long hostNanos, long syncWaitNanos, Long deviceNanos, Map<Stage, Long> stageNanos) {
    public LayerDurations {
        Spans.checkNonNegative("hostNanos", hostNanos);
        Spans.checkNonNegative("syncWaitNanos", syncWaitNanos);
        if (deviceNanos != null) {
            Spans.checkNonNegative("deviceNanos", deviceNanos);
        }
        Map<Stage, Long> copy = new EnumMap<>(Stage.class);
        for (Map.Entry<Stage, Long> e : stageNanos.entrySet()) {
            Stage stage = e.getKey();
            if (!HostSpan.isCmrStage(stage)) {
                throw new IllegalArgumentException("stageNanos holds CMR stages only, had " + stage);
            }
            copy.put(stage, Spans.checkNonNegative(stage.key() + " nanos", e.getValue()));
        }
        stageNanos = Map.copyOf(copy);
    }

    /** A layer with host, sync-wait and device time and no stage times. */
    public static LayerDurations of(long hostNanos, long syncWaitNanos, Long deviceNanos) {
        return new LayerDurations(hostNanos, syncWaitNanos, deviceNanos, Map.of());
    }
}
