package dev.cmr.monitor;

import dev.cmr.io.ConfigObject;
import dev.cmr.monitor.alert.AlertRulesJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link MonitoringConfig} from the JSON object of its class comment's table: each key present goes to the
 * builder, missing keys keep their defaults, and {@link MonitoringConfig.Builder#build()} checks the values. Type
 * errors and unknown keys are reported in document order, each naming its key. Stateless.
 */
final class MonitoringConfigJson {
    private static final List<String> TOP_KEYS = List.of("enable_real_time", "enable_profiling", "max_profile_spans",
            "profile_memory",
            "metric_collection_interval", "health_check_interval", "live_window", "degradation_ratio",
            "max_history_size", "max_layers", "enable_resource_sampling", "resource_sampling_interval",
            "alert_thresholds", "enable_alerts", "alert_channels", "severity_levels", "alert_cooldown",
            "escalation_rules", "alert_file", "alert_rules");
    private static final List<String> THRESHOLD_KEYS = List.of("high_latency", "low_efficiency", "high_error_rate");

    private MonitoringConfigJson() {
    }

    static MonitoringConfig read(ConfigObject config) {
        MonitoringConfig.Builder b = MonitoringConfig.builder();
        for (String key : config.keys()) {
            switch (key) {
                case "enable_real_time" -> b.enableRealTime(config.bool(key));
                case "enable_profiling" -> b.enableProfiling(config.bool(key));
                case "max_profile_spans" -> b.maxProfileSpans(config.wholeNumber(key));
                case "profile_memory" -> b.profileMemory(config.bool(key));
                case "metric_collection_interval" -> b.metricCollectionInterval(config.number(key));
                case "health_check_interval" -> b.healthCheckInterval(config.number(key));
                case "live_window" -> b.liveWindow(config.number(key));
                case "degradation_ratio" -> b.degradationRatio(config.number(key));
                case "max_history_size" -> b.maxHistorySize(config.wholeNumber(key));
                case "max_layers" -> b.maxLayers(config.wholeNumber(key));
                case "enable_resource_sampling" -> b.enableResourceSampling(config.bool(key));
                case "resource_sampling_interval" -> b.resourceSamplingInterval(config.number(key));
                case "enable_alerts" -> b.enableAlerts(config.bool(key));
                case "alert_channels" -> b.alertChannels(config.strings(key));
                case "severity_levels" -> b.severityLevels(config.strings(key));
                case "alert_cooldown" -> b.alertCooldown(config.number(key));
                case "alert_thresholds" -> readThresholds(b, config.object(key));
                case "alert_file" -> b.alertFile(config.text(key));
                case "alert_rules" -> b.alertRules(AlertRulesJson.read(config, key));
                // Severities are checked by build(), so that the builder's escalationRules get the same message.
                case "escalation_rules" -> b.escalationRules(numbers(config.object(key)));
                default -> throw config.unknownKey(key, TOP_KEYS);
            }
        }
        return b.build();
    }

    private static void readThresholds(MonitoringConfig.Builder b, ConfigObject thresholds) {
        for (String key : thresholds.keys()) {
            switch (key) {
                case "high_latency" -> b.highLatency(thresholds.number(key));
                case "low_efficiency" -> b.lowEfficiency(thresholds.number(key));
                case "high_error_rate" -> b.highErrorRate(thresholds.number(key));
                default -> throw thresholds.unknownKey(key, THRESHOLD_KEYS);
            }
        }
    }

    private static Map<String, Double> numbers(ConfigObject object) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String key : object.keys()) {
            values.put(key, object.number(key));
        }
        return values;
    }
}
