package dev.cmr.monitor;

import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.device.DeviceTimeline;
import dev.cmr.monitor.device.LayerDeviceTimes;
import dev.cmr.monitor.device.ResourceSampler;
import dev.cmr.monitor.diagnose.Diagnostics;
import dev.cmr.monitor.diagnose.DiagnosticsOptions;
import dev.cmr.monitor.diagnose.DiagnosticsReport;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HookReading;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.record.CaptureRecorder;
import dev.cmr.monitor.record.DurationRecorder;
import dev.cmr.monitor.record.EvictionRecorder;
import dev.cmr.monitor.record.ReconstructionRecorder;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.RetrievalRecorder;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.BufferGauge;
import dev.cmr.monitor.store.Collector;
import dev.cmr.monitor.store.HookGauge;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.TieredHistory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
    // A surface over collaborators of one job each: Recording (the record path, called directly), GaugeRegistry
    // (what is polled), Snapshots (stats, intervals, history, device drain) and RealTimeMonitoring (health, alerts,
    // live stats, tracked blocks). The facade owns the collector thread and the closed flag.
    private final MonitoringConfig config;
    private final Recording recording;
    private final ErrorCounter errors = new ErrorCounter();
    private final GaugeRegistry gauges;
    private final Snapshots snapshots;
    private final RealTimeMonitoring realTime;
    private final Collector collector;
    private volatile boolean closed;

    public CmrPerformanceMonitor() {
        this(MonitoringConfig.defaults());
    }

    public CmrPerformanceMonitor(MonitoringConfig config) {
        this(config, Clock.systemUTC(), System::nanoTime);
    }

    /** With injectable clocks: {@code clock} for epoch milliseconds (intervals, windows), {@code nanoClock} for durations. */
    CmrPerformanceMonitor(MonitoringConfig config, Clock clock, LongSupplier nanoClock) {
        this.config = config;
        this.recording = new Recording(new SlotLayout(config.maxLayers()));
        // First, so that an alert channel misconfiguration (file without alert_file) fails at startup, before any
        // thread is started.
        AlertManager alerts = AlertManager.builder(config.alertSettings()).wallClock(clock).nanoClock(nanoClock)
                .build();
        // Starts the sampler thread; before the collector, whose first interval may already close.
        this.gauges = new GaugeRegistry(config, errors);
        this.snapshots = new Snapshots(config, recording, gauges, errors, clock, nanoClock);
        this.realTime = new RealTimeMonitoring(config, snapshots, gauges, alerts, errors, clock, nanoClock);
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
        gauges.setBufferGauge(gauge);
    }

    /**
     * Takes per-layer device times from {@code timeline}: at every snapshot its resolved marks are paired into the
     * {@code device} stage (see {@link LayerDeviceTimes}); null detaches. The monitor does not close the timeline.
     */
    public void attachDeviceTimeline(DeviceTimeline timeline) {
        snapshots.attachDeviceTimeline(timeline);
    }

    /**
     * Adds a resource sampler (an NVML GPU, say), polled from the sampler thread's next poll on. The monitor owns it
     * from now on and closes it in {@link #close()}.
     *
     * @throws IllegalStateException if resource sampling is disabled
     * @throws IllegalArgumentException if a sampler of the same name was added before
     */
    public void addResourceSampler(ResourceSampler sampler) {
        gauges.addResourceSampler(sampler);
    }

    /** The hook manager's gauge, read by {@link #runDiagnostics}; null removes it. */
    public void setHookGauge(HookGauge gauge) {
        gauges.setHookGauge(gauge);
    }

    /**
     * Where {@link #runDiagnostics} takes {@code component_health} from; null, the default, takes it from
     * {@link #getHealth()}.
     */
    public void setComponentHealthSource(Supplier<? extends Map<String, ?>> source) {
        gauges.setComponentHealthSource(source);
    }

    // ---- reading ----

    /** Everything recorded since start or the last {@link #reset()}; includes every record that happened-before. */
    public MonitorStats getStats() {
        return snapshots.stats();
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
        Supplier<? extends Map<String, ?>> source = gauges.componentHealthSource();
        Supplier<? extends Map<String, ?>> health = source != null ? source
                : () -> DiagnosticsSources.componentHealth(getHealth());
        return Diagnostics.run(DiagnosticsSources.gather(this, gauges.hookGauge(), gauges.bufferGauge(), errors,
                options), DiagnosticsSources.health(health, errors));
    }

    /** The bounded time series, oldest first (see {@link TieredHistory}). */
    public List<IntervalSnapshot> getHistory() {
        return snapshots.history();
    }

    /** Closes the current interval now and appends it to the time series; the collector calls this on schedule. */
    public IntervalSnapshot collectInterval() {
        return snapshots.closeInterval();
    }

    /**
     * Clears all counts, histograms, errors, history, health reports and tracked blocks. Recording threads are never
     * stopped; listeners, sources and the real-time schedule stay.
     */
    public void reset() {
        snapshots.reset(realTime::reset);
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
        if (realTime.schedule()) {
            collector.every(config.healthCheckIntervalNanos(), this::evaluateHealth);
        }
    }

    /** Whether the health check runs on schedule. */
    public boolean isRealTimeMonitoring() {
        return realTime.isScheduled() && !closed;
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
        return realTime.track(this, name);
    }

    /** Timing per {@link #trackPerformance(String) tracked} name since start or reset, sorted by name. */
    public Map<String, TrackedStats> getTrackedStats() {
        return realTime.trackedStats();
    }

    /** The last {@code live_window} seconds of the time series: rates, p50/p99, error rate, throughput. */
    public LiveStats getLiveStats() {
        return realTime.liveStats();
    }

    // ---- health ----

    /**
     * The latest health report. Evaluates now when nothing was evaluated yet, or when real time is off (no
     * scheduled check keeps the latest report fresh).
     */
    public HealthReport getHealth() {
        HealthReport latest = realTime.latestHealth();
        return latest != null && isRealTimeMonitoring() ? latest : evaluateHealth();
    }

    /**
     * The alert manager: every health evaluation (scheduled with real time, or on {@link #evaluateHealth()}) feeds it
     * the report's metrics. Its rules come from {@code alert_thresholds}, its channels from {@code alert_channels};
     * add callbacks or read active alerts and history here. With {@code enable_alerts} false it tracks nothing.
     */
    public AlertManager alerts() {
        return realTime.alerts();
    }

    /** Health reports, oldest first, at most {@code max_history_size}. */
    public List<HealthReport> getHealthHistory() {
        return realTime.healthHistory();
    }

    /**
     * Evaluates health now from snapshots, appends the report to the history and hands it to the listeners. The
     * scheduled check calls this; it never touches the record path.
     */
    public HealthReport evaluateHealth() {
        return realTime.evaluateHealth();
    }

    /**
     * Called with every health report, on the evaluating thread (the collector's, for scheduled checks). Keep it
     * short; a listener that throws is counted as an error of {@code health_listener} and the others still run.
     */
    public void addHealthListener(Consumer<HealthReport> listener) {
        realTime.addHealthListener(listener);
    }

    public boolean removeHealthListener(Consumer<HealthReport> listener) {
        return realTime.removeHealthListener(listener);
    }

    /**
     * Cumulative hook calls and hook time; null (the default) sums them from the {@link #setHookGauge hook gauge}.
     */
    public void setHookSource(HookReading.Source source) {
        realTime.setHookSource(source);
    }

    /**
     * Host utilization for the {@code host} component; null (the default) takes it from the {@code host} resource
     * sampler, and host is NO_DATA without one.
     */
    public void setHostSource(HostReading.Source source) {
        realTime.setHostSource(source);
    }

    /**
     * Device state for the {@code device} component; null (the default) takes GPU memory and clock-event reasons from
     * the {@code nvml0} resource sampler when there is one.
     */
    public void setDeviceSource(DeviceReading.Source source) {
        realTime.setDeviceSource(source);
    }

    /**
     * Stops the collector thread (and with it the health check) and the sampler thread, and closes the resource
     * samplers. Recording and reading keep working; nothing more is collected or evaluated on schedule.
     */
    @Override
    public void close() {
        closed = true;
        collector.close();
        gauges.close();
    }
}
