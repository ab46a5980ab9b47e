package dev.cmr.monitor.engine;

import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HealthEvaluator;
import dev.cmr.monitor.health.HealthPolicy;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthSample;
import dev.cmr.monitor.health.HealthTracker;
import dev.cmr.monitor.health.HookLoad;
import dev.cmr.monitor.health.HostReading;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Health evaluation over snapshots: assembles a {@link HealthSample} from the stats, the live window of the time
 * series and the hook, host and device inputs, hands it to the {@link HealthTracker}, and feeds every report's
 * metrics to the alert manager. Whether the health check runs on schedule is a flag here; the facade owns the
 * thread that runs it.
 *
 * <p>Inputs: a source the user set wins; without one, {@link DefaultHealthInputs} derives the reading from the hook
 * gauge or the resource samplers' values. A source that throws is counted as an error of its component
 * ({@code hook_source}, {@code hook_gauge}, {@code host_source}, {@code device_source}) and gives no reading.
 *
 * <p>Threading: every method may be called from any thread; evaluations are serialized by the tracker and never
 * touch the record path. Listeners and alert channels run on the evaluating thread.
 */
public final class HealthMonitoring {
    private final Supplier<MonitorStats> stats;
    private final LiveWindow window;
    private final PolledGauges gauges;
    private final ErrorCounter errors;
    private final Clock clock;
    private final HealthTracker health;
    private final AlertManager alerts;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile HookLoad.Source hookSource;
    private volatile HostReading.Source hostSource;
    private volatile DeviceReading.Source deviceSource;

    /** Subscribes {@code alerts} to every health report. */
    public HealthMonitoring(MonitoringConfig config, Supplier<MonitorStats> stats, LiveWindow window,
                            PolledGauges gauges, AlertManager alerts, ErrorCounter errors, Clock clock,
                            LongSupplier nanoClock) {
        this.stats = stats;
        this.window = window;
        this.gauges = gauges;
        this.alerts = alerts;
        this.errors = errors;
        this.clock = clock;
        this.health = new HealthTracker(new HealthEvaluator(new HealthPolicy(config.highLatencySeconds(),
                config.lowEfficiency(), config.highErrorRate(), config.degradationRatio())), window.millis(),
                config.maxHistorySize(), clock.millis(), errors::record);
        health.addListener(report -> alerts.evaluate(nanoClock.getAsLong(), report.metrics()));
    }

    /** Marks the health check as scheduled; true only for the first call, which must schedule it. */
    public boolean schedule() {
        return scheduled.compareAndSet(false, true);
    }

    public boolean isScheduled() {
        return scheduled.get();
    }

    /** The latest report, or null before the first evaluation. */
    public HealthReport latest() {
        return health.latest();
    }

    public HealthReport evaluate() {
        return health.evaluate(sample());
    }

    public List<HealthReport> history() {
        return health.history();
    }

    public void addListener(Consumer<HealthReport> listener) {
        health.addListener(listener);
    }

    public boolean removeListener(Consumer<HealthReport> listener) {
        return health.removeListener(listener);
    }

    public AlertManager alerts() {
        return alerts;
    }

    public void setHookSource(HookLoad.Source source) {
        this.hookSource = source;
    }

    public void setHostSource(HostReading.Source source) {
        this.hostSource = source;
    }

    public void setDeviceSource(DeviceReading.Source source) {
        this.deviceSource = source;
    }

    /** Clears the health reports; the facade runs it under the snapshot service's reset lock. */
    public void reset() {
        health.reset(clock.millis());
    }

    private HealthSample sample() {
        MonitorStats s = stats.get();
        long now = clock.millis();
        LiveWindow.Pair windows = window.recentAndBaseline(now);
        Map<String, Long> errorsByHealthComponent = new HashMap<>();
        s.errorsByComponent().forEach((component, byType) -> {
            String target = HealthEvaluator.componentOfError(component);
            if (target != null) {
                long n = byType.values().stream().mapToLong(Long::longValue).sum();
                errorsByHealthComponent.merge(target, n, Long::sum);
            }
        });
        return new HealthSample(now, windows.recent(), windows.baseline(),
                s.efficiency().reconstructionQuality(), errorsByHealthComponent, s.totalCaptures(),
                s.retrieval().totalRetrievals(), s.totalReconstructions(), s.totalForwards(),
                s.totalForwardNanos(),
                hookSource != null ? errors.readOrNull("hook_source", hookSource, HookLoad.Source::read)
                        : errors.readOrNull("hook_gauge", gauges.hookGauge(), DefaultHealthInputs::hooks),
                hostSource != null ? errors.readOrNull("host_source", hostSource, HostReading.Source::read)
                        : DefaultHealthInputs.host(s.resources()),
                deviceSource != null ? errors.readOrNull("device_source", deviceSource, DeviceReading.Source::read)
                        : DefaultHealthInputs.device(s.resources(), s.device()));
    }
}
