package dev.cmr.monitor.profile;

/**
 * The idle gaps of every device queue over all passes of an execution, by kind ({@link GapClassifier}), with the
 * threshold in nanoseconds that separated kernel_wait from other.
 */
public record IdleGaps(long thresholdNanos, Total hostWait, Total kernelWait, Total other) {
    /** How many gaps of a kind, and their summed length in nanoseconds, over all passes. */
    public record Total(long count, long totalNanos) {
        static final Total NONE = new Total(0, 0);

        Total plus(IdleGap gap) {
            return new Total(count + 1, totalNanos + gap.lengthNanos());
        }
    }
}
