package dev.cmr.monitor.export.prometheus;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.StageStats;
import dev.cmr.monitor.alert.AlertManager;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.AlertState;
import dev.cmr.monitor.alert.ChannelStats;
import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.health.ComponentHealth;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.resources.ResourcePoller;
import dev.cmr.monitor.store.LatencySummary;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A client_java {@link MultiCollector} over one monitor: each {@link #collect()} reads the monitor's snapshots
 * ({@code getStats()}, the latest health report, the alert manager) and turns them into metric snapshots. Nothing is
 * recorded twice: there is no state here except the collector's own cost.
 *
 * <p>What is exported ({@link MetricNames} holds every name):
 * <ul>
 *   <li>stage durations as <b>summaries</b> in seconds, per stage ({@code stage} label from {@link Stage}) and per
 *       stage and layer ({@code layer} below {@code max_layers}): {@code _count}, {@code _sum} and the quantiles 0.5,
 *       0.9, 0.99 since the last reset, plus the maximum as a gauge. Summaries, not histograms, because
 *       {@code MonitorStats} carries exactly these numbers (HdrHistogram percentiles at two significant digits) and
 *       no bucket counts; rates over {@code _sum} / {@code _count} aggregate across a fleet, the quantiles do not;
 *   <li>counts as counters ({@code _total}); buffer, retrieval and efficiency as gauges (ratios in [0, 1], memory in
 *       bytes); a ratio with nothing to divide by is an absent series, not a zero;
 *   <li>health: {@code cmr_health_score{component}} and the state set {@code cmr_health_status{component}} for every
 *       component of the report and {@code system}; every other alert input of the report as
 *       {@code cmr_health_input_<component>_<name>} (the series {@link PrometheusRules} alert on);
 *   <li>alerts: the state set {@code cmr_alert_state{rule, severity}}, notifications inhibited, sent and failed per
 *       channel;
 *   <li>device timeline counters (dropped marks among them) and the clock error bound; resource gauges in base units
 *       ({@link ResourceGauge}) per {@code source}, and each sampler's polls and failures;
 *   <li>the monitor's own cost: scrapes, the duration of the previous collect, and the collector lag (seconds since
 *       the collection thread's latest health report, real-time monitoring only).
 * </ul>
 *
 * <p>Health is read without evaluating: with real-time monitoring the latest scheduled report, otherwise the latest
 * report in the history (none before the first evaluation), so a scrape never feeds the alert manager.
 *
 * <p>Threading: {@code collect} may run on several scraping threads at once; each builds its own snapshots. It
 * never touches the record path.
 */
public final class MonitorCollector implements MultiCollector {
    static final double[] QUANTILES = {0.5, 0.9, 0.99};
    static final List<String> ALERT_STATES = Arrays.stream(AlertState.values())
            .map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).toList();
    static final List<String> HEALTH_STATES = Arrays.stream(HealthStatus.values()).map(Enum::name).toList();

    private final CmrPerformanceMonitor monitor;
    private final LongSupplier nanoClock;
    private final AtomicLong scrapes = new AtomicLong();
    private volatile long lastCollectNanos = -1;

    public MonitorCollector(CmrPerformanceMonitor monitor) {
        this(monitor, System::nanoTime);
    }

    MonitorCollector(CmrPerformanceMonitor monitor, LongSupplier nanoClock) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.nanoClock = nanoClock;
    }

    @Override
    public MetricSnapshots collect() {
        long start = nanoClock.getAsLong();
        MonitorStats stats = monitor.getStats();
        HealthReport health = latestHealth();
        Families f = new Families();
        stages(f, stats);
        counts(f, stats);
        buffer(f, stats);
        health(f, health);
        alerts(f, monitor.alerts());
        device(f, stats.device());
        resources(f, stats);
        self(f, stats, health);
        MetricSnapshots out = f.build();
        lastCollectNanos = nanoClock.getAsLong() - start;
        return out;
    }

    private HealthReport latestHealth() {
        if (monitor.isRealTimeMonitoring()) {
            return monitor.getHealth();
        }
        List<HealthReport> history = monitor.getHealthHistory();
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    private static void stages(Families f, MonitorStats stats) {
        for (Stage stage : MonitorStats.TIMED) {
            StageStats s = stats.timing(stage);
            summary(f, MetricNames.STAGE_DURATION, "Duration of each CMR stage event over all layers, since the "
                    + "monitor's last reset.", s.overall(), "stage", stage.key());
            f.gauge(MetricNames.STAGE_DURATION_MAX, "Longest stage event since the last reset (HdrHistogram, "
                    + "within 0.78%).", seconds(s.overall().maxNanos()), "stage", stage.key());
            s.perLayer().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    summary(f, MetricNames.LAYER_STAGE_DURATION, "Duration of each CMR stage event at one layer, "
                            + "since the monitor's last reset.", e.getValue(), "stage", stage.key(), "layer",
                            String.valueOf(e.getKey())));
        }
    }

    private static void summary(Families f, String name, String help, LatencySummary l, String... labels) {
        double[] values = {seconds(l.p50Nanos()), seconds(l.p90Nanos()), seconds(l.p99Nanos())};
        f.summary(name, help, l.count(), seconds(l.totalNanos()), QUANTILES, values, labels);
    }

    private static void counts(Families f, MonitorStats s) {
        f.counter(MetricNames.CAPTURES, "Capture events recorded.", s.totalCaptures());
        f.counter(MetricNames.RECONSTRUCTIONS, "Reconstruction events recorded.", s.totalReconstructions());
        s.statesCapturedPerLayer().forEach((layer, n) -> f.counter(MetricNames.STATES_CAPTURED,
                "Hidden states offered to the memory buffer, per layer.", n, "layer", String.valueOf(layer)));
        s.statesStoredPerLayer().forEach((layer, n) -> f.counter(MetricNames.STATES_STORED,
                "Hidden states stored in the memory buffer, per layer.", n, "layer", String.valueOf(layer)));
        s.reconstructionsPerLayer().forEach((layer, n) -> f.counter(MetricNames.LAYER_RECONSTRUCTIONS,
                "Reconstruction events per layer.", n, "layer", String.valueOf(layer)));
        f.counter(MetricNames.EVICTIONS, "Memory buffer entries evicted.", s.buffer().evictionCount());
        MonitorStats.RetrievalStats r = s.retrieval();
        f.counter(MetricNames.RETRIEVALS, "Memory retrievals.", r.totalRetrievals());
        f.counter(MetricNames.RETRIEVAL_CACHE_HITS, "Memory retrievals answered from the retrieval cache.",
                r.cacheHits());
        f.counter(MetricNames.RETRIEVAL_CANDIDATES, "Candidates scored by memory retrievals.", r.candidates());
        f.counter(MetricNames.RETRIEVAL_RETURNED, "Memories returned by memory retrievals.", r.returned());
        s.rejectedRecords().forEach((reason, n) -> f.counter(MetricNames.REJECTED_RECORDS,
                "Records the monitor rejected as invalid, by reason.", n, "reason", reason));
        // Bounded by ErrorCounter: at most 64 components and 64 exception classes each, the rest as "other".
        s.errorsByComponent().forEach((component, byType) -> byType.forEach((type, n) -> f.counter(
                MetricNames.ERRORS, "Errors recorded, by component and exception class.", n, "component", component,
                "type", type)));
    }

    private static void buffer(Families f, MonitorStats s) {
        MonitorStats.BufferStats b = s.buffer();
        f.gaugeIfPresent(MetricNames.BUFFER_ENTRIES, "Entries resident in the memory buffer.",
                b.totalEntries() == null ? null : b.totalEntries().doubleValue());
        b.entriesPerLayer().forEach((layer, n) -> f.gauge(MetricNames.BUFFER_LAYER_ENTRIES,
                "Entries resident in the memory buffer, per layer.", n, "layer", String.valueOf(layer)));
        f.gaugeIfPresent(MetricNames.BUFFER_MEMORY, "Memory held by the memory buffer.",
                b.memorySizeMb() == null ? null : b.memorySizeMb() * 1024 * 1024);
        f.gaugeIfPresent(MetricNames.BUFFER_UTILIZATION, "Memory buffer entries over capacity.", b.utilizationRate());
        f.gaugeIfPresent(MetricNames.EVICTION_RATIO, "Evictions per stored state.", b.evictionRate());
        MonitorStats.Efficiency e = s.efficiency();
        f.gaugeIfPresent(MetricNames.CAPTURE_EFFICIENCY, "States stored over states captured.",
                e.captureEfficiency());
        f.gaugeIfPresent(MetricNames.STORAGE_EFFICIENCY, "Stored states not evicted, over states stored.",
                e.storageEfficiency());
        f.gaugeIfPresent(MetricNames.RECONSTRUCTION_QUALITY, "Mean reconstruction quality reported by the model.",
                e.reconstructionQuality());
        f.gaugeIfPresent(MetricNames.CACHE_HIT, "Retrieval cache hits over retrievals.", e.cacheHitRate());
    }

    private static void health(Families f, HealthReport report) {
        if (report == null) {
            return;
        }
        for (ComponentHealth c : report.components().values()) {
            healthOf(f, c.name(), c.status(), c.score());
        }
        healthOf(f, HealthReport.SYSTEM, report.status(), report.score());
        report.metrics().forEach((metric, value) -> {
            if (!metric.endsWith(".health_score") && value != null && !value.isNaN()) {
                f.gauge(MetricNames.healthInput(metric), "Alert rule input " + metric
                        + " of the latest health report.", value);
            }
        });
    }

    private static void healthOf(Families f, String component, HealthStatus status, Integer score) {
        f.gaugeIfPresent(MetricNames.HEALTH_SCORE, "Health score 0-100 of a component (system: the lowest); GREEN "
                + ">= 70, YELLOW >= 40, RED below; absent with NO_DATA.",
                score == null ? null : score.doubleValue(), "component", component);
        f.stateSet(MetricNames.HEALTH_STATUS, "Health status of a component (system: the worst).", HEALTH_STATES,
                status.name(), "component", component);
    }

    private static void alerts(Families f, AlertManager alerts) {
        for (AlertRule rule : alerts.rules()) {
            f.stateSet(MetricNames.ALERT_STATE, "State of each in-process alert rule.", ALERT_STATES,
                    alerts.state(rule.name()).name().toLowerCase(java.util.Locale.ROOT), "rule", rule.name(),
                    "severity", rule.severity().configName());
        }
        f.counter(MetricNames.ALERTS_INHIBITED, "Alert notifications held back by inhibition.",
                alerts.inhibitedNotifications());
        for (ChannelStats c : alerts.channelStats()) {
            f.counter(MetricNames.ALERT_CHANNEL_SENT, "Alert notifications delivered, per channel.", c.sent(),
                    "channel", c.name());
            f.counter(MetricNames.ALERT_CHANNEL_FAILURES, "Alert notifications a channel failed to deliver.",
                    c.failed(), "channel", c.name());
        }
    }

    private static void device(Families f, DeviceStats d) {
        if (d == null) {
            return;
        }
        String backend = d.backend();
        f.counter(MetricNames.DEVICE_MARKS_RESOLVED, "Device timeline marks resolved.", d.resolvedMarks(),
                "backend", backend);
        f.counter(MetricNames.DEVICE_LAYER_TIMES, "Layer device times paired from marks.", d.layerTimes(),
                "backend", backend);
        f.counter(MetricNames.DEVICE_MARKS_UNMATCHED, "Device marks without a partner.", d.unmatchedMarks(),
                "backend", backend);
        f.counter(MetricNames.DEVICE_MARKS_INVERTED, "Device mark pairs whose end preceded their start.",
                d.invertedMarks(), "backend", backend);
        f.counter(MetricNames.DEVICE_MARKS_DROPPED, "Device marks dropped because the journal was full.",
                d.droppedMarks(), "backend", backend);
        f.counter(MetricNames.DEVICE_MARKS_FAILED, "Device marks the vendor runtime failed to place or resolve.",
                d.failedMarks(), "backend", backend);
        if (d.clockErrorBoundNanos() >= 0) {
            f.gauge(MetricNames.DEVICE_CLOCK_ERROR_BOUND, "Largest device-to-host clock mapping error seen.",
                    seconds(d.clockErrorBoundNanos()), "backend", backend);
        }
    }

    private static void resources(Families f, MonitorStats s) {
        s.resources().forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot <= 0 || value == null || value.isNaN()) {
                return;
            }
            ResourceGauge g = ResourceGauge.of(key.substring(dot + 1));
            f.gauge(g.name(), "Resource sampler gauge " + key.substring(dot + 1) + " in base units (latest sample).",
                    value * g.factor(), "source", key.substring(0, dot));
        });
        for (ResourcePoller.Status status : s.resourceSamplers()) {
            f.counter(MetricNames.RESOURCE_SAMPLER_POLLS, "Polls of a resource sampler.", status.polls(),
                    "source", status.source());
            f.counter(MetricNames.RESOURCE_SAMPLER_FAILURES, "Polls of a resource sampler that failed.",
                    status.failures(), "source", status.source());
        }
    }

    private void self(Families f, MonitorStats stats, HealthReport health) {
        f.counter(MetricNames.SCRAPES, "Collections of this collector (scrapes).", scrapes.incrementAndGet());
        long last = lastCollectNanos;
        if (last >= 0) {
            f.gauge(MetricNames.SCRAPE_DURATION, "Duration of the previous collection: reading the monitor's "
                    + "snapshots and building the metric snapshots.", seconds(last));
        }
        if (monitor.isRealTimeMonitoring() && health != null) {
            double lag = Math.max(0, stats.timestampEpochMillis() - health.timestampEpochMillis()) / 1e3;
            f.gauge(MetricNames.COLLECTOR_LAG, "Seconds since the collection thread's latest health report; grows "
                    + "past health_check_interval when the collector falls behind.", lag);
        }
        f.gauge(MetricNames.SECONDS_SINCE_RESET, "Seconds since the monitor started or was last reset (counters "
                + "restart from zero then).", stats.secondsSinceReset());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
