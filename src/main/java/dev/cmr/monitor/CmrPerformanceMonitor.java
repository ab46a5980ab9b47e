package dev.cmr.monitor;

import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.device.DeviceTimeline;
import dev.cmr.monitor.device.LayerDeviceTimes;
import dev.cmr.monitor.device.HostSampler;
import dev.cmr.monitor.device.JvmSampler;
import dev.cmr.monitor.device.ResourceSampler;
import dev.cmr.monitor.device.ResourceSampling;
import dev.cmr.monitor.diagnose.Diagnostics;
import dev.cmr.monitor.diagnose.DiagnosticsOptions;
import dev.cmr.monitor.diagnose.DiagnosticsReport;
import dev.cmr.monitor.record.CaptureRecorder;
import dev.cmr.monitor.record.EvictionRecorder;
import dev.cmr.monitor.record.DurationRecorder;
import dev.cmr.monitor.record.ReconstructionRecorder;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.RetrievalRecorder;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.Aggregator;
import dev.cmr.monitor.store.BufferGauge;
import dev.cmr.monitor.store.BufferReading;
import dev.cmr.monitor.store.Collector;
import dev.cmr.monitor.store.CumulativeSnapshot;
import dev.cmr.monitor.store.HookGauge;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.TieredHistory;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HealthEvaluator;
import dev.cmr.monitor.health.HealthPolicy;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthSample;
import dev.cmr.monitor.health.HealthTracker;
import dev.cmr.monitor.health.HookReading;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.health.IntervalWindow;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Performance monitor for Contextual Memory Reweaving inference: the seed's {@code CMRPerformanceMonitor} API on a
 * wait-free recording core.
 *
 * <p>Record methods ({@code record*}, except {@code recordError}) may be called from any number of threads. They
 * never throw, block, or read a clock; after a thread's first record (which registers it under a lock) they never
 * lock, and they allocate only when a thread first uses a (stage, layer) and when that slot first sees a duration
 * above 16.8 ms. Callers pass durations; invalid values are dropped and counted in
 * {@link MonitorStats#rejectedRecords()}. Beware the seconds overloads: an integer literal such as
 * {@code recordCapture(2, 5, 1)} binds to the nanosecond form; write {@code 1.0} for seconds. Each thread counts into memory of its
 * own; {@link #getStats()} sums those and reflects every record that happened-before the call.
 *
 * <p>A daemon thread closes an interval every {@code metric_collection_interval} into a bounded time series
 * ({@link #getHistory()}) from construction on; {@link #close()} stops it. Statistics of a closed monitor can still
 * be read.
 *
 * <p>Real time ({@link #enableRealTimeMonitoring()}, or {@code enable_real_time} at construction) adds the health
 * check to that thread, every {@code health_check_interval}: it evaluates health from snapshots (never on the record
 * path), keeps the report in a bounded history and hands it to the {@link #addHealthListener health listeners}.
 * Without it, health is evaluated only when asked ({@link #getHealth()}, {@link #evaluateHealth()}).
 * {@link #getLiveStats()} and {@link #trackPerformance} work either way.
 *
 * <p>With {@code enable_resource_sampling} (the default) a second daemon thread polls resource samplers (host CPU
 * and memory, JVM heap and GC, and any added with {@link #addResourceSampler(ResourceSampler)}) every
 * {@code resource_sampling_interval}; each closed interval carries their latest values, and so does
 * {@link #getStats()}.
 */
public final class CmrPerformanceMonitor implements AutoCloseable {
    /** Intervals the {@code recent} window of each stage covers. */
    static final int RECENT_INTERVALS = 10;
    /** Marks taken from a device timeline per drain round. */
    static final int DEVICE_BATCH = 1024;
    /** Layer start marks that may wait for their end marks across drains. */
    static final int DEVICE_PENDING_STARTS = 65_536;

    private final MonitoringConfig config;
    private final Recording recording;
    private final Aggregator aggregator;
    private final TieredHistory history;
    private final ErrorCounter errors = new ErrorCounter();
    private final Collector collector;
    private final ResourceSampling sampling; // null when resource sampling is disabled
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final HealthTracker health;
    private final AlertManager alerts;
    private final TrackedOperations tracked = new TrackedOperations();
    private final AtomicBoolean realTime = new AtomicBoolean();
    private volatile boolean closed;
    private volatile BufferGauge bufferGauge;
    private volatile LayerDeviceTimes deviceTimes;
    private volatile HookGauge hookGauge;
    private volatile Supplier<? extends Map<String, ?>> componentHealth;
    private volatile HookReading.Source hookSource;
    private volatile HostReading.Source hostSource;
    private volatile DeviceReading.Source deviceSource;
    private volatile long resetAtNanos;

    public CmrPerformanceMonitor() {
        this(MonitoringConfig.defaults());
    }

    public CmrPerformanceMonitor(MonitoringConfig config) {
        this(config, Clock.systemUTC(), System::nanoTime);
    }

    /** With injectable clocks: {@code clock} for epoch milliseconds (intervals, windows), {@code nanoClock} for durations. */
    CmrPerformanceMonitor(MonitoringConfig config, Clock clock, LongSupplier nanoClock) {
        this.config = config;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.recording = new Recording(new SlotLayout(config.maxLayers()));
        this.aggregator = new Aggregator(recording, nanoClock, clock.millis());
        this.history = new TieredHistory(config.maxHistorySize());
        this.resetAtNanos = nanoClock.getAsLong();
        this.health = new HealthTracker(new HealthEvaluator(new HealthPolicy(config.highLatencySeconds(),
                config.lowEfficiency(), config.highErrorRate(), config.degradationRatio())), liveWindowMillis(),
                config.maxHistorySize(), clock.millis(), errors::record);
        // Built here so that an alert channel misconfiguration (file without alert_file) fails at startup.
        this.alerts = AlertManager.builder(config.alertSettings()).wallClock(clock).nanoClock(nanoClock).build();
        health.addListener(report -> alerts.evaluate(nanoClock.getAsLong(), report.metrics()));
        // Before the collector: its first interval may already close.
        this.sampling = config.enableResourceSampling()
                ? new ResourceSampling(config.resourceSamplingIntervalNanos(),
                        List.of(new HostSampler(), new JvmSampler()))
                : null;
        this.collector = new Collector(config.metricCollectionIntervalNanos(), this::collectInterval,
                e -> errors.record("collector", e));
        if (config.enableRealTime()) {
            enableRealTimeMonitoring();
        }
    }

    public MonitoringConfig config() {
        return config;
    }

    Recording recording() {
        return recording;
    }

    // ---- record path ----

    /** A capture where every captured state was stored (the seed's three-argument form). */
    public void recordCapture(int layerIdx, int statesStored, long captureNanos) {
        recording.recordCapture(layerIdx, statesStored, statesStored, captureNanos);
    }

    public void recordCapture(int layerIdx, int statesCaptured, int statesStored, long captureNanos) {
        recording.recordCapture(layerIdx, statesCaptured, statesStored, captureNanos);
    }

    /** Seed form with seconds, e.g. {@code recordCapture(4, 10, 0.002)}. */
    public void recordCapture(int layerIdx, int statesStored, double captureSeconds) {
        recording.recordCapture(layerIdx, statesStored, statesStored, nanos(captureSeconds));
    }

    public void recordReconstruction(int layerIdx, int memoriesUsed, long reconstructionNanos) {
        recording.recordReconstruction(layerIdx, memoriesUsed, reconstructionNanos, Double.NaN);
    }

    /** With the reconstructor's quality measure, in [0, 1]; it feeds {@code reconstruction_quality}. */
    public void recordReconstruction(int layerIdx, int memoriesUsed, long reconstructionNanos, double quality) {
        recording.recordReconstruction(layerIdx, memoriesUsed, reconstructionNanos, quality);
    }

    public void recordReconstruction(int layerIdx, int memoriesUsed, double reconstructionSeconds) {
        recording.recordReconstruction(layerIdx, memoriesUsed, nanos(reconstructionSeconds), Double.NaN);
    }

    public void recordRetrieval(int layerIdx, int candidates, int returned, boolean cacheHit, long retrievalNanos) {
        recording.recordRetrieval(layerIdx, candidates, returned, cacheHit, retrievalNanos);
    }

    public void recordRetrieval(int layerIdx, int candidates, int returned, boolean cacheHit, double retrievalSeconds) {
        recording.recordRetrieval(layerIdx, candidates, returned, cacheHit, nanos(retrievalSeconds));
    }

    public void recordEviction(int layerIdx, int count) {
        recording.recordEviction(layerIdx, count);
    }

    /** Host time of one transformer block, enter to exit. */
    public void recordLayer(int layerIdx, long layerNanos) {
        recording.recordLayer(layerIdx, layerNanos);
    }

    /**
     * Host time one layer spent blocked inside device calls (queue finish, blocking read, event synchronize); part of
     * its {@link #recordLayer layer} time, so {@code layer - sync_wait} is the layer's launch and Java work.
     */
    public void recordSyncWait(int layerIdx, long syncWaitNanos) {
        recording.recordSyncWait(layerIdx, syncWaitNanos);
    }

    /** Device execution time of one layer, from its start and end marks on the device clock. */
    public void recordDeviceTime(int layerIdx, long deviceNanos) {
        recording.recordDeviceTime(layerIdx, deviceNanos);
    }

    public void recordForward(long forwardNanos) {
        recording.recordForward(forwardNanos);
    }

    public void recordForward(double forwardSeconds) {
        recording.recordForward(nanos(forwardSeconds));
    }

    /**
     * Counts an error under its component and exception class. Not part of the allocation-free path: the first
     * error of a new (component, class) pair allocates its counter.
     */
    public void recordError(String component, Throwable error) {
        errors.record(component, error);
    }

    /**
     * Negative, NaN or infinite seconds become a negative duration, which the record path rejects and counts under
     * {@code negative_duration}.
     */
    private static long nanos(double seconds) {
        return seconds >= 0 && seconds < Double.POSITIVE_INFINITY ? Math.round(seconds * 1e9) : -1;
    }

    // ---- pre-bound handles: resolve once per layer, call per event ----

    /** @throws IllegalArgumentException if {@code layerIdx} is outside {@code [0, max_layers)} */
    public CaptureRecorder captureRecorder(int layerIdx) {
        return recording.captureRecorder(layerIdx);
    }

    public ReconstructionRecorder reconstructionRecorder(int layerIdx) {
        return recording.reconstructionRecorder(layerIdx);
    }

    public RetrievalRecorder retrievalRecorder(int layerIdx) {
        return recording.retrievalRecorder(layerIdx);
    }

    public DurationRecorder layerRecorder(int layerIdx) {
        return recording.durationRecorder(Stage.LAYER, layerIdx);
    }

    /** Handle for the host time one layer spends blocked on the device (finish, blocking read, synchronize). */
    public DurationRecorder syncWaitRecorder(int layerIdx) {
        return recording.durationRecorder(Stage.SYNC_WAIT, layerIdx);
    }

    /** Handle for one layer's device time; the device timeline's drain records through it. */
    public DurationRecorder deviceTimeRecorder(int layerIdx) {
        return recording.durationRecorder(Stage.DEVICE, layerIdx);
    }

    public EvictionRecorder evictionRecorder(int layerIdx) {
        return recording.evictionRecorder(layerIdx);
    }

    // ---- gauges ----

    /** The memory buffer's gauge, polled at every snapshot; null removes it. */
    public void setBufferGauge(BufferGauge gauge) {
        this.bufferGauge = gauge;
    }

    /**
     * Takes per-layer device times from {@code timeline}: at every snapshot its resolved marks are paired into the
     * {@code device} stage (see {@link LayerDeviceTimes}); null detaches. The monitor does not close the timeline.
     */
    public void attachDeviceTimeline(DeviceTimeline timeline) {
        synchronized (aggregator) {
            deviceTimes = timeline == null ? null : new LayerDeviceTimes(timeline, recording::recordDeviceTime,
                    DEVICE_BATCH, DEVICE_PENDING_STARTS);
        }
    }

    /**
     * Adds a resource sampler (an NVML GPU, say), polled from the sampler thread's next poll on. The monitor owns it
     * from now on and closes it in {@link #close()}.
     *
     * @throws IllegalStateException if resource sampling is disabled
     * @throws IllegalArgumentException if a sampler of the same name was added before
     */
    public void addResourceSampler(ResourceSampler sampler) {
        if (sampling == null) {
            throw new IllegalStateException("resource sampling is disabled (enable_resource_sampling = false)");
        }
        sampling.add(sampler);
    }

    /** The hook manager's gauge, read by {@link #runDiagnostics}; null removes it. */
    public void setHookGauge(HookGauge gauge) {
        this.hookGauge = gauge;
    }

    /**
     * Where {@link #runDiagnostics} takes {@code component_health} from; null, the default, takes it from
     * {@link #getHealth()}.
     */
    public void setComponentHealthSource(Supplier<? extends Map<String, ?>> source) {
        this.componentHealth = source;
    }

    // ---- reading ----

    /** Everything recorded since start or the last {@link #reset()}; includes every record that happened-before. */
    public MonitorStats getStats() {
        BufferReading reading = readGauge();
        synchronized (aggregator) { // so that a concurrent reset() cannot fall between the parts
            DeviceStats device = drainDevice();
            CumulativeSnapshot snapshot = aggregator.refresh();
            long now = clock.millis();
            return MonitorStats.of(snapshot, reading, history.recent(RECENT_INTERVALS), errors.total(),
                    errors.snapshot(), now, (snapshot.takenAtNanos() - resetAtNanos) / 1e9, device,
                    resources(snapshot.takenAtNanos()), sampling == null ? List.of() : sampling.status());
        }
    }

    /** {@link #runDiagnostics(DiagnosticsOptions)} with the defaults: no hook order probe, stale after 60 s. */
    public DiagnosticsReport runDiagnostics() {
        return runDiagnostics(DiagnosticsOptions.defaults());
    }

    /**
     * Hook analysis, memory analysis, error summary, component health and recommendations, from the stats and the
     * gauges at this moment. Runs on the caller's thread, off the record path; it inspects the memory buffer under
     * its lock and, if {@code options} ask, runs the hook order probe (which calls hooks: run it while idle).
     */
    public DiagnosticsReport runDiagnostics(DiagnosticsOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        Supplier<? extends Map<String, ?>> health = componentHealth != null ? componentHealth : this::componentHealth;
        return Diagnostics.run(DiagnosticsSources.gather(this, hookGauge, bufferGauge, errors, options),
                DiagnosticsSources.health(health, errors));
    }

    /** The bounded time series, oldest first (see {@link TieredHistory}). */
    public List<IntervalSnapshot> getHistory() {
        return history.entries();
    }

    /** Closes the current interval now and appends it to the time series; the collector calls this on schedule. */
    public IntervalSnapshot collectInterval() {
        BufferReading reading = readGauge();
        Map<String, Double> resources = resources(nanoClock.getAsLong());
        synchronized (aggregator) { // so that reset() cannot fall between closing and appending
            drainDevice();
            IntervalSnapshot interval = aggregator.closeInterval(clock.millis(), errors.total(), reading, resources);
            history.add(interval);
            return interval;
        }
    }

    /**
     * Clears all counts, histograms, errors, history, health reports and tracked blocks. Recording threads are never
     * stopped; listeners, sources and the real-time schedule stay.
     */
    public void reset() {
        synchronized (aggregator) {
            errors.reset();
            history.clear();
            aggregator.reset(clock.millis(), 0);
            resetAtNanos = nanoClock.getAsLong();
            tracked.reset();
            health.reset(clock.millis());
        }
    }

    /** Records the device times resolved so far; caller holds the aggregator lock. Null without a timeline. */
    private DeviceStats drainDevice() {
        LayerDeviceTimes times = deviceTimes;
        if (times == null) {
            return null;
        }
        try {
            times.drain();
        } catch (RuntimeException e) {
            errors.record("device_timeline", e);
        }
        return times.stats();
    }

    /** The samplers' latest values, read without waiting for the sampler thread. */
    private Map<String, Double> resources(long nowNanos) {
        return sampling == null ? Map.of() : sampling.latestValues(nowNanos);
    }

    // ---- real time ----

    /**
     * Turns on real-time monitoring: makes sure the collector runs (it does from construction, closing an interval
     * every {@code metric_collection_interval}) and adds the health check every {@code health_check_interval}.
     * Idempotent.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void enableRealTimeMonitoring() {
        if (closed) {
            throw new IllegalStateException("monitor is closed");
        }
        if (realTime.compareAndSet(false, true)) {
            collector.every(config.healthCheckIntervalNanos(), this::evaluateHealth);
        }
    }

    /** Whether the health check runs on schedule. */
    public boolean isRealTimeMonitoring() {
        return realTime.get() && !closed;
    }

    /** Opens a timed block named {@code "default"}; see {@link #trackPerformance(String)}. */
    public PerformanceScope trackPerformance() {
        return trackPerformance("default");
    }

    /**
     * Opens a timed block for try-with-resources: closing it records its duration under {@code name} and, unless
     * {@link PerformanceScope#success()} was called, a failure (see {@link PerformanceScope}). Names beyond the
     * first 64 are counted under {@code other}; a null or blank name under {@code unknown}. Never throws.
     */
    public PerformanceScope trackPerformance(String name) {
        return new PerformanceScope(this, tracked, tracked.resolve(name), nanoClock);
    }

    /** Timing per {@link #trackPerformance(String) tracked} name since start or reset, sorted by name. */
    public Map<String, TrackedStats> getTrackedStats() {
        return tracked.snapshot();
    }

    /** The last {@code live_window} seconds of the time series: rates, p50/p99, error rate, throughput. */
    public LiveStats getLiveStats() {
        long now = clock.millis();
        return LiveStats.of(now, IntervalWindow.between(recentHistory(), now - liveWindowMillis(), now));
    }

    // ---- health ----

    /**
     * The latest health report. Evaluates now when nothing was evaluated yet, or when real time is off (no
     * scheduled check keeps the latest report fresh).
     */
    public HealthReport getHealth() {
        HealthReport latest = health.latest();
        return latest != null && isRealTimeMonitoring() ? latest : evaluateHealth();
    }

    /**
     * The alert manager: every health evaluation (scheduled with real time, or on {@link #evaluateHealth()}) feeds it
     * the report's metrics. Its rules come from {@code alert_thresholds}, its channels from {@code alert_channels};
     * add callbacks or read active alerts and history here. With {@code enable_alerts} false it tracks nothing.
     */
    public AlertManager alerts() {
        return alerts;
    }

    /** Health reports, oldest first, at most {@code max_history_size}. */
    public List<HealthReport> getHealthHistory() {
        return health.history();
    }

    /**
     * Evaluates health now from snapshots, appends the report to the history and hands it to the listeners. The
     * scheduled check calls this; it never touches the record path.
     */
    public HealthReport evaluateHealth() {
        return health.evaluate(healthSample());
    }

    /**
     * Called with every health report, on the evaluating thread (the collector's, for scheduled checks). Keep it
     * short; a listener that throws is counted as an error of {@code health_listener} and the others still run.
     */
    public void addHealthListener(Consumer<HealthReport> listener) {
        health.addListener(listener);
    }

    public boolean removeHealthListener(Consumer<HealthReport> listener) {
        return health.removeListener(listener);
    }

    private Map<String, Object> componentHealth() {
        Map<String, Object> components = new java.util.LinkedHashMap<>();
        getHealth().components().forEach((name, c) -> components.put(name, c.toMap()));
        return components;
    }

    /**
     * Cumulative hook calls and hook time; null (the default) sums them from the {@link #setHookGauge hook gauge}.
     */
    public void setHookSource(HookReading.Source source) {
        this.hookSource = source;
    }

    /**
     * Host utilization for the {@code host} component; null (the default) takes it from the {@code host} resource
     * sampler, and host is NO_DATA without one.
     */
    public void setHostSource(HostReading.Source source) {
        this.hostSource = source;
    }

    /**
     * Device state for the {@code device} component; null (the default) takes GPU memory and clock-event reasons from
     * the {@code nvml0} resource sampler when there is one.
     */
    public void setDeviceSource(DeviceReading.Source source) {
        this.deviceSource = source;
    }

    private HealthSample healthSample() {
        MonitorStats stats = getStats();
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
                        : read("hook_gauge", hookGauge, HealthInputs::hooks),
                hostSource != null ? read("host_source", hostSource, HostReading.Source::read)
                        : HealthInputs.host(stats.resources()),
                deviceSource != null ? read("device_source", deviceSource, DeviceReading.Source::read)
                        : HealthInputs.device(stats.resources()));
    }

    /** A source that throws is counted as an error of its component and gives no reading. */
    private <S, R> R read(String component, S source, java.util.function.Function<S, R> reader) {
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
        return history.recent(n);
    }

    private BufferReading readGauge() {
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

    /**
     * Stops the collector thread (and with it the health check) and the sampler thread, and closes the resource
     * samplers. Recording and reading keep working; nothing more is collected or evaluated on schedule.
     */
    @Override
    public void close() {
        closed = true;
        collector.close();
        if (sampling != null) {
            sampling.close();
        }
    }
}
