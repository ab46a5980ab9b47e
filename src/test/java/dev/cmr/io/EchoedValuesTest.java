package dev.cmr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.profile.ProfileResults;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The shrunk cases of the parser fuzz properties: a value a file gives is echoed in the error on one line (escaped,
 * as JSON writes a string) and cut to {@value ConfigValues#SHOWN_CHARS} characters with its full length, so that a
 * one-megabyte string or a string holding a newline still gives a one-line error naming the key.
 */
class EchoedValuesTest {
    private static final String MEGABYTE = "x".repeat(1 << 20);
    private static final String CUT = "\"" + "x".repeat(ConfigValues.SHOWN_CHARS) + "...\" (1048576 chars)";

    private static String messageOf(Function<String, ?> reader, String json) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.apply(json));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        return thrown.getMessage();
    }

    @Test
    void aHugeStringWhereANumberBelongsIsShownCutWithItsLength() {
        assertThat(messageOf(MonitoringConfig::fromJson, "{\"live_window\": \"" + MEGABYTE + "\"}"))
                .isEqualTo("live_window must be a number, was " + CUT);
    }

    @Test
    void aHugeUnknownChannelIsShownCutWithItsLength() {
        assertThat(messageOf(MonitoringConfig::fromJson, "{\"alert_channels\": [\"" + MEGABYTE + "\"]}"))
                .isEqualTo("alert_channels may only contain [console, log, file, callback], has " + CUT);
    }

    @Test
    void aNewlineInAnUnknownChannelIsEscaped() {
        assertThat(messageOf(MonitoringConfig::fromJson, "{\"alert_channels\": [\"lo\\ng\"]}"))
                .isEqualTo("alert_channels may only contain [console, log, file, callback], has \"lo\\ng\"");
    }

    @Test
    void aNulInAnAlertFileIsEscaped() {
        assertThat(messageOf(MonitoringConfig::fromJson, "{\"alert_file\": \"a\\u0000\\n\"}"))
                .isEqualTo("alert_file must be a file path, was \"a\\u0000\\n\": Nul character not allowed");
    }

    @Test
    void anAlertRuleComparisonWithANewlineIsEscaped() {
        String rule = "{\"alert_rules\": [{\"name\": \"r\", \"metric\": \"system.error_rate\", \"comparison\": "
                + "\"ab\\nove\", \"threshold\": 1, \"severity\": \"error\"}]}";
        assertThat(messageOf(MonitoringConfig::fromJson, rule))
                .isEqualTo("alert_rules[0].comparison must be \"above\" or \"below\", was \"ab\\nove\"");
    }

    @Test
    void aHugeAlertRuleNameIsShownCutInTheMetricError() {
        String rule = "{\"alert_rules\": [{\"name\": \"" + MEGABYTE + "\", \"metric\": \"nodot\", "
                + "\"comparison\": \"above\", \"threshold\": 1, \"severity\": \"error\"}]}";
        assertThat(messageOf(MonitoringConfig::fromJson, rule)).isEqualTo("alert_rules[0]: alert rule '"
                + "x".repeat(ConfigValues.SHOWN_CHARS) + "...': metric must look like <component>.<name> (letters, digits, '_', '-', '.'), was \"nodot\"");
    }

    @Test
    void aSeverityWithANewlineIsEscaped() {
        String rule = "{\"alert_rules\": [{\"name\": \"r\", \"metric\": \"system.error_rate\", \"comparison\": "
                + "\"above\", \"threshold\": 1, \"severity\": \"er\\nror\"}]}";
        assertThat(messageOf(MonitoringConfig::fromJson, rule)).isEqualTo(
                "alert_rules[0].severity: severity must be one of [warning, error, critical], was \"er\\nror\"");
    }

    @Test
    void anUnknownKeyWithANewlineIsEscaped() {
        assertThat(messageOf(MonitoringConfig::fromJson, "{\"max_\\nlayers\": 1}"))
                .isEqualTo("unknown configuration key 'max_\\nlayers'; did you mean 'max_layers'?");
    }

    @Test
    void aMemoryEnumWithANewlineIsEscaped() {
        assertThat(messageOf(MemoryConfig::fromJson, "{\"scoring_method\": \"hy\\nbrid\"}")).isEqualTo(
                "scoring_method must be one of [attention_based, variance_based, hybrid], was \"hy\\nbrid\"");
    }

    @Test
    void aLongLayerWeightKeyIsShownCut() {
        String key = "x".repeat(40_000); // JSON parsing refuses names over 50,000 chars
        assertThat(messageOf(MemoryConfig::fromJson, "{\"layer_weights\": {\"" + key + "\": 1}}")).isEqualTo(
                "layer_weights keys must be layer numbers, was \"" + key.substring(0, ConfigValues.SHOWN_CHARS)
                        + "...\" (40000 chars)");
    }

    @Test
    void aHugeStringInAProfileSampleListIsShownCut() {
        String profile = "{\"schema_version\": 1, \"executions\": \"" + MEGABYTE + "\"}";
        assertThat(messageOf(ProfileResults::fromJson, profile)).isEqualTo("executions must be a list, was " + CUT);
    }

    @Test
    void aLongListIsShownCut() {
        String list = "[" + "1,".repeat(10_000) + "1]";
        String message = messageOf(MonitoringConfig::fromJson, "{\"live_window\": " + list + "}");
        assertThat(message).startsWith("live_window must be a number, was [1,1,1").endsWith("... (20003 chars)");
        assertThatThrownBy(() -> MonitoringConfig.fromJson("{\"live_window\": " + list + "}"))
                .hasMessageNotContaining("\n");
    }
}
