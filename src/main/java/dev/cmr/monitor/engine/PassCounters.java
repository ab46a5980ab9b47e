package dev.cmr.monitor.engine;

import dev.cmr.monitor.profile.LayerDurations;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.Stage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the calling thread's own per-layer times (COUNT and SUM of {@link #STAGES}, see
 * {@link Recording#copyOwnTimes}) and turns the difference of two readings into one {@link PassDurations}. The
 * counters only grow and only their owner thread writes them, so two readings on one thread bracket exactly the
 * records that thread made in between: nothing on the record path changes.
 *
 * <p>A layer is in the pass when any of its stages was recorded in between. Its host time is the LAYER sum, its sync
 * wait the SYNC_WAIT sum, its device time the DEVICE sum, or null for every layer when no DEVICE record fell in
 * between at all (the pass then carries no device numbers, and the verdict rule calls it host or sync bound); its
 * stage self times are the CAPTURE, RETRIEVAL and RECONSTRUCTION sums of the stages that were recorded. All in
 * nanoseconds. Stateless.
 */
public final class PassCounters {
    /** The stages read, in the order of a reading. */
    static final List<Stage> STAGES = List.of(Stage.LAYER, Stage.SYNC_WAIT, Stage.DEVICE, Stage.CAPTURE,
            Stage.RETRIEVAL, Stage.RECONSTRUCTION);
    private static final int LAYER = 0;
    private static final int SYNC_WAIT = 1;
    private static final int DEVICE = 2;
    private static final int FIRST_CMR_STAGE = 3;

    private PassCounters() {
    }

    /** The calling thread's counters now; registers its recorder if it has none. */
    public static long[] read(Recording recording) {
        long[] reading = new long[STAGES.size() * recording.layout().maxLayers() * 2];
        recording.copyOwnTimes(STAGES, reading);
        return reading;
    }

    /**
     * The pass between two readings of one thread's counters.
     *
     * @param wallNanos the block's wall time; a negative one (a clock that went back) counts as 0
     */
    public static PassDurations between(long[] start, long[] end, int maxLayers, long wallNanos) {
        boolean anyDevice = false;
        for (int layer = 0; layer < maxLayers; layer++) {
            anyDevice |= count(start, end, maxLayers, DEVICE, layer) > 0;
        }
        Map<Integer, LayerDurations> layers = new TreeMap<>();
        for (int layer = 0; layer < maxLayers; layer++) {
            boolean recorded = false;
            Map<Stage, Long> stageNanos = new EnumMap<>(Stage.class);
            for (int s = 0; s < STAGES.size(); s++) {
                if (count(start, end, maxLayers, s, layer) > 0) {
                    recorded = true;
                    if (s >= FIRST_CMR_STAGE) {
                        stageNanos.put(STAGES.get(s), sum(start, end, maxLayers, s, layer));
                    }
                }
            }
            if (recorded) {
                layers.put(layer, new LayerDurations(sum(start, end, maxLayers, LAYER, layer),
                        sum(start, end, maxLayers, SYNC_WAIT, layer),
                        anyDevice ? sum(start, end, maxLayers, DEVICE, layer) : null, stageNanos));
            }
        }
        return new PassDurations(Math.max(0, wallNanos), layers);
    }

    private static long count(long[] start, long[] end, int maxLayers, int stage, int layer) {
        int at = (stage * maxLayers + layer) * 2;
        return end[at] - start[at];
    }

    /** Never negative: a SUM that saturated at Long.MAX_VALUE stays there, so its difference is 0, not less. */
    private static long sum(long[] start, long[] end, int maxLayers, int stage, int layer) {
        int at = (stage * maxLayers + layer) * 2 + 1;
        return Math.max(0, end[at] - start[at]);
    }
}
