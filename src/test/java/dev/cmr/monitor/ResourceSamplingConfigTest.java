package dev.cmr.monitor;

import static dev.cmr.io.ConfigErrors.assertRejected;
import static dev.cmr.io.ConfigErrors.assertSuggests;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration keys of resource sampling: enable_resource_sampling and resource_sampling_interval. */
class ResourceSamplingConfigTest {

    @Test
    void samplingIsOnByDefaultAndFollowsTheCollectionInterval() {
        MonitoringConfig defaults = MonitoringConfig.defaults();
        MonitoringConfig fast = MonitoringConfig.fromJson("{\"metric_collection_interval\": 0.25}");

        assertThat(defaults.enableResourceSampling()).isTrue();
        assertThat(defaults.resourceSamplingIntervalSeconds()).isEqualTo(1.0);
        assertThat(fast.resourceSamplingIntervalSeconds()).isEqualTo(0.25);
        assertThat(fast.resourceSamplingIntervalNanos()).isEqualTo(250_000_000L);
        assertThat(fast.toMap()).containsEntry("resource_sampling_interval", 0.25);
    }

    @Test
    void anExplicitSamplingIntervalIsIndependentOfTheCollectionInterval() {
        MonitoringConfig c = MonitoringConfig.fromJson("""
                {"metric_collection_interval": 5, "resource_sampling_interval": 0.05, "enable_resource_sampling": true}
                """);

        assertThat(c.metricCollectionIntervalSeconds()).isEqualTo(5.0);
        assertThat(c.resourceSamplingIntervalSeconds()).isEqualTo(0.05);
        assertThat(c.resourceSamplingIntervalNanos()).isEqualTo(50_000_000L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"resource_sampling_interval\": 0.005}   | resource_sampling_interval must be in [0.01, 3600], was 0.005",
            "{\"resource_sampling_interval\": 3601}    | resource_sampling_interval must be in [0.01, 3600], was 3601",
            "{\"resource_sampling_interval\": -1}      | resource_sampling_interval must be in [0.01, 3600], was -1",
            "{\"resource_sampling_interval\": \"1s\"}  | resource_sampling_interval must be a number, was \"1s\"",
            "{\"resource_sampling_interval\": null}    | resource_sampling_interval must be a number, was null",
            "{\"enable_resource_sampling\": \"on\"}    | enable_resource_sampling must be true or false, was \"on\"",
            "{\"enable_resource_sampling\": 0}         | enable_resource_sampling must be true or false, was 0",
    })
    void badValuesNameTheKeyAndTheAllowedRange(String json, String message) {
        assertRejected(MonitoringConfig::fromJson, json, message);
    }

    @Test
    void rangeBoundsAreInclusive() {
        assertThat(MonitoringConfig.builder().resourceSamplingInterval(0.01).build().resourceSamplingIntervalSeconds())
                .isEqualTo(0.01);
        assertThat(MonitoringConfig.builder().resourceSamplingInterval(3600).build().resourceSamplingIntervalSeconds())
                .isEqualTo(3600.0);
    }

    @Test
    void builderChecksTheSamplingIntervalToo() {
        assertRejected(MonitoringConfig.Builder::build,
                MonitoringConfig.builder().resourceSamplingInterval(Double.NaN),
                "resource_sampling_interval must be in [0.01, 3600], was NaN");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "resource_sampling_intervall, resource_sampling_interval",
            "resource_sample_interval,    resource_sampling_interval",
            "enable_resource_samplng,     enable_resource_sampling",
            "enable_resources_sampling,   enable_resource_sampling",
    })
    void typosOfTheNewKeysSuggestThem(String typo, String expected) {
        assertSuggests(MonitoringConfig::fromJson, typo, expected);
    }
}
