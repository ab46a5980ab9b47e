package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CompareSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(CompareSettings.DEFAULTS)
                .isEqualTo(new CompareSettings(0.10, 0.95, 10, 1_000, 2_000, 0x5EED));
        assertThat(CompareSettings.DEFAULTS.tailIndex()).isEqualTo(50);
        assertThat(CompareSettings.DEFAULTS.improvementBound()).isCloseTo(-1.0 / 11, within(1e-15));
    }

    @Test
    void rejectsEachInvalidValueNamingItsKey() {
        assertThatThrownBy(() -> CompareSettings.builder().threshold(-0.1).build())
                .hasMessage("threshold must be in [0, 10], was -0.1");
        assertThatThrownBy(() -> CompareSettings.builder().confidence(1).build())
                .hasMessage("confidence must be in [0.5, 0.999], was 1");
        assertThatThrownBy(() -> CompareSettings.builder().minSamples(1).build())
                .hasMessage("min_samples must be >= 2, was 1");
        assertThatThrownBy(() -> CompareSettings.builder().noiseFloorNanos(0).build())
                .hasMessage("noise_floor_ns must be in [1, 1000000000], was 0");
        assertThatThrownBy(() -> CompareSettings.builder().resamples(99).build())
                .hasMessage("resamples must be >= 100, was 99");
    }

    @Test
    void rejectsTooFewResamplesForTheTailsOfTheInterval() {
        assertThatThrownBy(() -> CompareSettings.builder().confidence(0.999).resamples(1000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resamples must be >= 2000 for a confidence of 0.999, was 1000");
        assertThat(CompareSettings.builder().confidence(0.999).resamples(2000).build().tailIndex()).isEqualTo(1);
    }
}
