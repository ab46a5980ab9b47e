package dev.cmr.monitor.alert;

import static dev.cmr.io.ConfigErrors.assertRejected;
import static dev.cmr.io.ConfigErrors.assertRejectedStartingWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.MonitoringConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code alert_file} key the alert package added to {@link MonitoringConfig}. */
class AlertConfigKeysTest {

    @Test
    void alertFileIsReadFromJsonAndRoundTripsThroughToMap() throws Exception {
        MonitoringConfig c = MonitoringConfig.fromJson("{\"alert_file\": \"/var/log/cmr/alerts.jsonl\"}");

        assertThat(c.alertFile()).contains(Path.of("/var/log/cmr/alerts.jsonl"));
        assertThat(c.toMap()).containsEntry("alert_file", "/var/log/cmr/alerts.jsonl");
        MonitoringConfig again = MonitoringConfig.fromJson(new ObjectMapper().writeValueAsString(c.toMap()));
        assertThat(again.alertFile()).isEqualTo(c.alertFile());
    }

    @Test
    void alertFileIsUnsetByDefaultAndLeftOutOfToMap() {
        assertThat(MonitoringConfig.defaults().alertFile()).isEmpty();
        assertThat(MonitoringConfig.defaults().toMap()).doesNotContainKey("alert_file");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"alert_file\": 3}        | alert_file must be a string, was 3",
            "{\"alert_file\": null}     | alert_file must be a string, was null",
            "{\"alert_file\": \"  \"}   | alert_file must be a file path, was \"  \"",
            "{\"alert_fil\": \"a\"}     | unknown configuration key 'alert_fil'; did you mean 'alert_file'?",
    })
    void badAlertFileValueNamesTheKey(String json, String message) {
        assertRejected(MonitoringConfig::fromJson, json, message);
    }

    @Test
    void pathWithANulCharacterIsRejectedByTheBuilder() {
        assertRejectedStartingWith(MonitoringConfig.Builder::build, MonitoringConfig.builder().alertFile("a\0b"),
                "alert_file must be a file path, was \"a\\u0000b\": ");
    }
}
