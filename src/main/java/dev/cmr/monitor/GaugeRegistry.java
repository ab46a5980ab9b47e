package dev.cmr.monitor;

import dev.cmr.monitor.device.HostSampler;
import dev.cmr.monitor.device.JvmSampler;
import dev.cmr.monitor.device.ResourceSampler;
import dev.cmr.monitor.device.ResourceSampling;
import dev.cmr.monitor.store.BufferGauge;
import dev.cmr.monitor.store.BufferReading;
import dev.cmr.monitor.store.HookGauge;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the monitor polls rather than being told: the memory buffer's and the hook manager's gauges, the
 * component-health source of diagnostics, and the resource samplers (host, JVM, and any added) with their sampler
 * thread. A gauge that throws is counted as an error of its component and reads as absent.
 *
 * <p>Threading: the setters may be called from any thread at any time (volatile fields; a reader sees the old or
 * the new gauge). Reads run on the reading thread (a caller of {@code getStats}, or the collector) and may block
 * only as long as the gauge does; {@link #resources} never waits for the sampler thread.
 */
final class GaugeRegistry implements AutoCloseable {
    private final ErrorCounter errors;
    private final ResourceSampling sampling; // null when resource sampling is disabled
    private volatile BufferGauge bufferGauge;
    private volatile HookGauge hookGauge;
    private volatile Supplier<? extends Map<String, ?>> componentHealth;

    /** Starts the sampler thread when {@code enable_resource_sampling} is on. */
    GaugeRegistry(MonitoringConfig config, ErrorCounter errors) {
        this.errors = errors;
        this.sampling = config.enableResourceSampling()
                ? new ResourceSampling(config.resourceSamplingIntervalNanos(),
                        List.of(new HostSampler(), new JvmSampler()))
                : null;
    }

    void setBufferGauge(BufferGauge gauge) {
        this.bufferGauge = gauge;
    }

    BufferGauge bufferGauge() {
        return bufferGauge;
    }

    void setHookGauge(HookGauge gauge) {
        this.hookGauge = gauge;
    }

    HookGauge hookGauge() {
        return hookGauge;
    }

    void setComponentHealthSource(Supplier<? extends Map<String, ?>> source) {
        this.componentHealth = source;
    }

    /** The user's component-health source; null when none is set. */
    Supplier<? extends Map<String, ?>> componentHealthSource() {
        return componentHealth;
    }

    /** See {@link CmrPerformanceMonitor#addResourceSampler}. */
    void addResourceSampler(ResourceSampler sampler) {
        if (sampling == null) {
            throw new IllegalStateException("resource sampling is disabled (enable_resource_sampling = false)");
        }
        sampling.add(sampler);
    }

    /** The buffer gauge's reading; null without a gauge or when it throws (counted as {@code buffer_gauge}). */
    BufferReading readBuffer() {
        BufferGauge gauge = bufferGauge;
        if (gauge == null) {
            return null;
        }
        try {
            return gauge.read();
        } catch (RuntimeException e) {
            errors.record("buffer_gauge", e);
            return null;
        }
    }

    /** The samplers' latest values, read without waiting for the sampler thread; empty when sampling is off. */
    Map<String, Double> resources(long nowNanos) {
        return sampling == null ? Map.of() : sampling.latestValues(nowNanos);
    }

    /** Polls and failures per sampler; empty when sampling is off. */
    List<ResourceSampling.Status> samplerStatus() {
        return sampling == null ? List.of() : sampling.status();
    }

    /** Stops the sampler thread and closes the samplers. */
    @Override
    public void close() {
        if (sampling != null) {
            sampling.close();
        }
    }
}
