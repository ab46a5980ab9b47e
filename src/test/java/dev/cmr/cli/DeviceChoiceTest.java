package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.SeededInit;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.model.opencl.OpenClGpt2Model;
import dev.cmr.testing.OpenClTestDevices;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {
    private static final OpenClDevice.Detection NONE =
            new OpenClDevice.Detection(null, "no OpenCL platform is installed");

    @Test
    void autoFallsBackToTheCpuAndSaysWhyWhenThereIsNoOpenClDevice() {
        DeviceChoice choice = DeviceChoice.choose("auto", NONE);
        assertThat(choice.openCl()).isNull();
        assertThat(choice.reason()).isEqualTo("cpu (Java + OpenBLAS): --device auto found no OpenCL device: "
                + "no OpenCL platform is installed");
        try (Gpt2Backend backend = choice.open(SeededInit.weights(new Gpt2Config(11, 8, 8, 1, 2, 1e-5), 1))) {
            assertThat(backend).isInstanceOf(Gpt2Model.class);
        }
    }

    @Test
    void openClWithoutADeviceFailsNamingTheOptionAndTheReason() {
        assertThatThrownBy(() -> DeviceChoice.choose("opencl", NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--device opencl: no OpenCL platform is installed");
    }

    @Test
    void unknownModesAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> DeviceChoice.choose("gpu", NONE))
                .hasMessage("--device must be auto, cpu or opencl, was gpu");
    }

    @Test
    void cpuNeverProbesOpenCl() {
        assertThat(DeviceChoice.needsDetection("cpu")).isFalse();
        assertThat(DeviceChoice.needsDetection("auto")).isTrue();
        assertThat(DeviceChoice.choose("cpu", NONE).openCl()).isNull();
    }

    @Test
    void autoPicksTheOpenClDeviceWhenOneExists() {
        OpenClDevice device = OpenClTestDevices.device();
        DeviceChoice choice = DeviceChoice.choose("auto", OpenClDevice.detect());
        assertThat(choice.openCl()).isNotNull();
        assertThat(choice.reason()).startsWith("opencl on " + device);
        try (Gpt2Backend backend = choice.open(SeededInit.weights(new Gpt2Config(11, 8, 8, 1, 2, 1e-5), 1))) {
            assertThat(backend).isInstanceOf(OpenClGpt2Model.class);
            assertThat(backend.logits(new int[] {1, 2})).hasNumberOfRows(2);
        }
    }
}
