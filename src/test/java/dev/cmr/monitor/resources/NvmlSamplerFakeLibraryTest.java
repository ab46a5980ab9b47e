package dev.cmr.monitor.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.probe.CmrProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sampler end to end through libcmrprobe and JavaCPP against native/test/fake_nvml.c, the fake libnvidia-ml
 * that the Maven build compiles with CMake (target/native/test/libfake_nvml.so; override with
 * -Dcmr.fake.nvml=PATH). Its two GPUs carry fixed values (see the table in fake_nvml.c); GPU 1 lacks temperature.
 */
class NvmlSamplerFakeLibraryTest {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static String fake;

    @BeforeAll
    static void locateFake() {
        Path path = Path.of(System.getProperty("cmr.fake.nvml", "target/native/test/libfake_nvml.so"));
        assertThat(path).as("fake NVML built by CMake during the Maven build (mvn generate-resources)").exists();
        fake = path.toAbsolutePath().toString();
        assertThat(Files.isRegularFile(Path.of(fake))).isTrue();
    }

    @Test
    void mapsEveryGaugeOfAFullySupportedGpu() throws Exception {
        try (NvmlSampler sampler = NvmlSampler.open(fake, 0)) {
            assertThat(sampler.name()).isEqualTo("nvml0");
            assertThat(sampler.gpuName()).isEqualTo("Fake GPU 0");
            ResourceSample sample = sampler.sample(123_456_789L);

            assertThat(sample.source()).isEqualTo("nvml0");
            assertThat(sample.timestampNanos()).isEqualTo(123_456_789L);
            assertThat(sample.values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "gpu_utilization_percent", 87.0,
                    "gpu_memory_utilization_percent", 41.0,
                    "gpu_memory_used_bytes", 5 * GIB,
                    "gpu_memory_total_bytes", 16 * GIB,
                    "gpu_power_mw", 215_500.0,
                    "gpu_temperature_c", 71.0,
                    "gpu_sm_clock_mhz", 1755.0,
                    "gpu_clock_event_reasons", (double) 0x44));
            assertThat(sampler.lastError()).isNull();
            assertThat(ClockEventReasons.decode(sample.values().get("gpu_clock_event_reasons").longValue()))
                    .containsExactly("sw_power_cap", "hw_thermal_slowdown");
        }
    }

    @Test
    void energyDeltaIsAbsentFirstThenTheCounterStepBetweenSamples() throws Exception {
        try (NvmlSampler sampler = NvmlSampler.open(fake, 0)) {
            assertThat(sampler.sample(1).values()).doesNotContainKey("gpu_energy_delta_mj");
            assertThat(sampler.sample(2).values()).containsEntry("gpu_energy_delta_mj", 2500.0);
            assertThat(sampler.sample(3).values()).containsEntry("gpu_energy_delta_mj", 2500.0);
        }
    }

    @Test
    void unsupportedGaugeIsAbsentAndNamedWithoutFailingTheSample() throws Exception {
        try (NvmlSampler sampler = NvmlSampler.open(fake, 1)) {
            sampler.sample(1);
            ResourceSample sample = sampler.sample(2);

            assertThat(sample.values()).doesNotContainKey("gpu_temperature_c")
                    .containsEntry("gpu_utilization_percent", 5.0)
                    .containsEntry("gpu_memory_total_bytes", 8 * GIB)
                    .containsEntry("gpu_power_mw", 30_000.0)
                    .containsEntry("gpu_energy_delta_mj", 100.0)
                    .containsEntry("gpu_sm_clock_mhz", 300.0)
                    .containsEntry("gpu_clock_event_reasons", 1.0)
                    .hasSize(8);
            assertThat(sampler.lastError()).isEqualTo("not supported by Fake GPU 1 (nvml1): gpu_temperature_c");
        }
    }

    @Test
    void samplersShareOneNvmlAndTheLastCloseUnloadsIt() throws Exception {
        List<NvmlSampler> all = NvmlSampler.openAll(fake);
        assertThat(all).extracting(NvmlSampler::name).containsExactly("nvml0", "nvml1");
        all.get(0).close();
        assertThat(all.get(1).sample(1)).as("nvml1 still holds NVML").isNotNull();
        all.get(1).close();
        assertThat(CmrProbe.cmrp_nvml_shutdown()).as("no reference left").isEqualTo(-1);
    }

    @Test
    void closedSamplerReturnsNullAndSaysWhy() throws Exception {
        NvmlSampler sampler = NvmlSampler.open(fake, 0);
        sampler.close();
        sampler.close(); // idempotent: must not release a second reference
        assertThat(sampler.sample(1)).isNull();
        assertThat(sampler.lastError()).isEqualTo("nvml0 is closed");
    }

    @Test
    void absentGpuIndexIsReportedAndReleasesNvml() {
        assertThatThrownBy(() -> NvmlSampler.open(fake, 2))
                .isInstanceOf(NvmlUnavailableException.class)
                .hasMessage("NVML sees 2 GPU(s); there is no GPU with index 2");
        assertThat(CmrProbe.cmrp_nvml_shutdown()).as("the failed open released its reference").isEqualTo(-1);
    }

    @Test
    void aSecondNvmlLibraryIsRefusedWhileOneIsOpen() throws Exception {
        try (NvmlSampler sampler = NvmlSampler.open(fake, 0)) {
            assertThatThrownBy(() -> NvmlSampler.open(NvmlSampler.DEFAULT_LIBRARY, 0))
                    .isInstanceOf(NvmlUnavailableException.class)
                    .hasMessage("NVML is already loaded from " + fake + "; cannot also load libnvidia-ml.so.1");
            assertThat(sampler.sample(1)).isNotNull();
        }
    }
}
