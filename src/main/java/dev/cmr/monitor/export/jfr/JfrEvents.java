package dev.cmr.monitor.export.jfr;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.alert.AlertNotification;
import dev.cmr.monitor.health.ComponentHealth;
import dev.cmr.monitor.health.HealthCheck;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import dev.cmr.monitor.profile.HostSpan;
import dev.cmr.monitor.profile.LayerDurations;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.profile.PassListener;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfiledPass;
import dev.cmr.monitor.profile.SyncWaitSpan;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalListener;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import org.HdrHistogram.Histogram;

/**
 * JDK Flight Recorder events for a monitor, for JDK Mission Control: {@value #INTERVAL} per closed collector interval
 * (per-stage counts and p99 as fields), {@value #HEALTH_STATUS_CHANGE} per component whose health status changed,
 * {@value #ALERT} per alert notification, and {@value #LAYER_SPAN} per layer of each pass a profiled block keeps. All
 * in category "CMR Monitor"; every event type is disabled by default, so a recording gets them only when its
 * settings enable them by name (JMC's template editor, or {@code Recording.enable("dev.cmr.Interval")}).
 *
 * <p>{@link #attach(CmrPerformanceMonitor)} subscribes to what the monitor offers: its interval listeners, health
 * listeners, the alert manager's listeners and the pass listeners. Nothing is added to the record path: intervals are
 * reported on the collector thread, health changes and alerts on the evaluating thread, layer spans when a profiled
 * block closes, on the closing thread. When no recording enables an event type, the listener checks
 * {@link EventType#isEnabled()} and returns before building anything (the health listener keeps a reference to the
 * latest report, so that the first change seen once enabled is a real one); interval listeners ask for no histograms.
 *
 * <p>Threading: the listeners may run on several threads at once (the collector, callers of {@code evaluateHealth},
 * model threads); each event is built and committed on the thread that reports it. {@link #close()} unsubscribes.
 */
public final class JfrEvents implements AutoCloseable {
    public static final String INTERVAL = "dev.cmr.Interval";
    public static final String HEALTH_STATUS_CHANGE = "dev.cmr.HealthStatusChange";
    public static final String ALERT = "dev.cmr.Alert";
    public static final String LAYER_SPAN = "dev.cmr.LayerSpan";

    private static final EventType INTERVAL_TYPE;
    private static final EventType HEALTH_TYPE;
    private static final EventType ALERT_TYPE;
    private static final EventType LAYER_SPAN_TYPE;

    static {
        // Registered up front so that JMC lists them (with their settings) before the first commit.
        FlightRecorder.register(IntervalEvent.class);
        FlightRecorder.register(HealthStatusChangeEvent.class);
        FlightRecorder.register(AlertEvent.class);
        FlightRecorder.register(LayerSpanEvent.class);
        INTERVAL_TYPE = EventType.getEventType(IntervalEvent.class);
        HEALTH_TYPE = EventType.getEventType(HealthStatusChangeEvent.class);
        ALERT_TYPE = EventType.getEventType(AlertEvent.class);
        LAYER_SPAN_TYPE = EventType.getEventType(LayerSpanEvent.class);
    }

    private final CmrPerformanceMonitor monitor;
    private final IntervalListener intervals = new IntervalListener() {
        @Override
        public void intervalClosed(IntervalSnapshot interval, Map<Stage, Histogram> h) {
            onInterval(interval);
        }

        @Override
        public boolean wantsHistograms() {
            return false;
        }
    };
    private final Consumer<HealthReport> health = this::onHealth;
    private final Consumer<AlertNotification> alerts = this::onAlert;
    private final PassListener passes = this::onPass;
    private final AtomicLong built = new AtomicLong();
    // The report the last health call saw; guarded by this.
    private HealthReport previousReport;

    private JfrEvents(CmrPerformanceMonitor monitor) {
        this.monitor = monitor;
    }

    /**
     * Reports {@code monitor}'s intervals, health changes, alerts and profiled layers as JFR events from now on,
     * whenever a recording enables them; {@link #close()} stops.
     */
    public static JfrEvents attach(CmrPerformanceMonitor monitor) {
        if (monitor == null) {
            throw new IllegalArgumentException("monitor must not be null");
        }
        JfrEvents events = new JfrEvents(monitor);
        monitor.addIntervalListener(events.intervals);
        monitor.addHealthListener(events.health);
        monitor.alerts().addListener(events.alerts);
        monitor.addPassListener(events.passes);
        return events;
    }

    /** Unsubscribes from the monitor. Idempotent. */
    @Override
    public void close() {
        monitor.removeIntervalListener(intervals);
        monitor.removeHealthListener(health);
        monitor.alerts().removeListener(alerts);
        monitor.removePassListener(passes);
    }

    /** Events built since attach (committed or not): 0 while no recording enables any of them. */
    long eventsBuilt() {
        return built.get();
    }

    private void onInterval(IntervalSnapshot s) {
        if (!INTERVAL_TYPE.isEnabled()) {
            return;
        }
        IntervalEvent e = new IntervalEvent();
        built.incrementAndGet();
        e.intervalStart = s.startEpochMillis();
        e.intervalLength = s.endEpochMillis() - s.startEpochMillis();
        e.captureCount = s.capture().count();
        e.captureP99 = s.capture().p99Nanos();
        e.reconstructionCount = s.reconstruction().count();
        e.reconstructionP99 = s.reconstruction().p99Nanos();
        e.retrievalCount = s.retrieval().count();
        e.retrievalP99 = s.retrieval().p99Nanos();
        e.layerCount = s.layer().count();
        e.layerP99 = s.layer().p99Nanos();
        e.syncWaitCount = s.syncWait().count();
        e.syncWaitP99 = s.syncWait().p99Nanos();
        e.deviceCount = s.device().count();
        e.deviceP99 = s.device().p99Nanos();
        e.forwardCount = s.forward().count();
        e.forwardP99 = s.forward().p99Nanos();
        e.errors = s.errors();
        e.rejected = s.rejected();
        e.bufferEntries = s.bufferEntries();
        e.bufferBytes = s.bufferBytes();
        e.bufferUtilization = s.bufferUtilization();
        e.commit();
    }

    private void onHealth(HealthReport report) {
        HealthReport previous;
        synchronized (this) {
            previous = previousReport;
            previousReport = report;
        }
        if (!HEALTH_TYPE.isEnabled()) {
            return;
        }
        HealthStatus before = previous == null ? null : previous.status();
        if (before != report.status()) {
            commitHealth(HealthReport.SYSTEM, before, report.status(), report.score(), null);
        }
        for (ComponentHealth c : report.components().values()) {
            ComponentHealth old = previous == null ? null : previous.components().get(c.name());
            HealthStatus was = old == null ? null : old.status();
            if (was != c.status()) {
                commitHealth(c.name(), was, c.status(), c.score(), c.decidedBy());
            }
        }
    }

    private void commitHealth(String component, HealthStatus previous, HealthStatus status, Integer score,
                              HealthCheck decidedBy) {
        HealthStatusChangeEvent e = new HealthStatusChangeEvent();
        built.incrementAndGet();
        e.component = component;
        e.previousStatus = previous == null ? null : previous.name();
        e.status = status.name();
        e.score = score == null ? -1 : score;
        e.decidedBy = decidedBy == null ? null : decidedBy.name();
        e.decisiveValue = decidedBy == null ? Double.NaN : decidedBy.value();
        e.commit();
    }

    private void onAlert(AlertNotification n) {
        if (!ALERT_TYPE.isEnabled()) {
            return;
        }
        AlertEvent e = new AlertEvent();
        built.incrementAndGet();
        e.status = n.status().configName();
        e.rule = n.ruleName();
        e.metric = n.metric();
        e.component = n.component();
        e.severity = n.severity().configName();
        e.comparison = n.rule().comparison().configName();
        e.threshold = n.rule().threshold();
        e.value = n.value();
        e.activeSince = n.activeSince() == null ? 0 : n.activeSince().toEpochMilli();
        e.repeat = n.repeat();
        e.reason = n.reason();
        e.message = n.message();
        e.commit();
    }

    private void onPass(String block, ProfiledPass pass) {
        if (!LAYER_SPAN_TYPE.isEnabled()) {
            return;
        }
        if (pass instanceof PassTrace trace) {
            for (HostSpan span : trace.hostSpans()) {
                if (span.stage() == Stage.LAYER) {
                    Long device = trace.deviceDurations().get(span.layer());
                    commitLayer(block, "trace", span.layer(), span.startNanos(), span.lengthNanos(),
                            syncWaitInside(trace.syncWaits(), span), device == null ? -1 : device);
                }
            }
        } else if (pass instanceof PassDurations durations) {
            for (Map.Entry<Integer, LayerDurations> layer : durations.layers().entrySet()) {
                LayerDurations d = layer.getValue();
                commitLayer(block, "durations", layer.getKey(), -1, d.hostNanos(), d.syncWaitNanos(),
                        d.deviceNanos() == null ? -1 : d.deviceNanos());
            }
        }
    }

    /** Sync-wait time of the span's layer that lies inside the span. */
    private static long syncWaitInside(List<SyncWaitSpan> waits, HostSpan span) {
        long sum = 0;
        for (SyncWaitSpan w : waits) {
            if (w.layer() == span.layer() && w.startNanos() >= span.startNanos() && w.endNanos() <= span.endNanos()) {
                sum += w.lengthNanos();
            }
        }
        return sum;
    }

    private void commitLayer(String block, String form, int layer, long startNanoTime, long hostNanos,
                             long syncWaitNanos, long deviceNanos) {
        LayerSpanEvent e = new LayerSpanEvent();
        built.incrementAndGet();
        e.block = block;
        e.form = form;
        e.layer = layer;
        e.startNanoTime = startNanoTime;
        e.hostDuration = hostNanos;
        e.syncWaitDuration = syncWaitNanos;
        e.deviceDuration = deviceNanos;
        e.commit();
    }
}
