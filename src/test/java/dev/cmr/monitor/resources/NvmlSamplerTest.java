package dev.cmr.monitor.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cmr.monitor.probe.CmrProbe;
import org.junit.jupiter.api.Test;

/** The sampler against the real NVML of this machine, which has no NVIDIA driver. */
class NvmlSamplerTest {
    @Test
    void reportsMissingNvmlByItsLibraryName() {
        CmrProbe.load();
        assumeTrue(CmrProbe.cmrp_probe_library(NvmlSampler.DEFAULT_LIBRARY) != 0,
                "libnvidia-ml.so.1 is installed here, so its absence cannot be shown");

        assertThatThrownBy(() -> NvmlSampler.open(0))
                .isInstanceOf(NvmlUnavailableException.class)
                .hasMessageStartingWith("NVML unavailable: cannot load libnvidia-ml.so.1: ")
                .hasMessageContaining("No such file or directory");
        assertThatThrownBy(() -> NvmlSampler.openAll(NvmlSampler.DEFAULT_LIBRARY))
                .isInstanceOf(NvmlUnavailableException.class)
                .hasMessageContaining("libnvidia-ml.so.1");
    }

    @Test
    void rejectsNegativeIndexAndBlankLibraryByName() {
        assertThatThrownBy(() -> NvmlSampler.open(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gpuIndex must be >= 0, was -1");
        assertThatThrownBy(() -> NvmlSampler.open(" ", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("library must be a non-blank library name or path");
    }

    @Test
    void libraryWithoutNvmlEntryPointsNamesTheMissingSymbol() {
        assertThatThrownBy(() -> NvmlSampler.open("libm.so.6", 0))
                .isInstanceOf(NvmlUnavailableException.class)
                .hasMessageContaining("libm.so.6 has no symbol nvmlInit_v2");
        assertThat(CmrProbe.cmrp_nvml_shutdown()).as("a failed open leaves nothing loaded").isEqualTo(-1);
    }
}
