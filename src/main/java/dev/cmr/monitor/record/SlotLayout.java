package dev.cmr.monitor.record;

/**
 * Where each (stage, layer) lives in a thread's counter array. One slot per layer and stage, then one slot for the
 * forward pass and one for rejected records; each slot owns {@link #WIDTH} consecutive longs:
 *
 * <pre>
 *   slot s, base = s * WIDTH
 *   +0 COUNT   events recorded (written last: readers use it to detect change)
 *   +1 SUM     total nanoseconds
 *   +2 A       capture: states captured   reconstruction: memories used   retrieval: candidates  eviction: entries
 *   +3 B       capture: states stored     reconstruction: quality sum, in millionths   retrieval: returned
 *   +4 C       reconstruction: quality samples   retrieval: cache hits
 *   +5..+7     spare
 *   reject slot: +ordinal of each RejectReason
 * </pre>
 * There is no maximum field: keeping one cost a compare and a store per record. The largest duration is read from
 * the histogram instead (its bucket's highest equivalent value, within 0.78%).
 */
public final class SlotLayout {
    public static final int WIDTH = 8;
    public static final int COUNT = 0;
    public static final int SUM = 1;
    public static final int A = 2;
    public static final int B = 3;
    public static final int C = 4;

    // Every stage but FORWARD has one slot per layer.
    private static final int LAYER_STAGES = Stage.values().length - 1;

    private final int maxLayers;

    public SlotLayout(int maxLayers) {
        if (maxLayers < 1) {
            throw new IllegalArgumentException("max_layers must be >= 1, was " + maxLayers);
        }
        this.maxLayers = maxLayers;
    }

    public int maxLayers() {
        return maxLayers;
    }

    /** Slot of a per-layer stage; {@code layer} must already be checked. */
    public int slot(Stage stage, int layer) {
        if (stage == Stage.FORWARD) {
            return forwardSlot();
        }
        return layer * LAYER_STAGES + stage.ordinal();
    }

    public int forwardSlot() {
        return maxLayers * LAYER_STAGES;
    }

    public int rejectSlot() {
        return maxLayers * LAYER_STAGES + 1;
    }

    public int slotCount() {
        return maxLayers * LAYER_STAGES + 2;
    }

    public boolean isTimed(int slot) {
        if (slot == forwardSlot()) {
            return true;
        }
        return slot < forwardSlot() && stageOf(slot).timed();
    }

    /** Stage of a per-layer or forward slot. */
    public Stage stageOf(int slot) {
        return slot == forwardSlot() ? Stage.FORWARD : Stage.values()[slot % LAYER_STAGES];
    }

    public int layerOf(int slot) {
        return slot / LAYER_STAGES;
    }
}
