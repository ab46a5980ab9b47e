package dev.cmr.monitor.health;

/**
 * The limits health judges against: the configured thresholds ({@code alert_thresholds.*},
 * {@code degradation_ratio}) plus fixed bands for numbers the configuration has no key for. A configured threshold
 * {@code t} marks YELLOW when crossed and RED when crossed twice over ({@code 2t} for higher-is-worse, {@code t/2}
 * for lower-is-worse).
 *
 * @param highLatencySeconds p99 of a stage above which it is slow
 * @param lowEfficiency      capture efficiency, cache hit rate and reconstruction quality below which they are low
 * @param highErrorRate      errors per operation (hooks: per call) above which they are too many
 * @param degradationRatio   recent over baseline p99 above which a stage is degraded
 */
public record HealthPolicy(double highLatencySeconds, double lowEfficiency, double highErrorRate,
                           double degradationRatio) {
    /** Evictions per insert: a buffer that evicts one entry for every ten it stores is churning. */
    public static final double EVICTIONS_PER_INSERT_YELLOW = 0.1;
    /** Evictions per insert: half of what is stored is thrown out again; the buffer is too small. */
    public static final double EVICTIONS_PER_INSERT_RED = 0.5;
    /** Buffer utilization at which further inserts evict; never RED by itself (a full LRU buffer is normal). */
    public static final double BUFFER_UTILIZATION_YELLOW = 0.95;
    /** Share of forward-pass time spent inside hooks. */
    public static final double HOOK_OVERHEAD_YELLOW = 0.10;
    public static final double HOOK_OVERHEAD_RED = 0.25;
    public static final double HOST_CPU_YELLOW = 0.90;
    public static final double HOST_CPU_RED = 0.98;
    public static final double MEMORY_YELLOW = 0.90;
    public static final double MEMORY_RED = 0.97;
    /** Degradation needs this many records of the stage in each window, and two intervals with records in each. */
    public static final long MIN_DEGRADATION_SAMPLES = 20;
    public static final int MIN_DEGRADATION_INTERVALS = 2;

    public HealthPolicy {
        if (!(highLatencySeconds > 0)) {
            throw new IllegalArgumentException("highLatencySeconds must be > 0, was " + highLatencySeconds);
        }
        if (!(lowEfficiency >= 0 && lowEfficiency <= 1)) {
            throw new IllegalArgumentException("lowEfficiency must be in [0, 1], was " + lowEfficiency);
        }
        if (!(highErrorRate >= 0 && highErrorRate <= 1)) {
            throw new IllegalArgumentException("highErrorRate must be in [0, 1], was " + highErrorRate);
        }
        if (!(degradationRatio > 1)) {
            throw new IllegalArgumentException("degradationRatio must be > 1, was " + degradationRatio);
        }
    }
}
