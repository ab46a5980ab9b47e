package dev.cmr.monitor.record;

/**
 * Why a record was dropped. The record path never throws into the model; it counts the record here instead, and
 * {@code MonitorStats.rejectedRecords()} reports the counts under {@link #key()}.
 */
public enum RejectReason {
    /** A layer index outside {@code [0, max_layers)}. */
    LAYER_OUT_OF_RANGE("layer_out_of_range"),
    /** A duration below zero. */
    NEGATIVE_DURATION("negative_duration"),
    /** A state, memory, candidate or eviction count below zero. */
    NEGATIVE_COUNT("negative_count"),
    /** More states stored than captured, or more memories returned than candidates. */
    INCONSISTENT_COUNTS("inconsistent_counts"),
    /** A reconstruction or retrieval quality outside {@code [0, 1]} (NaN stands for none and is accepted). */
    INVALID_QUALITY("invalid_quality");

    private final String key;

    RejectReason(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
