package dev.cmr.monitor.resources;

/**
 * A source of resource gauges (host CPU and memory, JVM, one GPU through NVML), polled off the hot path by the
 * sampler thread at the configured interval.
 *
 * <p>Contract: {@link #sample(long)} is called from one thread at a time, may take up to a few milliseconds, and
 * never throws; a source that cannot read anything returns {@code null} and says why in {@link #lastError()}.
 */
public interface ResourceSampler extends AutoCloseable {
    /** Stable name of the source, used as a prefix in exports: {@code host}, {@code jvm}, {@code nvml0}. */
    String name();

    /** Reads the current values; {@code nowNanos} is the System.nanoTime at which the poll started. */
    ResourceSample sample(long nowNanos);

    /** Why the last sample failed or was partial, or null. */
    String lastError();

    @Override
    void close();
}
