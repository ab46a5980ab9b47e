package dev.cmr.monitor.record;

/**
 * Where each (stage, layer) lives in a thread's counter array, and what each long of a slot means. Holds only
 * offsets and the slot arithmetic; {@link ThreadRecorder} writes the array and the aggregator reads it.
 *
 * <p>The counter array: one slot per (layer, stage) for every stage but FORWARD, layer by layer in {@link Stage}
 * order, then the forward slot and the reject slot. {@code F = maxLayers * 7}: seven stages are per layer.
 * <pre>
 * slot 0         1                2           3          4       5           6        7            F         F+1
 *      +---------+----------------+-----------+----------+-------+-----------+--------+------------+---------+--------+
 *      | CAPTURE | RECONSTRUCTION | RETRIEVAL | EVICTION | LAYER | SYNC_WAIT | DEVICE | layer 1... | FORWARD | REJECT |
 *      +---------+----------------+-----------+----------+-------+-----------+--------+------------+---------+--------+
 *      |---------------------------------- layer 0 -----------------------------------|
 * </pre>
 *
 * <p>One slot: {@link #WIDTH} longs from {@code base = slot * WIDTH}.
 * <pre>
 *   +0      +--------------------------------------------------------------+
 *           | COUNT: sequence, 2 x records; odd while one is in flight     |
 *   +1      +--------------------------------------------------------------+
 *           | SUM: total nanoseconds (saturates, never wraps)              |
 *   +2      +--------------------------------------------------------------+
 *           | stage field 1  \                                             |
 *   +3      +--------------------------------------------------------------+
 *           | stage field 2   > meaning per stage: see below               |
 *   +4      +--------------------------------------------------------------+
 *           | stage field 3  /                                             |
 *   +5      +--------------------------------------------------------------+
 *           | stage field 4  \  retrieval only: see below                  |
 *   +6      +--------------------------------------------------------------+
 *           | stage field 5  /                                             |
 *   +7      +--------------------------------------------------------------+
 *           | spare                                                        |
 *           +--------------------------------------------------------------+
 *
 *   stage          +2 stage field 1             +3 stage field 2                      +4 stage field 3
 *   CAPTURE        CAPTURE_STATES_CAPTURED      CAPTURE_STATES_STORED                 -
 *   RECONSTRUCTION RECONSTRUCTION_MEMORIES_USED RECONSTRUCTION_QUALITY_SUM_MILLIONTHS RECONSTRUCTION_QUALITY_SAMPLES
 *   RETRIEVAL      RETRIEVAL_CANDIDATES         RETRIEVAL_RETURNED                    RETRIEVAL_CACHE_HITS
 *                  +5 RETRIEVAL_QUALITY_SUM_MILLIONTHS, +6 RETRIEVAL_QUALITY_SAMPLES
 *   EVICTION       EVICTION_ENTRIES             -                                     -
 *   LAYER, SYNC_WAIT, DEVICE, FORWARD: COUNT and SUM only (EVICTION's SUM stays 0: it is not timed)
 *
 *   reject slot: +RejectReason.ordinal() counts the records dropped for that reason (no COUNT, no SUM)
 * </pre>
 * The stage fields are sums over the stage's records. Writers shared by several stages address them by position
 * ({@code STAGE_FIELD_n}, package-private); everyone else reads them by the per-stage names.
 *
 * <p>There is no maximum field: keeping one cost a compare and a store per record. The largest duration is read
 * from the histogram instead (its bucket's highest equivalent value, within 0.78%).
 */
public final class SlotLayout {
    public static final int WIDTH = 8;
    /**
     * The slot's sequence in a thread's array: twice the events recorded, odd while a record is in flight
     * ({@link ThreadRecorder}). In the aggregated totals (readers' copies) it is the events recorded.
     */
    public static final int COUNT = 0;
    /** Total nanoseconds of the slot's durations. */
    public static final int SUM = 1;

    static final int STAGE_FIELD_1 = 2;
    static final int STAGE_FIELD_2 = 3;
    static final int STAGE_FIELD_3 = 4;
    static final int STAGE_FIELD_4 = 5;
    static final int STAGE_FIELD_5 = 6;

    /** States captured (each capture's {@code statesCaptured}). */
    public static final int CAPTURE_STATES_CAPTURED = STAGE_FIELD_1;
    /** States stored (each capture's {@code statesStored}, at most its states captured). */
    public static final int CAPTURE_STATES_STORED = STAGE_FIELD_2;

    /** Memories used (each reconstruction's {@code memoriesUsed}). */
    public static final int RECONSTRUCTION_MEMORIES_USED = STAGE_FIELD_1;
    /** Sum of reconstruction qualities, each in [0, 1], in millionths ({@link Recording#QUALITY_SCALE}). */
    public static final int RECONSTRUCTION_QUALITY_SUM_MILLIONTHS = STAGE_FIELD_2;
    /** Reconstructions that came with a quality (the divisor of the quality sum). */
    public static final int RECONSTRUCTION_QUALITY_SAMPLES = STAGE_FIELD_3;

    /** Candidates (each retrieval's {@code candidates}). */
    public static final int RETRIEVAL_CANDIDATES = STAGE_FIELD_1;
    /** Memories returned (each retrieval's {@code returned}, at most its candidates). */
    public static final int RETRIEVAL_RETURNED = STAGE_FIELD_2;
    /** Retrievals answered from the cache. */
    public static final int RETRIEVAL_CACHE_HITS = STAGE_FIELD_3;
    /**
     * Sum of retrieval qualities, each in [0, 1], in millionths ({@link Recording#QUALITY_SCALE}): the mean
     * similarity of the returned memories to the query, as the retriever reports it.
     */
    public static final int RETRIEVAL_QUALITY_SUM_MILLIONTHS = STAGE_FIELD_4;
    /** Retrievals that came with a quality (the divisor of the quality sum). */
    public static final int RETRIEVAL_QUALITY_SAMPLES = STAGE_FIELD_5;

    /** Buffer entries evicted (COUNT counts eviction events, each of which may evict several). */
    public static final int EVICTION_ENTRIES = STAGE_FIELD_1;

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
