package dev.cmr.monitor;

import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.device.DeviceTimeline;
import dev.cmr.monitor.device.LayerDeviceTimes;
import dev.cmr.monitor.diagnose.Diagnostics;
import dev.cmr.monitor.diagnose.DiagnosticsOptions;
import dev.cmr.monitor.diagnose.DiagnosticsReport;
import dev.cmr.monitor.engine.DiagnosticsGathering;
import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.engine.HealthMonitoring;
import dev.cmr.monitor.engine.LiveWindow;
import dev.cmr.monitor.engine.MonotonicEpochClock;
import dev.cmr.monitor.engine.PolledGauges;
import dev.cmr.monitor.engine.ProfileGate;
import dev.cmr.monitor.engine.ProfileSessions;
import dev.cmr.monitor.engine.SnapshotService;
import dev.cmr.monitor.engine.TrackedOperations;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HookLoad;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.profile.ExecutionTrace;
import dev.cmr.monitor.profile.PassListener;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.record.CaptureRecorder;
import dev.cmr.monitor.record.DurationRecorder;
import dev.cmr.monitor.record.EvictionRecorder;
import dev.cmr.monitor.record.ReconstructionRecorder;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.RetrievalRecorder;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.resources.HostSampler;
import dev.cmr.monitor.resources.JvmSampler;
import dev.cmr.monitor.resources.ResourcePoller;
import dev.cmr.monitor.resources.ResourceSampler;
import dev.cmr.monitor.spi.BufferGauge;
import dev.cmr.monitor.spi.HookGauge;
import dev.cmr.monitor.store.IntervalListener;
import dev.cmr.monitor.store.IntervalScheduler;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.TieredHistory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    /**
     * The error component of a failed alert send: {@code alert_channel:<channel>}, e.g. {@code alert_channel:file};
     * as many names as configured channels, so the set stays small.
     */
    public static final String ALERT_CHANNEL_COMPONENT = "alert_channel:";

    // A surface over collaborators of one job each (package engine unless named): Recording (the record path,
    // called directly), PolledGauges (what is polled), ResourcePoller (the sampler thread), SnapshotService (stats,
    // intervals, history, device drain), LiveWindow, HealthMonitoring (health and alert feeding) and
    // TrackedOperations (blocks opened with trackPerformance). The facade owns the collection thread and the closed
    // flag.
    private final MonitoringConfig config;
    private final Recording recording;
    private final ErrorCounter errors = new ErrorCounter();
    private final PolledGauges gauges = new PolledGauges(errors);
    private final ResourcePoller resources; // null when resource sampling is disabled
    private final SnapshotService snapshots;
    private final LiveWindow liveWindow;
    private final HealthMonitoring health;
    private final TrackedOperations tracked = new TrackedOperations();
    private final ProfileSessions profiles = new ProfileSessions();
    private final ProfileGate profileGate = new ProfileGate();
    private final Clock timeline; // MonotonicEpochClock: intervals, windows, live stats
    private final LongSupplier nanoClock;
    private final IntervalScheduler collector;
    private volatile boolean closed;

    public CmrPerformanceMonitor() {
        this(MonitoringConfig.defaults());
    }

    public CmrPerformanceMonitor(MonitoringConfig config) {
        this(config, Clock.systemUTC(), System::nanoTime);
    }

    /**
     * With injectable clocks: {@code nanoClock} (monotonic, System.nanoTime scale) measures every duration, interval,
     * window and alert hold time; {@code clock} (the wall clock) is read once to anchor the monitor's timeline
     * ({@link MonotonicEpochClock}) and for alert notification times. A step of {@code clock} after construction
     * changes no interval, rate or window.
     */
    CmrPerformanceMonitor(MonitoringConfig config, Clock clock, LongSupplier nanoClock) {
        this.config = config;
        this.timeline = new MonotonicEpochClock(clock, nanoClock);
        this.nanoClock = nanoClock;
        this.recording = new Recording(new SlotLayout(config.maxLayers()));
        // First, so that an alert channel misconfiguration (file without alert_file) fails at startup, before any
        // thread is started.
        AlertManager alerts = AlertManager.builder(config.alertSettings()).wallClock(clock).nanoClock(nanoClock)
                .channelFailures((channel, e) -> errors.record(ALERT_CHANNEL_COMPONENT + channel, e)).build();
        // Starts the sampler thread; before the collector, whose first interval may already close.
        this.resources = config.enableResourceSampling()
                ? new ResourcePoller(config.resourceSamplingIntervalNanos(),
                        List.of(new HostSampler(), new JvmSampler()))
                : null;
        if (resources != null) {
            profiles.resources(resources::samplesBetween);
        }
        this.snapshots = new SnapshotService(config.maxHistorySize(), recording, gauges, resources, errors, timeline,
                nanoClock);
        this.liveWindow = new LiveWindow(config, snapshots);
        this.health = new HealthMonitoring(config, this::getStats, liveWindow, gauges, alerts, errors, timeline,
                nanoClock);
        this.collector = new IntervalScheduler(config.metricCollectionIntervalNanos(), this::collectInterval,
                e -> errors.record("collector", e));
        if (config.enableRealTime()) {
            enableRealTimeMonitoring();
        }
        if (config.enableProfiling()) {
            enableProfiling();
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

    /**
     * A retrieval with its {@code quality}: the mean similarity of the returned memories to the query, in [0, 1]
     * (for cosine similarity {@code c}, {@code (1 + c) / 2}); NaN when unknown. Averaged into
     * {@code retrieval_quality}.
     */
    public void recordRetrieval(int layerIdx, int candidates, int returned, boolean cacheHit, long retrievalNanos,
                                double quality) {
        recording.recordRetrieval(layerIdx, candidates, returned, cacheHit, retrievalNanos, quality);
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

    // ---- span forms: what the duration form records for end - start, plus the span inside a profiled block ----
    // Timestamps are System.nanoTime() nanoseconds. While a profiled block is open on the calling thread the span
    // also lands in that thread's preallocated span buffer (max_profile_spans; when full it is dropped and counted);
    // otherwise the call costs one field load and branch more than the duration form. A span that ends before it
    // starts is rejected and counted as negative_duration.

    /** A layer from enter to exit; see {@link #recordLayer}. */
    public void recordLayerSpan(int layerIdx, long startNanos, long endNanos) {
        recording.recordLayerSpan(layerIdx, startNanos, endNanos);
    }

    /** One blocking device call inside a layer; see {@link #recordSyncWait}. */
    public void recordSyncWaitSpan(int layerIdx, long startNanos, long endNanos) {
        recording.recordSyncWaitSpan(layerIdx, startNanos, endNanos);
    }

    public void recordCaptureSpan(int layerIdx, int statesCaptured, int statesStored, long startNanos,
                                  long endNanos) {
        recording.recordCaptureSpan(layerIdx, statesCaptured, statesStored, startNanos, endNanos);
    }

    public void recordRetrievalSpan(int layerIdx, int candidates, int returned, boolean cacheHit, long startNanos,
                                    long endNanos) {
        recording.recordRetrievalSpan(layerIdx, candidates, returned, cacheHit, startNanos, endNanos);
    }

    /** {@code quality} in [0, 1], or NaN when unknown. */
    public void recordReconstructionSpan(int layerIdx, int memoriesUsed, double quality, long startNanos,
                                         long endNanos) {
        recording.recordReconstructionSpan(layerIdx, memoriesUsed, quality, startNanos, endNanos);
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
     * While profiling is on, the resolved marks also become the device spans of the profiled blocks they were
     * enqueued in (whole-layer spans, and kernel spans from {@link dev.cmr.monitor.device.KernelMarkTag kernel
     * marks}), and the profiles report the timeline's backend.
     */
    public void attachDeviceTimeline(DeviceTimeline timeline) {
        snapshots.attachDeviceTimeline(timeline, profiles::offerMarks);
        profiles.timelineAttached(timeline == null ? null : timeline.backend());
    }

    /**
     * Adds a resource sampler (an NVML GPU, say), polled from the sampler thread's next poll on. The monitor owns it
     * from now on and closes it in {@link #close()}.
     *
     * @throws IllegalStateException if resource sampling is disabled
     * @throws IllegalArgumentException if a sampler of the same name was added before
     */
    public void addResourceSampler(ResourceSampler sampler) {
        if (resources == null) {
            throw new IllegalStateException("resource sampling is disabled (enable_resource_sampling = false)");
        }
        resources.add(sampler);
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
        return MonitorStats.of(snapshots.takeStats());
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
        return Diagnostics.run(DiagnosticsGathering.gather(this::getStats, config.highErrorRate(),
                gauges.hookGauge(), gauges.bufferGauge(), errors, options), DiagnosticsGathering.health(source != null
                ? source : () -> DiagnosticsGathering.componentHealth(getHealth()), errors));
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
     * Calls {@code listener} with every interval closed from now on (by the collector or {@link #collectInterval()}),
     * with the interval's per-stage latency histograms: how exporters (interval logs, JFR) follow the time series
     * without a second recording path. See {@link IntervalListener} for the thread and the cost; a listener that
     * throws is counted as an error of {@value SnapshotService#LISTENER_COMPONENT}.
     */
    public void addIntervalListener(IntervalListener listener) {
        snapshots.addIntervalListener(listener);
    }

    public boolean removeIntervalListener(IntervalListener listener) {
        return snapshots.removeIntervalListener(listener);
    }

    /**
     * Clears all counts, histograms, errors, history, health reports and tracked blocks. Recording threads are never
     * stopped; listeners, sources and the real-time schedule stay.
     */
    public void reset() {
        snapshots.reset(() -> {
            tracked.reset();
            health.reset();
            profiles.reset();
        });
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
        if (health.schedule()) {
            collector.every(config.healthCheckIntervalNanos(), this::evaluateHealth);
        }
    }

    /** Whether the health check runs on schedule. */
    public boolean isRealTimeMonitoring() {
        return health.isScheduled() && !closed;
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
        return new PerformanceScope(tracked, errors, tracked.resolve(name), nanoClock);
    }

    /** Timing per {@link #trackPerformance(String) tracked} name since start or reset, sorted by name. */
    public Map<String, TrackedStats> getTrackedStats() {
        return tracked.snapshot();
    }

    /** The last {@code live_window} seconds of the time series: rates, p50/p99, error rate, throughput. */
    public LiveStats getLiveStats() {
        long now = timeline.millis();
        return LiveStats.of(now, liveWindow.recent(now));
    }

    // ---- profiling ----

    /**
     * Turns profiling on (also {@code enable_profiling} at construction): from now on {@link #profileExecution}
     * opens real blocks. From off, starts a new profiling session: the results forget earlier blocks. Idempotent.
     */
    public void enableProfiling() {
        profiles.enable();
    }

    /**
     * Turns profiling off: {@link #profileExecution} returns the no-op block from now on; blocks already open still
     * count when they close, and the results stay readable until profiling is enabled again or {@link #reset()}.
     */
    public void disableProfiling() {
        profiles.disable();
    }

    /**
     * Whether profiled blocks may be opened now: profiling is enabled, or an on-demand trigger
     * ({@link #profileNextPasses}) still has passes to take. Models read it to decide whether to give the profiler
     * extra detail (the reference OpenCL backend then marks every kernel).
     */
    public boolean isProfiling() {
        return profiles.isEnabled() || profileGate.triggerPending();
    }

    /**
     * Sets which {@link #profileExecution} calls are profiled while profiling is enabled (skip, warmup and active
     * steps in cycles, see {@link ProfileSchedule}), counting steps from the next call; null profiles every call.
     */
    public void setProfileSchedule(ProfileSchedule schedule) {
        profileGate.schedule(schedule);
    }

    /**
     * Profiles the next {@code passes} blocks opened by {@link #profileExecution}, on any thread, whether profiling is
     * enabled or not and whatever the schedule says: the on-demand trigger a serving process fires ("profile the next
     * N passes") from another thread while the model serves. When profiling is off and no trigger is pending, it
     * starts a new profiling session (the results then hold the triggered passes alone); otherwise the passes join
     * the current session. Device marks are captured until the triggered blocks have closed. The future completes
     * when they have (and those of earlier pending triggers), never on the thread that closed the last block; then
     * read {@link #getProfileResults()}. A triggered block that is never closed leaves it pending; {@link #close()}
     * fails it.
     *
     * @throws IllegalArgumentException if {@code passes < 1}
     * @throws IllegalStateException    if the monitor is closed
     */
    public CompletableFuture<Void> profileNextPasses(int passes) {
        return profileGate.trigger(passes, () -> {
            if (!profiles.isEnabled()) {
                profiles.reset();
            }
            profiles.hold(true);
        });
    }

    /** A triggered block closed, or failed to open: the last one ends the hold on marks. */
    private void triggeredClosed() {
        profileGate.triggeredClosed(() -> profiles.hold(false));
    }

    /**
     * Opens a profiled block for try-with-resources; closing it adds one pass of {@code name} to
     * {@link #getProfileResults()}. Everything the calling thread records through the record API between open and
     * close ({@code recordLayer}, {@code recordSyncWait}, {@code recordDeviceTime}, the stage records, the span forms
     * and the pre-bound recorders) is attributed to the block, per layer; the span forms also give it their
     * timestamps; records of other threads are not (see {@link ProfileBlock}). Costs two reads of the thread's
     * counters (6 per-layer stages, {@code max_layers} layers) at open and at close, the span buffer's allocation at
     * the thread's first block ({@code max_profile_spans}), and per span form inside the block the span's append
     * (plus a read of the thread's allocation counter with {@code profile_memory}).
     *
     * <p>With profiling off it returns {@link ProfileBlock#NO_OP}, which records nothing, unless an on-demand trigger
     * takes the call ({@link #profileNextPasses}); with a {@link #setProfileSchedule schedule}, its skip steps get the
     * no-op block too and its warmup steps a block that keeps no pass. A null or blank name is
     * profiled as {@code unknown}; names beyond the first 64 as {@code other}. Never throws, and neither does the
     * block's {@code close()}.
     */
    public ProfileBlock profileExecution(String name) {
        ProfileGate.Admission admission = profileGate.admit(profiles.isEnabled());
        if (admission == ProfileGate.Admission.NONE) {
            return ProfileBlock.NO_OP;
        }
        try {
            return new ProfileBlock(profiles, recording, errors, nanoClock, name, config.maxProfileSpans(),
                    config.profileMemory(), admission, this::triggeredClosed);
        } catch (RuntimeException e) {
            if (admission == ProfileGate.Admission.TRIGGERED) {
                triggeredClosed();
            }
            errors.record(ProfileBlock.MISUSE_COMPONENT, e);
            return ProfileBlock.NO_OP;
        }
    }

    /**
     * The profile of the blocks closed since profiling was enabled or the monitor was reset, one execution per block
     * name, sorted by name: per layer host, sync wait, launch (host minus sync wait), device and stage times as means
     * per pass, and a verdict with its reason. Passes with timestamps get the device spans of the attached timeline's
     * marks enqueued inside them; this drains the timeline first (without waiting for the device), so marks resolved
     * by now are in. Backend: the attached timeline's ({@code opencl}, {@code cuda}), else {@code cpu} if
     * {@link #declareCpuBackend declared}, else {@code none} (the record API does not say which device, if any,
     * produced the device times). Per name the newest {@value ProfileSessions#MAX_PASSES_PER_NAME} passes are kept;
     * older ones are counted in {@code dropped_spans}. Analysed on the caller's thread.
     */
    public ProfileResults getProfileResults() {
        snapshots.drainDevice();
        return profiles.results();
    }

    /**
     * Calls {@code listener} with every pass a profiled block keeps, as the block closes, on the closing thread (see
     * {@link PassListener}); a listener that throws is counted as an error of
     * {@value ProfileBlock#LISTENER_COMPONENT}.
     *
     * @throws IllegalArgumentException if {@code listener} is null
     */
    public void addPassListener(PassListener listener) {
        profiles.addPassListener(listener);
    }

    public boolean removePassListener(PassListener listener) {
        return profiles.removePassListener(listener);
    }

    /**
     * Says whether the profiled code runs on the CPU, with no device (the reference model says so for its CPU
     * backend when attached). Profiles then report backend {@code cpu}: no device numbers, and the reasons say that
     * all time is host time. An attached {@code opencl} or {@code cuda} timeline takes precedence.
     */
    public void declareCpuBackend(boolean runsOnCpu) {
        profiles.declareCpuBackend(runsOnCpu);
    }

    /** What the profiled blocks captured, before analysis (tests look at the passes). */
    List<ExecutionTrace> profileTraces() {
        snapshots.drainDevice();
        return profiles.traces();
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
        return health.alerts();
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
        return health.evaluate();
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

    /**
     * Cumulative hook calls and hook time; null (the default) sums them from the {@link #setHookGauge hook gauge}.
     */
    public void setHookSource(HookLoad.Source source) {
        health.setHookSource(source);
    }

    /**
     * Host utilization for the {@code host} component; null (the default) takes it from the {@code host} resource
     * sampler, and host is NO_DATA without one.
     */
    public void setHostSource(HostReading.Source source) {
        health.setHostSource(source);
    }

    /**
     * Device state for the {@code device} component; null (the default) takes GPU memory and clock-event reasons from
     * the {@code nvml0} resource sampler when there is one.
     */
    public void setDeviceSource(DeviceReading.Source source) {
        health.setDeviceSource(source);
    }

    /**
     * Stops the collector thread (and with it the health check) and the sampler thread, and closes the resource
     * samplers. Recording and reading keep working; nothing more is collected or evaluated on schedule.
     */
    @Override
    public void close() {
        closed = true;
        profileGate.shutDown("the monitor was closed before the triggered passes were profiled");
        collector.close();
        if (resources != null) {
            resources.close();
        }
    }
}
