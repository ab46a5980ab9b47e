package dev.cmr.monitor.profile;

/**
 * What a comparison concluded about one metric. The declaration order is the order of {@link ProfileComparison}'s
 * rows: what needs attention first.
 */
public enum ChangeStatus {
    /** The whole interval of current / baseline lies above 1 + threshold. */
    REGRESSION,
    /** The whole interval of baseline / current lies above 1 + threshold. */
    IMPROVEMENT,
    /** Only in the current run. */
    ADDED,
    /** Only in the baseline. */
    REMOVED,
    /** Fewer than the minimum of samples on a side. */
    NOT_ENOUGH_DATA,
    /** Both medians lie below the noise floor, where timer noise dominates. */
    NOT_JUDGED,
    /** Judged, and neither a regression nor an improvement: no change beyond the threshold is supported. */
    UNCHANGED;

    /** Whether the bootstrap ran, so that the change's interval is known. */
    public boolean judged() {
        return this == REGRESSION || this == IMPROVEMENT || this == UNCHANGED;
    }
}
