package dev.cmr.monitor;

import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HealthEvaluator;
import dev.cmr.monitor.health.HealthPolicy;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthSample;
import dev.cmr.monitor.health.HealthTracker;
import dev.cmr.monitor.health.HookReading;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.health.IntervalWindow;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The real-time side of the monitor, built on {@link Snapshots}: health evaluation (a {@link HealthSample} assembled
 * from the stats, the time series and the hook, host and device inputs; then {@link HealthTracker}), the alert
 * manager fed with every report's metrics, live-window stats, and the blocks opened with
 * {@code trackPerformance}. Whether the health check runs on schedule is a flag here; the facade owns the collector
 * thread that runs it.
 *
 * <p>Inputs: a source the user set wins; without one, {@link HealthInputs} derives the reading from the hook gauge
 * or the resource samplers' values. A source that throws is counted as an error of its component
 * ({@code hook_source}, {@code hook_gauge}, {@code host_source}, {@code device_source}) and gives no reading.
 *
 * <p>Threading: every method may be called from any thread; evaluations are serialized by the tracker and never
 * touch the record path. Listeners and alert channels run on the evaluating thread.
 */
final class RealTimeMonitoring {
    private final MonitoringConfig config;
    private final Snapshots snapshots;
    private final GaugeRegistry gauges;
    private final ErrorCounter errors;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final HealthTracker health;
    private final AlertManager alerts;
    private final TrackedOperations tracked = new TrackedOperations();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile HookReading.Source hookSource;
    private volatile HostReading.Source hostSource;
    private volatile DeviceReading.Source deviceSource;

    /** Subscribes {@code alerts} to every health report. */
    RealTimeMonitoring(MonitoringConfig config, Snapshots snapshots, GaugeRegistry gauges, AlertManager alerts,
                       ErrorCounter errors, Clock clock, LongSupplier nanoClock) {
        this.config = config;
        this.snapshots = snapshots;
        this.gauges = gauges;
        this.alerts = alerts;
        this.errors = errors;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.health = new HealthTracker(new HealthEvaluator(new HealthPolicy(config.highLatencySeconds(),
                config.lowEfficiency(), config.highErrorRate(), config.degradationRatio())), liveWindowMillis(),
                config.maxHistorySize(), clock.millis(), errors::record);
        health.addListener(report -> alerts.evaluate(nanoClock.getAsLong(), report.metrics()));
    }

    /** Marks the health check as scheduled; true only for the first call, which must schedule it. */
    boolean schedule() {
        return scheduled.compareAndSet(false, true);
    }

    boolean isScheduled() {
        return scheduled.get();
    }

    // ---- health ----

    /** The latest report, or null before the first evaluation. */
    HealthReport latestHealth() {
        return health.latest();
    }

    HealthReport evaluateHealth() {
        return health.evaluate(healthSample());
    }

    List<HealthReport> healthHistory() {
        return health.history();
    }

    void addHealthListener(Consumer<HealthReport> listener) {
        health.addListener(listener);
    }

    boolean removeHealthListener(Consumer<HealthReport> listener) {
        return health.removeListener(listener);
    }

    AlertManager alerts() {
        return alerts;
    }

    void setHookSource(HookReading.Source source) {
        this.hookSource = source;
    }

    void setHostSource(HostReading.Source source) {
        this.hostSource = source;
    }

    void setDeviceSource(DeviceReading.Source source) {
        this.deviceSource = source;
    }

    // ---- live stats and tracked blocks ----

    LiveStats liveStats() {
        long now = clock.millis();
        return LiveStats.of(now, IntervalWindow.between(recentHistory(), now - liveWindowMillis(), now));
    }

    PerformanceScope track(CmrPerformanceMonitor monitor, String name) {
        return new PerformanceScope(monitor, tracked, tracked.resolve(name), nanoClock);
    }

    Map<String, TrackedStats> trackedStats() {
        return tracked.snapshot();
    }

    /** Clears tracked blocks and health reports; {@link Snapshots#reset} runs it under its lock. */
    void reset() {
        tracked.reset();
        health.reset(clock.millis());
    }

    // ---- health sample assembly ----

    private HealthSample healthSample() {
        MonitorStats stats = snapshots.stats();
        long now = clock.millis();
        long window = liveWindowMillis();
        List<IntervalSnapshot> series = recentHistory();
        Map<String, Long> errorsByHealthComponent = new HashMap<>();
        stats.errorsByComponent().forEach((component, byType) -> {
            String target = HealthEvaluator.componentOfError(component);
            if (target != null) {
                long n = byType.values().stream().mapToLong(Long::longValue).sum();
                errorsByHealthComponent.merge(target, n, Long::sum);
            }
        });
        return new HealthSample(now, IntervalWindow.between(series, now - window, now),
                IntervalWindow.between(series, now - 2 * window, now - window),
                stats.efficiency().reconstructionQuality(), errorsByHealthComponent, stats.totalCaptures(),
                stats.retrieval().totalRetrievals(), stats.totalReconstructions(), stats.totalForwards(),
                stats.totalForwardNanos(),
                hookSource != null ? read("hook_source", hookSource, HookReading.Source::read)
                        : read("hook_gauge", gauges.hookGauge(), HealthInputs::hooks),
                hostSource != null ? read("host_source", hostSource, HostReading.Source::read)
                        : HealthInputs.host(stats.resources()),
                deviceSource != null ? read("device_source", deviceSource, DeviceReading.Source::read)
                        : HealthInputs.device(stats.resources(), stats.device()));
    }

    /** A source that throws is counted as an error of its component and gives no reading. */
    private <S, R> R read(String component, S source, Function<S, R> reader) {
        if (source == null) {
            return null;
        }
        try {
            return reader.apply(source);
        } catch (RuntimeException e) {
            errors.record(component, e);
            return null;
        }
    }

    /**
     * The window length in milliseconds: {@code live_window}, but never shorter than one collection interval, so
     * that a window always reaches back to the newest closed interval.
     */
    private long liveWindowMillis() {
        return Math.max(Math.round(config.liveWindowSeconds() * 1e3),
                Math.round(config.metricCollectionIntervalSeconds() * 1e3));
    }

    /** Raw entries enough to cover the recent and the baseline window. */
    private List<IntervalSnapshot> recentHistory() {
        double intervalsPerWindow = liveWindowMillis() / (config.metricCollectionIntervalSeconds() * 1e3);
        int n = (int) Math.min(config.maxHistorySize(), 2 * Math.ceil(intervalsPerWindow) + 2);
        return snapshots.recentHistory(n);
    }
}
