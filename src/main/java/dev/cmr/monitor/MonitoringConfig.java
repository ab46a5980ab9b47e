package dev.cmr.monitor;

import static dev.cmr.io.ConfigValues.inClosedRange;
import static dev.cmr.io.ConfigValues.inLeftOpenRange;

import dev.cmr.io.ConfigObject;
import dev.cmr.io.ConfigValues;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.AlertRulesJson;
import dev.cmr.monitor.alert.AlertSettings;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The monitor's configuration, with the seed's snake_case keys. Immutable; build it with {@link #builder()},
 * {@link #fromJson(String)} or {@link #load(Path)}. Every value is checked when the configuration is built: an
 * unknown key names the closest valid one, an invalid value names its key and the allowed range.
 *
 * <pre>
 * key                          default                                   allowed
 * enable_real_time             false                                     boolean
 * enable_profiling             false                                     boolean
 * max_profile_spans            16384                                     [1, 1048576] spans per thread's buffer
 * profile_memory               false                                     boolean (allocated bytes per span)
 * metric_collection_interval   1.0 s                                     [0.01, 3600]
 * health_check_interval        5.0 s                                     [0.01, 86400]
 * live_window                  60 s                                      [0.01, 86400]
 * degradation_ratio            2.0                                       (1, 1000]
 * max_history_size             1000                                      [1, 1000000]
 * max_layers                   32                                        [1, 4096]
 * enable_resource_sampling     true                                      boolean (host + JVM samplers, others added)
 * resource_sampling_interval   metric_collection_interval                [0.01, 3600] s
 * alert_thresholds.high_latency     0.1 s                                (0, 3600]
 * alert_thresholds.low_efficiency   0.5                                  [0, 1]
 * alert_thresholds.high_error_rate  0.05                                 [0, 1]
 * enable_alerts                true                                      boolean
 * alert_channels               ["console"]                               console, log, file, callback
 * alert_file                   (unset)                                   file path of the "file" channel's JSON lines
 * severity_levels              ["warning", "error", "critical"]          warning, error, critical
 * alert_cooldown               300 s                                     [0, 86400]
 * escalation_rules             {"critical": 0, "error": 30, "warning": 300} seconds per severity, [0, 86400]
 * alert_rules                  []                                        user rules: [{"name", "metric",
 *                                                                        "comparison": above|below, "threshold",
 *                                                                        "severity", "for_seconds" (optional)}]
 * </pre>
 *
 * <p>{@code live_window} is the span of {@code getLiveStats()} and of health's recent window; health's degradation
 * check compares the recent window's p99 with that of the window of the same length just before it, and calls a
 * stage degraded when the ratio exceeds {@code degradation_ratio}.
 *
 * <p>{@code max_profile_spans} sizes the span buffer each thread allocates at its first profiled block (20 bytes a
 * span, 28 with {@code profile_memory}: 320 KiB at the default, 20 MiB at the maximum); spans beyond it in one
 * outermost block are dropped and counted as {@code dropped_spans}. {@code profile_memory} reads the thread's
 * allocation counter at every span's end inside a block, about 13-25 ns a span on the reference machine.
 */
public final class MonitoringConfig {
    static final List<String> CHANNELS = AlertSettings.CHANNEL_NAMES;
    static final List<String> SEVERITIES = List.of("warning", "error", "critical");
    /** The largest {@code max_profile_spans}: 20 MiB of span buffer per profiled thread, 28 MiB with memory. */
    public static final int MAX_PROFILE_SPANS = 1 << 20;

    private final boolean enableRealTime;
    private final boolean enableProfiling;
    private final int maxProfileSpans;
    private final boolean profileMemory;
    private final double metricCollectionIntervalSeconds;
    private final double healthCheckIntervalSeconds;
    private final double liveWindowSeconds;
    private final double degradationRatio;
    private final int maxHistorySize;
    private final int maxLayers;
    private final boolean enableResourceSampling;
    private final double resourceSamplingIntervalSeconds;
    private final double highLatencySeconds;
    private final double lowEfficiency;
    private final double highErrorRate;
    private final boolean enableAlerts;
    private final List<String> alertChannels;
    private final List<String> severityLevels;
    private final double alertCooldownSeconds;
    private final Map<String, Double> escalationRules;
    private final String alertFile;
    private final List<AlertRule> alertRules;

    private MonitoringConfig(Builder b) {
        enableRealTime = b.enableRealTime;
        enableProfiling = b.enableProfiling;
        maxProfileSpans = (int) inClosedRange("max_profile_spans", b.maxProfileSpans, 1, MAX_PROFILE_SPANS);
        profileMemory = b.profileMemory;
        metricCollectionIntervalSeconds = inClosedRange("metric_collection_interval", b.metricCollectionInterval, 0.01,
                3600);
        healthCheckIntervalSeconds = inClosedRange("health_check_interval", b.healthCheckInterval, 0.01, 86400);
        liveWindowSeconds = inClosedRange("live_window", b.liveWindow, 0.01, 86400);
        degradationRatio = inLeftOpenRange("degradation_ratio", b.degradationRatio, 1, 1000);
        maxHistorySize = (int) inClosedRange("max_history_size", b.maxHistorySize, 1, 1_000_000);
        maxLayers = (int) inClosedRange("max_layers", b.maxLayers, 1, 4096);
        enableResourceSampling = b.enableResourceSampling;
        resourceSamplingIntervalSeconds = b.resourceSamplingInterval == null ? metricCollectionIntervalSeconds
                : inClosedRange("resource_sampling_interval", b.resourceSamplingInterval, 0.01, 3600);
        highLatencySeconds = inLeftOpenRange("alert_thresholds.high_latency", b.highLatency, 0, 3600);
        lowEfficiency = inClosedRange("alert_thresholds.low_efficiency", b.lowEfficiency, 0, 1);
        highErrorRate = inClosedRange("alert_thresholds.high_error_rate", b.highErrorRate, 0, 1);
        enableAlerts = b.enableAlerts;
        alertChannels = ConfigValues.subset("alert_channels", b.alertChannels, CHANNELS);
        severityLevels = ConfigValues.subset("severity_levels", b.severityLevels, SEVERITIES);
        alertCooldownSeconds = inClosedRange("alert_cooldown", b.alertCooldown, 0, 86400);
        Map<String, Double> rules = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : b.escalationRules.entrySet()) {
            if (!SEVERITIES.contains(e.getKey())) {
                throw ConfigValues.unknownKey("escalation_rules", e.getKey(), SEVERITIES);
            }
            rules.put(e.getKey(), inClosedRange("escalation_rules." + e.getKey(),
                    e.getValue() == null ? Double.NaN : e.getValue(), 0, 86400));
        }
        escalationRules = Map.copyOf(rules);
        alertFile = b.alertFile == null ? null : ConfigValues.filePath("alert_file", b.alertFile);
        alertRules = checkRules(b.alertRules, severityLevels);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults listed in the class comment. */
    public static MonitoringConfig defaults() {
        return builder().build();
    }

    /**
     * Reads a JSON object with the keys in the class comment; missing keys keep their defaults.
     *
     * @throws IllegalArgumentException naming the key of the first invalid or unknown value
     */
    public static MonitoringConfig fromJson(String json) {
        return MonitoringConfigJson.read(ConfigObject.parse(json));
    }

    /**
     * Reads a JSON file; see {@link #fromJson(String)}. The file name is part of every error message.
     *
     * @throws IllegalArgumentException naming the file and the problem: missing ({@code <file>: not found}), a
     *         directory, not UTF-8, not JSON, or a bad key or value
     * @throws UncheckedIOException {@code <file>: <reason>} if the file exists but cannot be read
     */
    public static MonitoringConfig load(Path file) {
        return ConfigObject.load(file, MonitoringConfig::fromJson);
    }

    // ---- accessors ----

    public boolean enableRealTime() {
        return enableRealTime;
    }

    public boolean enableProfiling() {
        return enableProfiling;
    }

    /** Spans each thread's profiled blocks keep (one buffer per thread, shared by nested blocks). */
    public int maxProfileSpans() {
        return maxProfileSpans;
    }

    /** Whether profiled blocks record the JVM bytes each span allocated on its thread. */
    public boolean profileMemory() {
        return profileMemory;
    }

    public double metricCollectionIntervalSeconds() {
        return metricCollectionIntervalSeconds;
    }

    public long metricCollectionIntervalNanos() {
        return Math.round(metricCollectionIntervalSeconds * 1e9);
    }

    public double healthCheckIntervalSeconds() {
        return healthCheckIntervalSeconds;
    }

    public long healthCheckIntervalNanos() {
        return Math.round(healthCheckIntervalSeconds * 1e9);
    }

    /** Seconds covered by live stats and by health's recent window. */
    public double liveWindowSeconds() {
        return liveWindowSeconds;
    }

    /** Recent p99 over baseline p99 above which a stage counts as degraded. */
    public double degradationRatio() {
        return degradationRatio;
    }

    public int maxHistorySize() {
        return maxHistorySize;
    }

    public int maxLayers() {
        return maxLayers;
    }

    /** Whether the monitor polls resource samplers (host, JVM, and any added) on a thread of its own. */
    public boolean enableResourceSampling() {
        return enableResourceSampling;
    }

    /** Seconds between resource sampler polls; defaults to {@link #metricCollectionIntervalSeconds()}. */
    public double resourceSamplingIntervalSeconds() {
        return resourceSamplingIntervalSeconds;
    }

    public long resourceSamplingIntervalNanos() {
        return Math.round(resourceSamplingIntervalSeconds * 1e9);
    }

    public double highLatencySeconds() {
        return highLatencySeconds;
    }

    public double lowEfficiency() {
        return lowEfficiency;
    }

    public double highErrorRate() {
        return highErrorRate;
    }

    public boolean enableAlerts() {
        return enableAlerts;
    }

    public List<String> alertChannels() {
        return alertChannels;
    }

    public List<String> severityLevels() {
        return severityLevels;
    }

    public double alertCooldownSeconds() {
        return alertCooldownSeconds;
    }

    /** Seconds a condition must hold before an alert of that severity fires. */
    public Map<String, Double> escalationRules() {
        return escalationRules;
    }

    /**
     * The file the alert "file" channel appends JSON lines to; empty when unset (then selecting the "file" channel
     * requires a path from the alert manager's builder).
     */
    public Optional<Path> alertFile() {
        return Optional.ofNullable(alertFile).map(Path::of);
    }

    /** What alerting reads: the alert keys, the thresholds and {@code max_history_size}. */
    public AlertSettings alertSettings() {
        return new AlertSettings(enableAlerts, highLatencySeconds, lowEfficiency, highErrorRate, alertChannels,
                severityLevels, alertCooldownSeconds, escalationRules, alertFile(), maxHistorySize, alertRules);
    }

    /** {@code alert_rules}: the user's alert rules, in order. */
    public List<AlertRule> alertRules() {
        return alertRules;
    }

    private static List<AlertRule> checkRules(List<AlertRule> rules, List<String> severityLevels) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            AlertRule rule = rules.get(i);
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("alert_rules[" + i + "]: duplicate rule name '" + rule.name() + "'");
            }
            if (!severityLevels.contains(rule.severity().configName())) {
                throw new IllegalArgumentException("alert_rules[" + i + "]: severity " + rule.severity().configName()
                        + " is not enabled by severity_levels " + severityLevels);
            }
        }
        return List.copyOf(rules);
    }

    /** The configuration as the JSON object {@link #fromJson(String)} reads; {@code alert_file} only when set. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enable_real_time", enableRealTime);
        m.put("enable_profiling", enableProfiling);
        m.put("max_profile_spans", maxProfileSpans);
        m.put("profile_memory", profileMemory);
        m.put("metric_collection_interval", metricCollectionIntervalSeconds);
        m.put("health_check_interval", healthCheckIntervalSeconds);
        m.put("live_window", liveWindowSeconds);
        m.put("degradation_ratio", degradationRatio);
        m.put("max_history_size", maxHistorySize);
        m.put("max_layers", maxLayers);
        m.put("enable_resource_sampling", enableResourceSampling);
        m.put("resource_sampling_interval", resourceSamplingIntervalSeconds);
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("high_latency", highLatencySeconds);
        thresholds.put("low_efficiency", lowEfficiency);
        thresholds.put("high_error_rate", highErrorRate);
        m.put("alert_thresholds", thresholds);
        m.put("enable_alerts", enableAlerts);
        m.put("alert_channels", alertChannels);
        m.put("severity_levels", severityLevels);
        m.put("alert_cooldown", alertCooldownSeconds);
        Map<String, Object> rules = new LinkedHashMap<>();
        for (String severity : SEVERITIES) {
            if (escalationRules.containsKey(severity)) {
                rules.put(severity, escalationRules.get(severity));
            }
        }
        m.put("escalation_rules", rules);
        if (alertFile != null) {
            m.put("alert_file", alertFile);
        }
        if (!alertRules.isEmpty()) {
            m.put("alert_rules", AlertRulesJson.toMaps(alertRules));
        }
        return m;
    }

    @Override
    public String toString() {
        return "MonitoringConfig" + toMap();
    }

    /** Builder with the defaults of the class comment; {@link #build()} checks every value. */
    public static final class Builder {
        private boolean enableRealTime;
        private boolean enableProfiling;
        private long maxProfileSpans = 16384;
        private boolean profileMemory;
        private double metricCollectionInterval = 1.0;
        private double healthCheckInterval = 5.0;
        private double liveWindow = 60.0;
        private double degradationRatio = 2.0;
        private long maxHistorySize = 1000;
        private long maxLayers = 32;
        private boolean enableResourceSampling = true;
        private Double resourceSamplingInterval; // null: follow metric_collection_interval
        private double highLatency = 0.1;
        private double lowEfficiency = 0.5;
        private double highErrorRate = 0.05;
        private boolean enableAlerts = true;
        private List<String> alertChannels = List.of("console");
        private List<String> severityLevels = SEVERITIES;
        private double alertCooldown = 300;
        private Map<String, Double> escalationRules = Map.of("critical", 0.0, "error", 30.0, "warning", 300.0);
        private String alertFile;
        private List<AlertRule> alertRules = List.of();

        private Builder() {
        }

        public Builder enableRealTime(boolean v) {
            enableRealTime = v;
            return this;
        }

        public Builder enableProfiling(boolean v) {
            enableProfiling = v;
            return this;
        }

        /** Spans per thread's profiling buffer; see the class comment. */
        public Builder maxProfileSpans(long spans) {
            maxProfileSpans = spans;
            return this;
        }

        /** Whether profiled blocks record the JVM bytes each span allocated. */
        public Builder profileMemory(boolean v) {
            profileMemory = v;
            return this;
        }

        /** Seconds between interval snapshots. */
        public Builder metricCollectionInterval(double seconds) {
            metricCollectionInterval = seconds;
            return this;
        }

        public Builder healthCheckInterval(double seconds) {
            healthCheckInterval = seconds;
            return this;
        }

        /** Seconds covered by live stats and by health's recent window. */
        public Builder liveWindow(double seconds) {
            liveWindow = seconds;
            return this;
        }

        /** Recent over baseline p99 above which a stage counts as degraded; must exceed 1. */
        public Builder degradationRatio(double ratio) {
            degradationRatio = ratio;
            return this;
        }

        public Builder maxHistorySize(long entries) {
            maxHistorySize = entries;
            return this;
        }

        public Builder maxLayers(long layers) {
            maxLayers = layers;
            return this;
        }

        public Builder enableResourceSampling(boolean v) {
            enableResourceSampling = v;
            return this;
        }

        /** Seconds between resource sampler polls; unset, it follows {@code metric_collection_interval}. */
        public Builder resourceSamplingInterval(double seconds) {
            resourceSamplingInterval = seconds;
            return this;
        }

        public Builder highLatency(double seconds) {
            highLatency = seconds;
            return this;
        }

        public Builder lowEfficiency(double ratio) {
            lowEfficiency = ratio;
            return this;
        }

        public Builder highErrorRate(double ratio) {
            highErrorRate = ratio;
            return this;
        }

        public Builder enableAlerts(boolean v) {
            enableAlerts = v;
            return this;
        }

        public Builder alertChannels(List<String> channels) {
            alertChannels = List.copyOf(channels);
            return this;
        }

        public Builder severityLevels(List<String> levels) {
            severityLevels = List.copyOf(levels);
            return this;
        }

        public Builder alertCooldown(double seconds) {
            alertCooldown = seconds;
            return this;
        }

        /** Replaces the defaults for the severities given; the others keep theirs. */
        public Builder escalationRules(Map<String, Double> secondsBySeverity) {
            Map<String, Double> merged = new LinkedHashMap<>(escalationRules);
            merged.putAll(secondsBySeverity);
            escalationRules = merged;
            return this;
        }

        /** The JSON lines file of the alert "file" channel; checked by {@link #build()}. */
        public Builder alertFile(String path) {
            alertFile = path;
            return this;
        }

        /** User alert rules, run by the monitor's alert manager next to the defaults (same name: replaces one). */
        public Builder alertRules(List<AlertRule> rules) {
            alertRules = rules == null ? List.of() : List.copyOf(rules);
            return this;
        }

        public Builder alertFile(Path path) {
            alertFile = path == null ? null : path.toString();
            return this;
        }

        public MonitoringConfig build() {
            return new MonitoringConfig(this);
        }
    }
}
