package dev.cmr.monitor;

import static dev.cmr.io.ConfigErrors.assertRejected;
import static dev.cmr.io.ConfigErrors.assertRejectedStartingWith;
import static dev.cmr.io.ConfigErrors.assertSuggests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitoringConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every key of the class comment's table, each set to a non-default value. */
    private static final String ALL_KEYS_JSON = """
            {
              "enable_real_time": true,
              "enable_profiling": true,
              "max_profile_spans": 2048,
              "profile_memory": true,
              "metric_collection_interval": 0.25,
              "health_check_interval": 12.5,
              "live_window": 30,
              "degradation_ratio": 3.5,
              "max_history_size": 4321,
              "max_layers": 64,
              "enable_resource_sampling": false,
              "resource_sampling_interval": 2.5,
              "alert_thresholds": {
                "high_latency": 0.75,
                "low_efficiency": 0.2,
                "high_error_rate": 0.125
              },
              "enable_alerts": false,
              "alert_channels": ["file", "log"],
              "severity_levels": ["critical", "error"],
              "alert_cooldown": 42.5,
              "escalation_rules": {"critical": 1.5, "error": 60, "warning": 600}
            }
            """;

    // ---- defaults ----

    @Test
    void builderDefaultsMatchDocumentedTable() {
        MonitoringConfig c = MonitoringConfig.builder().build();

        assertThat(c.enableRealTime()).isFalse();
        assertThat(c.enableProfiling()).isFalse();
        assertThat(c.maxProfileSpans()).isEqualTo(16384);
        assertThat(c.profileMemory()).isFalse();
        assertThat(c.metricCollectionIntervalSeconds()).isEqualTo(1.0);
        assertThat(c.metricCollectionIntervalNanos()).isEqualTo(1_000_000_000L);
        assertThat(c.healthCheckIntervalSeconds()).isEqualTo(5.0);
        assertThat(c.healthCheckIntervalNanos()).isEqualTo(5_000_000_000L);
        assertThat(c.liveWindowSeconds()).isEqualTo(60.0);
        assertThat(c.degradationRatio()).isEqualTo(2.0);
        assertThat(c.maxHistorySize()).isEqualTo(1000);
        assertThat(c.maxLayers()).isEqualTo(32);
        assertThat(c.highLatencySeconds()).isEqualTo(0.1);
        assertThat(c.lowEfficiency()).isEqualTo(0.5);
        assertThat(c.highErrorRate()).isEqualTo(0.05);
        assertThat(c.enableAlerts()).isTrue();
        assertThat(c.alertChannels()).containsExactly("console");
        assertThat(c.severityLevels()).containsExactly("warning", "error", "critical");
        assertThat(c.alertCooldownSeconds()).isEqualTo(300.0);
        assertThat(c.escalationRules()).containsOnly(
                entry("critical", 0.0), entry("error", 30.0), entry("warning", 300.0));
    }

    @Test
    void defaultsAndEmptyJsonObjectEqualBuilderDefaults() {
        Map<String, Object> builderDefaults = MonitoringConfig.builder().build().toMap();

        assertThat(MonitoringConfig.defaults().toMap()).isEqualTo(builderDefaults);
        assertThat(MonitoringConfig.fromJson("{}").toMap()).isEqualTo(builderDefaults);
    }

    // ---- reading JSON ----

    @Test
    void fromJsonReadsEveryKeyIncludingNestedOnes() {
        MonitoringConfig c = MonitoringConfig.fromJson(ALL_KEYS_JSON);

        assertThat(c.enableRealTime()).isTrue();
        assertThat(c.enableProfiling()).isTrue();
        assertThat(c.maxProfileSpans()).isEqualTo(2048);
        assertThat(c.profileMemory()).isTrue();
        assertThat(c.metricCollectionIntervalSeconds()).isEqualTo(0.25);
        assertThat(c.metricCollectionIntervalNanos()).isEqualTo(250_000_000L);
        assertThat(c.healthCheckIntervalSeconds()).isEqualTo(12.5);
        assertThat(c.liveWindowSeconds()).isEqualTo(30.0);
        assertThat(c.degradationRatio()).isEqualTo(3.5);
        assertThat(c.maxHistorySize()).isEqualTo(4321);
        assertThat(c.maxLayers()).isEqualTo(64);
        assertThat(c.enableResourceSampling()).isFalse();
        assertThat(c.resourceSamplingIntervalSeconds()).isEqualTo(2.5);
        assertThat(c.highLatencySeconds()).isEqualTo(0.75);
        assertThat(c.lowEfficiency()).isEqualTo(0.2);
        assertThat(c.highErrorRate()).isEqualTo(0.125);
        assertThat(c.enableAlerts()).isFalse();
        assertThat(c.alertChannels()).containsExactlyInAnyOrder("file", "log");
        assertThat(c.severityLevels()).containsExactlyInAnyOrder("critical", "error");
        assertThat(c.alertCooldownSeconds()).isEqualTo(42.5);
        assertThat(c.escalationRules()).containsOnly(
                entry("critical", 1.5), entry("error", 60.0), entry("warning", 600.0));
    }

    @Test
    void partialNestedObjectsKeepDefaultsForMissingKeys() {
        MonitoringConfig c = MonitoringConfig.fromJson("""
                {"alert_thresholds": {"low_efficiency": 0.9}, "escalation_rules": {"error": 5}}
                """);

        assertThat(c.lowEfficiency()).isEqualTo(0.9);
        assertThat(c.highLatencySeconds()).isEqualTo(0.1);
        assertThat(c.highErrorRate()).isEqualTo(0.05);
        assertThat(c.escalationRules()).containsOnly(
                entry("critical", 0.0), entry("error", 5.0), entry("warning", 300.0));
    }

    // ---- unknown keys ----

    @Test
    void unknownKeyNamesClosestValidKey() {
        assertRejected(MonitoringConfig::fromJson, "{\"metric_colection_interval\": 2.0}",
                "unknown configuration key 'metric_colection_interval'; did you mean 'metric_collection_interval'?");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "max_layer,             max_layers",
            "enable_alert,          enable_alerts",
            "max_histroy_size,      max_history_size",
            "health_check_intervall, health_check_interval",
            "alert_cooldwn,         alert_cooldown",
            "escalation_rule,       escalation_rules",
    })
    void unknownKeySuggestionIsTheNearestKeyByEditDistance(String typo, String expected) {
        assertSuggests(MonitoringConfig::fromJson, typo, expected);
    }

    @Test
    void unknownNestedThresholdKeyNamesClosestValidNestedKey() {
        assertRejected(MonitoringConfig::fromJson, "{\"alert_thresholds\": {\"high_latancy\": 0.2}}",
                "unknown configuration key 'alert_thresholds.high_latancy'; "
                        + "did you mean 'alert_thresholds.high_latency'?");
    }

    @Test
    void escalationRuleForUnknownSeverityNamesClosestSeverity() {
        assertRejected(MonitoringConfig::fromJson, "{\"escalation_rules\": {\"critcal\": 0}}",
                "unknown configuration key 'escalation_rules.critcal'; did you mean 'escalation_rules.critical'?");
    }

    @Test
    void builderRejectsEscalationRuleForUnknownSeverity() {
        MonitoringConfig.Builder b = MonitoringConfig.builder().escalationRules(Map.of("warnin", 10.0));

        assertRejected(MonitoringConfig.Builder::build, b,
                "unknown configuration key 'escalation_rules.warnin'; did you mean 'escalation_rules.warning'?");
    }

    // ---- out-of-range values: the message names the key and the allowed range ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"max_history_size\": 0}                       | max_history_size must be in [1, 1000000], was 0",
            "{\"max_history_size\": 1000001}                 | max_history_size must be in [1, 1000000], was 1000001",
            "{\"max_layers\": 0}                             | max_layers must be in [1, 4096], was 0",
            "{\"max_layers\": 4097}                          | max_layers must be in [1, 4096], was 4097",
            "{\"max_profile_spans\": 0}                      | max_profile_spans must be in [1, 1048576], was 0",
            "{\"max_profile_spans\": 1048577}                | max_profile_spans must be in [1, 1048576], was 1048577",
            "{\"metric_collection_interval\": 0.001}         | metric_collection_interval must be in [0.01, 3600], was 0.001",
            "{\"metric_collection_interval\": 3600.5}        | metric_collection_interval must be in [0.01, 3600], was 3600.5",
            "{\"health_check_interval\": 0}                  | health_check_interval must be in [0.01, 86400], was 0",
            "{\"health_check_interval\": 86401}              | health_check_interval must be in [0.01, 86400], was 86401",
            "{\"live_window\": 0.001}                        | live_window must be in [0.01, 86400], was 0.001",
            "{\"live_window\": 86401}                        | live_window must be in [0.01, 86400], was 86401",
            "{\"degradation_ratio\": 1}                      | degradation_ratio must be in (1, 1000], was 1",
            "{\"degradation_ratio\": 1000.5}                 | degradation_ratio must be in (1, 1000], was 1000.5",
            "{\"alert_cooldown\": -1}                        | alert_cooldown must be in [0, 86400], was -1",
            "{\"alert_thresholds\": {\"high_latency\": 0}}   | alert_thresholds.high_latency must be in (0, 3600], was 0",
            "{\"alert_thresholds\": {\"low_efficiency\": 1.5}} | alert_thresholds.low_efficiency must be in [0, 1], was 1.5",
            "{\"alert_thresholds\": {\"high_error_rate\": -0.1}} | alert_thresholds.high_error_rate must be in [0, 1], was -0.1",
            "{\"escalation_rules\": {\"error\": 86400.5}}    | escalation_rules.error must be in [0, 86400], was 86400.5",
            "{\"escalation_rules\": {\"critical\": -3}}      | escalation_rules.critical must be in [0, 86400], was -3",
    })
    void outOfRangeValueNamesKeyAndRange(String json, String message) {
        assertRejected(MonitoringConfig::fromJson, json, message);
    }

    @Test
    void rangeBoundsAreInclusiveExceptHighLatencyLowerBound() {
        MonitoringConfig low = MonitoringConfig.fromJson("""
                {"max_history_size": 1, "max_layers": 1, "max_profile_spans": 1, "metric_collection_interval": 0.01,
                 "health_check_interval": 0.01, "alert_cooldown": 0,
                 "live_window": 0.01, "degradation_ratio": 1.000001,
                 "alert_thresholds": {"high_latency": 1e-9, "low_efficiency": 0, "high_error_rate": 0},
                 "escalation_rules": {"critical": 0, "error": 0, "warning": 0}}
                """);
        MonitoringConfig high = MonitoringConfig.fromJson("""
                {"max_history_size": 1000000, "max_layers": 4096, "max_profile_spans": 1048576,
                 "metric_collection_interval": 3600,
                 "health_check_interval": 86400, "alert_cooldown": 86400,
                 "live_window": 86400, "degradation_ratio": 1000,
                 "alert_thresholds": {"high_latency": 3600, "low_efficiency": 1, "high_error_rate": 1},
                 "escalation_rules": {"critical": 86400, "error": 86400, "warning": 86400}}
                """);

        assertThat(low.maxHistorySize()).isEqualTo(1);
        assertThat(low.highLatencySeconds()).isEqualTo(1e-9);
        assertThat(high.maxHistorySize()).isEqualTo(1_000_000);
        assertThat(high.maxLayers()).isEqualTo(4096);
        assertThat(low.maxProfileSpans()).isEqualTo(1);
        assertThat(high.maxProfileSpans()).isEqualTo(MonitoringConfig.MAX_PROFILE_SPANS);
        assertThat(low.liveWindowSeconds()).isEqualTo(0.01);
        assertThat(low.degradationRatio()).isEqualTo(1.000001);
        assertThat(high.liveWindowSeconds()).isEqualTo(86400.0);
        assertThat(high.degradationRatio()).isEqualTo(1000.0);
        assertThat(high.escalationRules()).containsEntry("warning", 86400.0);
    }

    @Test
    void builderChecksRangesToo() {
        assertRejected(MonitoringConfig.Builder::build, MonitoringConfig.builder().maxHistorySize(0),
                "max_history_size must be in [1, 1000000], was 0");
        assertRejected(MonitoringConfig.Builder::build,
                MonitoringConfig.builder().metricCollectionInterval(Double.NaN),
                "metric_collection_interval must be in [0.01, 3600], was NaN");
        assertRejectedStartingWith(MonitoringConfig.Builder::build,
                MonitoringConfig.builder().maxLayers(Long.MAX_VALUE), "max_layers must be in [1, 4096], was ");
        assertRejected(MonitoringConfig.Builder::build, MonitoringConfig.builder().maxProfileSpans(-1),
                "max_profile_spans must be in [1, 1048576], was -1");
    }

    // ---- wrong types: the message names the key ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"enable_alerts\": \"yes\"}                    | enable_alerts must be true or false, was \"yes\"",
            "{\"enable_real_time\": 1}                       | enable_real_time must be true or false, was 1",
            "{\"enable_profiling\": null}                    | enable_profiling must be true or false, was null",
            "{\"max_layers\": \"32\"}                        | max_layers must be a whole number, was \"32\"",
            "{\"max_profile_spans\": 100.5}                  | max_profile_spans must be a whole number, was 100.5",
            "{\"profile_memory\": \"on\"}                    | profile_memory must be true or false, was \"on\"",
            "{\"max_history_size\": 10.5}                    | max_history_size must be a whole number, was 10.5",
            "{\"metric_collection_interval\": \"1s\"}        | metric_collection_interval must be a number, was \"1s\"",
            "{\"alert_cooldown\": true}                      | alert_cooldown must be a number, was true",
            "{\"live_window\": \"60s\"}                     | live_window must be a number, was \"60s\"",
            "{\"alert_thresholds\": 0.1}                     | alert_thresholds must be a JSON object, was 0.1",
            "{\"alert_thresholds\": {\"high_latency\": \"fast\"}} | alert_thresholds.high_latency must be a number, was \"fast\"",
            "{\"escalation_rules\": [0, 30, 300]}            | escalation_rules must be a JSON object, was [0,30,300]",
            "{\"escalation_rules\": {\"error\": null}}       | escalation_rules.error must be a number, was null",
            "{\"alert_channels\": \"console\"}               | alert_channels must be a list of strings, was \"console\"",
            "{\"severity_levels\": [\"error\", 3]}           | severity_levels must be a list of strings, has 3",
    })
    void wrongTypeNamesKey(String json, String message) {
        assertRejected(MonitoringConfig::fromJson, json, message);
    }

    @Test
    void unknownAlertChannelIsRejectedWithAllowedChannels() {
        assertRejected(MonitoringConfig::fromJson, "{\"alert_channels\": [\"console\", \"email\"]}",
                "alert_channels may only contain [console, log, file, callback], has \"email\"");
    }

    @Test
    void unknownSeverityLevelIsRejectedWithAllowedLevels() {
        assertRejected(MonitoringConfig::fromJson, "{\"severity_levels\": [\"fatal\"]}",
                "severity_levels may only contain [warning, error, critical], has \"fatal\"");
    }

    @Test
    void channelListsAreDeduplicatedInDocumentedOrder() {
        MonitoringConfig c = MonitoringConfig.fromJson("""
                {"alert_channels": ["callback", "console", "callback"], "severity_levels": ["critical", "warning"]}
                """);

        assertThat(c.alertChannels()).containsExactly("console", "callback");
        assertThat(c.severityLevels()).containsExactly("warning", "critical");
    }

    // ---- not JSON / not an object ----

    @Test
    void invalidJsonIsReportedAsSuch() {
        assertRejectedStartingWith(MonitoringConfig::fromJson, "{\"max_layers\": 32,",
                "configuration is not valid JSON: ");
        assertRejectedStartingWith(MonitoringConfig::fromJson, "max_layers = 32", "configuration is not valid JSON: ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[1, 2]", "42", "\"text\"", "null"})
    void nonObjectJsonIsRejected(String json) {
        assertRejected(MonitoringConfig::fromJson, json, "configuration must be a JSON object");
    }

    @Test
    void trailingContentAfterTheObjectIsInvalidJson() {
        // A stray closing brace (or a second object pasted after the first) is not a JSON object; accepting it
        // silently would hide a broken configuration file.
        assertRejectedStartingWith(MonitoringConfig::fromJson, "{\"max_layers\": 8}}",
                "configuration is not valid JSON: ");
        assertRejectedStartingWith(MonitoringConfig::fromJson, "{\"max_layers\": 8} {\"max_layers\": 16}",
                "configuration is not valid JSON: ");
    }

    @Test
    void aRepeatedKeyIsInvalidJson() {
        assertRejectedStartingWith(MonitoringConfig::fromJson, "{\"max_layers\": 8, \"max_layers\": 16}",
                "configuration is not valid JSON: Duplicate field 'max_layers'");
    }

    // ---- load(Path) ----

    @Test
    void loadReadsConfigurationFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("monitor.json");
        Files.writeString(file, ALL_KEYS_JSON);

        MonitoringConfig c = MonitoringConfig.load(file);

        assertThat(c.toMap()).isEqualTo(MonitoringConfig.fromJson(ALL_KEYS_JSON).toMap());
        assertThat(c.maxHistorySize()).isEqualTo(4321);
    }

    @Test
    void loadErrorMessageStartsWithFilePath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"max_history_size\": 0}");

        assertRejected(MonitoringConfig::load, file, file + ": max_history_size must be in [1, 1000000], was 0");
    }

    @Test
    void loadUnknownKeyMessageStartsWithFilePath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, "{\"metric_colection_interval\": 2.0}");

        assertRejected(MonitoringConfig::load, file, file + ": unknown configuration key 'metric_colection_interval'; "
                + "did you mean 'metric_collection_interval'?");
    }

    @Test
    void loadOfAMissingFileSaysNotFound(@TempDir Path dir) {
        Path file = dir.resolve("missing.json");

        assertRejected(MonitoringConfig::load, file, file + ": not found");
    }

    @Test
    void loadOfADirectoryIsBadInputNamingIt(@TempDir Path dir) {
        assertRejected(MonitoringConfig::load, dir, dir + ": is a directory");
    }

    @Test
    void loadOfInvalidUtf8NamesTheByteOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.json");
        // "{"a": "é"}" in ISO-8859-1: 0xE9 at offset 7 starts no valid UTF-8 sequence.
        Files.write(file, new byte[] {'{', '"', 'a', '"', ':', ' ', '"', (byte) 0xE9, '"', '}'});

        assertRejected(MonitoringConfig::load, file, file + ": not valid UTF-8 (byte offset 7)");
    }

    // ---- toMap ----

    @Test
    void toMapRoundTripsThroughFromJson() throws Exception {
        for (MonitoringConfig original : List.of(MonitoringConfig.defaults(), MonitoringConfig.fromJson(ALL_KEYS_JSON))) {
            String json = JSON.writeValueAsString(original.toMap());

            MonitoringConfig parsed = MonitoringConfig.fromJson(json);

            assertThat(parsed.toMap()).isEqualTo(original.toMap());
        }
    }

    @Test
    void toMapUsesTheDocumentedKeysInOrder() {
        Map<String, Object> m = MonitoringConfig.defaults().toMap();

        assertThat(m.keySet()).containsExactly("enable_real_time", "enable_profiling", "max_profile_spans",
                "profile_memory", "metric_collection_interval",
                "health_check_interval", "live_window", "degradation_ratio", "max_history_size", "max_layers",
                "enable_resource_sampling", "resource_sampling_interval", "alert_thresholds", "enable_alerts",
                "alert_channels", "severity_levels", "alert_cooldown", "escalation_rules");
        assertThat(m.get("alert_thresholds")).isEqualTo(
                Map.of("high_latency", 0.1, "low_efficiency", 0.5, "high_error_rate", 0.05));
        assertThat(List.<Object>copyOf(((Map<?, ?>) m.get("escalation_rules")).keySet()))
                .containsExactly("warning", "error", "critical");
    }
}
