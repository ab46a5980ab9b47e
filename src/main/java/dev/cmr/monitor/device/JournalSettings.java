package dev.cmr.monitor.device;

import dev.cmr.monitor.probe.CmrProbe;
import java.time.Duration;

/**
 * Sizes, clock re-anchoring and marker resolution of a native device journal. Immutable; validated on
 * construction (a bad value throws {@link IllegalArgumentException} naming the field).
 *
 * @param poolSize          marks in flight at once (a power of two in [2, 65536]); a mark beyond this is dropped
 *                          and counted, never waited for
 * @param ringCapacity      resolved marks held until drained (a power of two in [2, 65536]); when full, marks stay
 *                          in the pool, which then fills
 * @param reanchorInterval  how often the resolver re-calibrates the device clock against System.nanoTime
 * @param resolveMode       how an OpenCL journal learns that a mark completed ({@link ResolveMode}); CUDA
 *                          journals always poll
 */
public record JournalSettings(int poolSize, int ringCapacity, Duration reanchorInterval, ResolveMode resolveMode) {
    static final int MIN_CAPACITY = CmrProbe.CMRP_MIN_CAPACITY;
    static final int MAX_CAPACITY = CmrProbe.CMRP_MAX_CAPACITY;

    public JournalSettings {
        requirePowerOfTwo("poolSize", poolSize);
        requirePowerOfTwo("ringCapacity", ringCapacity);
        if (reanchorInterval == null || reanchorInterval.isNegative() || reanchorInterval.isZero()) {
            throw new IllegalArgumentException("reanchorInterval must be positive, was " + reanchorInterval);
        }
        if (reanchorInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("reanchorInterval must be at most 1 hour, was " + reanchorInterval);
        }
        if (resolveMode == null) {
            throw new IllegalArgumentException("resolveMode must not be null (POLL or CALLBACK)");
        }
    }

    /** The default resolve mode: polling, because it keeps the mark call on the model's thread at the bare
     * enqueue's cost (benchmarks/README.md, marks). */
    public static final ResolveMode DEFAULT_RESOLVE_MODE = ResolveMode.POLL;

    /** These sizes and interval with the {@link #DEFAULT_RESOLVE_MODE}. */
    public JournalSettings(int poolSize, int ringCapacity, Duration reanchorInterval) {
        this(poolSize, ringCapacity, reanchorInterval, DEFAULT_RESOLVE_MODE);
    }

    /** 1024 marks in flight, 4096 resolved marks held, re-anchor every second, {@link #DEFAULT_RESOLVE_MODE}. */
    public static JournalSettings defaults() {
        return new JournalSettings(1024, 4096, Duration.ofSeconds(1), DEFAULT_RESOLVE_MODE);
    }

    /** A copy with another resolve mode. */
    public JournalSettings withResolveMode(ResolveMode mode) {
        return new JournalSettings(poolSize, ringCapacity, reanchorInterval, mode);
    }

    private static void requirePowerOfTwo(String name, int value) {
        if (value < MIN_CAPACITY || value > MAX_CAPACITY || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(
                    name + " must be a power of two in [" + MIN_CAPACITY + ", " + MAX_CAPACITY + "], was " + value);
        }
    }
}
