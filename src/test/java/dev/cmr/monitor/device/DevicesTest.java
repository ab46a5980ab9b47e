package dev.cmr.monitor.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.testing.OpenClTestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Backend detection on this machine: PoCL present, no NVIDIA driver (no libcuda.so.1, no libnvidia-ml.so.1). */
class DevicesTest {
    private static void assumeNoNvidiaDriver() {
        Assumptions.assumeFalse(Files.exists(Path.of("/proc/driver/nvidia")),
                "an NVIDIA driver is installed: the unavailable-reason assertions do not apply");
    }

    @Test
    void reportsEachBackendOnceInAFixedOrder() {
        List<BackendStatus> all = Devices.detect();
        assertThat(all).extracting(BackendStatus::backend).containsExactly("opencl", "cuda", "nvml");
        assertThat(all).allSatisfy(s -> assertThat(s.detail()).isNotBlank());
    }

    @Test
    void cudaIsUnavailableNamingTheMissingDriverLibrary() {
        assumeNoNvidiaDriver();
        BackendStatus cuda = Devices.cuda();
        assertThat(cuda.available()).isFalse();
        assertThat(cuda.detail())
                .contains("libcuda.so.1")
                .contains("cannot open shared object file"); // the dynamic loader's own reason
    }

    @Test
    void nvmlIsUnavailableNamingTheMissingLibrary() {
        assumeNoNvidiaDriver();
        BackendStatus nvml = Devices.nvml();
        assertThat(nvml.available()).isFalse();
        assertThat(nvml.detail()).contains("libnvidia-ml.so.1").contains("cannot open shared object file");
    }

    @Test
    void openClIsAvailableWithAtLeastOnePlatform() {
        OpenClTestDevices.requirePlatform();
        BackendStatus opencl = Devices.opencl();
        assertThat(opencl.available()).isTrue();
        assertThat(opencl.detail()).matches("\\d+ OpenCL platforms?");
    }

    @Test
    void cudaTimelineOpenFailsWithTheSameReasonAsDetection() {
        assumeNoNvidiaDriver();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CudaTimeline.open(0, JournalSettings.defaults()))
                .isInstanceOf(DeviceSetupException.class)
                .hasMessageContaining("cannot open the CUDA timeline")
                .hasMessageContaining("libcuda.so.1");
    }
}
