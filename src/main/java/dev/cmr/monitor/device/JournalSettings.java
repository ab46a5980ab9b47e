package dev.cmr.monitor.device;

import java.time.Duration;

/**
 * Sizes and clock re-anchoring of a native device journal.
 *
 * @param poolSize          marks in flight at once (a power of two in [2, 65536]); a mark beyond this is dropped
 *                          and counted, never waited for
 * @param ringCapacity      resolved marks held until drained (a power of two in [2, 65536]); when full, marks stay
 *                          in the pool, which then fills
 * @param reanchorInterval  how often the resolver re-calibrates the device clock against System.nanoTime
 */
public record JournalSettings(int poolSize, int ringCapacity, Duration reanchorInterval) {
    static final int MIN_CAPACITY = 2;
    static final int MAX_CAPACITY = 65536;

    public JournalSettings {
        requirePowerOfTwo("poolSize", poolSize);
        requirePowerOfTwo("ringCapacity", ringCapacity);
        if (reanchorInterval == null || reanchorInterval.isNegative() || reanchorInterval.isZero()) {
            throw new IllegalArgumentException("reanchorInterval must be positive, was " + reanchorInterval);
        }
        if (reanchorInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("reanchorInterval must be at most 1 hour, was " + reanchorInterval);
        }
    }

    /** 1024 marks in flight, 4096 resolved marks held, re-anchor every second. */
    public static JournalSettings defaults() {
        return new JournalSettings(1024, 4096, Duration.ofSeconds(1));
    }

    private static void requirePowerOfTwo(String name, int value) {
        if (value < MIN_CAPACITY || value > MAX_CAPACITY || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(
                    name + " must be a power of two in [" + MIN_CAPACITY + ", " + MAX_CAPACITY + "], was " + value);
        }
    }
}
