package dev.cmr.monitor.export.micrometer;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.health.ComponentHealth;
import dev.cmr.monitor.health.HealthComponent;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.record.RejectReason;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.LatencySummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The monitor's metrics as Micrometer meters, for applications that already publish through Micrometer (Spring Boot
 * and others): {@code new CmrMonitorMetrics(monitor).bindTo(registry)}. Every meter reads the monitor when the
 * registry reads it; nothing is recorded twice. Meters (Micrometer names; a Prometheus registry writes them snake
 * case with {@code _total} / {@code _seconds}):
 * <ul>
 *   <li>{@code cmr.stage.duration} function timers per {@code stage} (count and total time since the last reset),
 *       and time gauges {@code cmr.stage.duration.p99} per stage;
 *   <li>function counters {@code cmr.captures}, {@code cmr.reconstructions}, {@code cmr.retrievals},
 *       {@code cmr.retrieval.cache.hits}, {@code cmr.buffer.evictions}, {@code cmr.errors},
 *       {@code cmr.rejected.records} per {@code reason};
 *   <li>gauges (ratios in [0, 1], NaN without data): {@code cmr.buffer.utilization},
 *       {@code cmr.capture.efficiency}, {@code cmr.storage.efficiency}, {@code cmr.reconstruction.quality},
 *       {@code cmr.retrieval.cache.hit.ratio}; {@code cmr.buffer.entries}; {@code cmr.health.score} per
 *       {@code component} (HealthComponent keys and {@code system}, NaN with NO_DATA).
 * </ul>
 * Per-layer series stay with the Prometheus collector ({@code dev.cmr.monitor.export.prometheus}).
 *
 * <p>One registry read touches many meters, so the stats snapshot is shared between reads less than
 * {@link #MAX_SNAPSHOT_AGE_NANOS} apart. Health is read without evaluating (the latest report). Thread-safe.
 */
public final class CmrMonitorMetrics implements MeterBinder {
    /** Meters read within this many nanoseconds of each other see the same stats snapshot. */
    static final long MAX_SNAPSHOT_AGE_NANOS = 100_000_000L;

    private final CmrPerformanceMonitor monitor;
    private final List<Tag> tags;
    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    // Guarded by lock.
    private MonitorStats cached;
    private long cachedAtNanos;

    public CmrMonitorMetrics(CmrPerformanceMonitor monitor) {
        this(monitor, List.of());
    }

    /** @param tags added to every meter (for example the model's name) */
    public CmrMonitorMetrics(CmrPerformanceMonitor monitor, Iterable<Tag> tags) {
        this(monitor, tags, System::nanoTime);
    }

    CmrMonitorMetrics(CmrPerformanceMonitor monitor, Iterable<Tag> tags, LongSupplier nanoClock) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.tags = java.util.stream.StreamSupport.stream(tags.spliterator(), false).toList();
        this.nanoClock = nanoClock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Stage stage : MonitorStats.TIMED) {
            FunctionTimer.builder("cmr.stage.duration", this,
                            m -> m.latency(stage).count(), m -> m.latency(stage).totalNanos(), TimeUnit.NANOSECONDS)
                    .description("Duration of each CMR stage event over all layers").tags(tags)
                    .tag("stage", stage.key()).register(registry);
            TimeGauge.builder("cmr.stage.duration.p99", this, TimeUnit.NANOSECONDS,
                            m -> m.latency(stage).p99Nanos())
                    .description("99th percentile of the stage's duration since the last reset").tags(tags)
                    .tag("stage", stage.key()).register(registry);
        }
        counter(registry, "cmr.captures", "Capture events recorded", s -> s.totalCaptures());
        counter(registry, "cmr.reconstructions", "Reconstruction events recorded", s -> s.totalReconstructions());
        counter(registry, "cmr.retrievals", "Memory retrievals", s -> s.retrieval().totalRetrievals());
        counter(registry, "cmr.retrieval.cache.hits", "Retrievals answered from the retrieval cache",
                s -> s.retrieval().cacheHits());
        counter(registry, "cmr.buffer.evictions", "Memory buffer entries evicted", s -> s.buffer().evictionCount());
        counter(registry, "cmr.errors", "Errors recorded by the monitor", s -> s.totalErrors());
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("cmr.rejected.records", this,
                            m -> m.stats().rejectedRecords().getOrDefault(reason.key(), 0L))
                    .description("Records the monitor rejected as invalid").tags(tags).tag("reason", reason.key())
                    .register(registry);
        }
        gauge(registry, "cmr.buffer.utilization", "Memory buffer entries over capacity",
                s -> orNaN(s.buffer().utilizationRate()));
        gauge(registry, "cmr.buffer.entries", "Entries resident in the memory buffer",
                s -> s.buffer().totalEntries() == null ? Double.NaN : s.buffer().totalEntries());
        gauge(registry, "cmr.capture.efficiency", "States stored over states captured",
                s -> orNaN(s.efficiency().captureEfficiency()));
        gauge(registry, "cmr.storage.efficiency", "Stored states not evicted over states stored",
                s -> orNaN(s.efficiency().storageEfficiency()));
        gauge(registry, "cmr.reconstruction.quality", "Mean reconstruction quality",
                s -> orNaN(s.efficiency().reconstructionQuality()));
        gauge(registry, "cmr.retrieval.cache.hit.ratio", "Retrieval cache hits over retrievals",
                s -> orNaN(s.efficiency().cacheHitRate()));
        for (String component : HealthComponent.scoredKeys()) {
            Gauge.builder("cmr.health.score", this, m -> m.healthScore(component))
                    .description("Health score 0-100 (system: the lowest); NaN with NO_DATA").tags(tags)
                    .tag("component", component).register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<MonitorStats> f) {
        FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.stats())).description(help).tags(tags)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<MonitorStats> f) {
        Gauge.builder(name, this, m -> f.applyAsDouble(m.stats())).description(help).tags(tags).register(registry);
    }

    private LatencySummary latency(Stage stage) {
        return stats().timing(stage).overall();
    }

    /** The monitor's stats, shared between reads less than {@link #MAX_SNAPSHOT_AGE_NANOS} apart. */
    MonitorStats stats() {
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            if (cached == null || now - cachedAtNanos >= MAX_SNAPSHOT_AGE_NANOS) {
                cached = monitor.getStats();
                cachedAtNanos = now;
            }
            return cached;
        }
    }

    private double healthScore(String component) {
        HealthReport report = latestHealth();
        if (report == null) {
            return Double.NaN;
        }
        if (component.equals(HealthReport.SYSTEM)) {
            return report.score() == null ? Double.NaN : report.score();
        }
        ComponentHealth c = report.components().get(component);
        return c == null || c.score() == null ? Double.NaN : c.score();
    }

    private HealthReport latestHealth() {
        if (monitor.isRealTimeMonitoring()) {
            return monitor.getHealth();
        }
        List<HealthReport> history = monitor.getHealthHistory();
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
