package dev.cmr.monitor.export.prometheus;

import dev.cmr.monitor.health.HealthReport;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;

/**
 * The Prometheus names of what {@link MonitorCollector} exports, the one place both the collector and
 * {@link PrometheusRules} take them from, so that a rule always selects a series the collector writes. Names are
 * family names: client_java's writers append {@code _total} to counters and {@code _count} / {@code _sum} to
 * summaries. Units are base units in the name's suffix (seconds, bytes, ratios in [0, 1]).
 */
public final class MetricNames {
    public static final String PREFIX = "cmr_";

    // Stage timing (summaries).
    public static final String STAGE_DURATION = "cmr_stage_duration_seconds";
    public static final String LAYER_STAGE_DURATION = "cmr_layer_stage_duration_seconds";
    public static final String STAGE_DURATION_MAX = "cmr_stage_duration_max_seconds";

    // Counters (family names, exposed with _total).
    public static final String CAPTURES = "cmr_captures";
    public static final String RECONSTRUCTIONS = "cmr_reconstructions";
    public static final String STATES_CAPTURED = "cmr_states_captured";
    public static final String STATES_STORED = "cmr_states_stored";
    public static final String LAYER_RECONSTRUCTIONS = "cmr_layer_reconstructions";
    public static final String EVICTIONS = "cmr_buffer_evictions";
    public static final String RETRIEVALS = "cmr_retrievals";
    public static final String RETRIEVAL_CACHE_HITS = "cmr_retrieval_cache_hits";
    public static final String RETRIEVAL_CANDIDATES = "cmr_retrieval_candidates";
    public static final String RETRIEVAL_RETURNED = "cmr_retrieval_returned";
    public static final String REJECTED_RECORDS = "cmr_rejected_records";
    public static final String ERRORS = "cmr_errors";

    // Buffer, retrieval and efficiency gauges.
    public static final String BUFFER_ENTRIES = "cmr_buffer_entries";
    public static final String BUFFER_LAYER_ENTRIES = "cmr_buffer_layer_entries";
    public static final String BUFFER_MEMORY = "cmr_buffer_memory_bytes";
    public static final String BUFFER_UTILIZATION = "cmr_buffer_utilization_ratio";
    public static final String EVICTION_RATIO = "cmr_buffer_eviction_ratio";
    public static final String CAPTURE_EFFICIENCY = "cmr_capture_efficiency_ratio";
    public static final String STORAGE_EFFICIENCY = "cmr_storage_efficiency_ratio";
    public static final String RECONSTRUCTION_QUALITY = "cmr_reconstruction_quality_ratio";
    public static final String CACHE_HIT = "cmr_retrieval_cache_hit_ratio";

    // Health and alerts.
    public static final String HEALTH_SCORE = "cmr_health_score";
    public static final String HEALTH_STATUS = "cmr_health_status";
    public static final String HEALTH_INPUT_PREFIX = "cmr_health_input_";
    public static final String ALERT_STATE = "cmr_alert_state";
    public static final String ALERTS_INHIBITED = "cmr_alert_notifications_inhibited";
    public static final String ALERT_CHANNEL_SENT = "cmr_alert_channel_sent";
    public static final String ALERT_CHANNEL_FAILURES = "cmr_alert_channel_failures";

    // Device timeline.
    public static final String DEVICE_MARKS_RESOLVED = "cmr_device_marks_resolved";
    public static final String DEVICE_LAYER_TIMES = "cmr_device_layer_times";
    public static final String DEVICE_MARKS_UNMATCHED = "cmr_device_marks_unmatched";
    public static final String DEVICE_MARKS_INVERTED = "cmr_device_marks_inverted";
    public static final String DEVICE_MARKS_DROPPED = "cmr_device_marks_dropped";
    public static final String DEVICE_MARKS_FAILED = "cmr_device_marks_failed";
    public static final String DEVICE_CLOCK_ERROR_BOUND = "cmr_device_clock_error_bound_seconds";

    // Resources: cmr_resource_<gauge in base units>{source}.
    public static final String RESOURCE_PREFIX = "cmr_resource_";
    public static final String RESOURCE_SAMPLER_POLLS = "cmr_resource_sampler_polls";
    public static final String RESOURCE_SAMPLER_FAILURES = "cmr_resource_sampler_failures";

    // The monitor's own cost.
    public static final String SCRAPES = "cmr_monitor_scrapes";
    public static final String SCRAPE_DURATION = "cmr_monitor_scrape_duration_seconds";
    public static final String COLLECTOR_LAG = "cmr_monitor_collector_lag_seconds";
    public static final String SECONDS_SINCE_RESET = "cmr_monitor_seconds_since_reset";

    private MetricNames() {
    }

    /**
     * The PromQL selector of one alert-rule metric of {@link HealthReport#metrics()}: {@code <c>.health_score}
     * selects {@code cmr_health_score{component="<c>"}}, any other {@code <component>.<name>} selects the gauge
     * {@link #healthInput}.
     */
    public static String alertSelector(String healthMetric) {
        String suffix = ".health_score";
        if (healthMetric.endsWith(suffix)) {
            String component = healthMetric.substring(0, healthMetric.length() - suffix.length());
            return HEALTH_SCORE + "{component=\"" + component + "\"}";
        }
        return healthInput(healthMetric);
    }

    /** The gauge of a health metric that is not a score: {@code system.error_rate -> cmr_health_input_system_error_rate}. */
    public static String healthInput(String healthMetric) {
        return PrometheusNaming.sanitizeMetricName(HEALTH_INPUT_PREFIX + healthMetric.replace('.', '_')
                .replace('-', '_'));
    }
}
