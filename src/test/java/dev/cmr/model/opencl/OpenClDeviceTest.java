package dev.cmr.model.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.testing.OpenClTestDevices;
import org.junit.jupiter.api.Test;

class OpenClDeviceTest {
    @Test
    void aDetectedDeviceReportsItsNamesAsPlainTextAndAUsableWorkGroupSize() {
        OpenClDevice device = OpenClTestDevices.device();
        assertThat(device.name()).isNotBlank().matches("[\\x20-\\x7e]+");
        assertThat(device.platformName()).isNotBlank().matches("[\\x20-\\x7e]+");
        assertThat(device.toString()).isEqualTo(device.name() + " (" + device.platformName() + ")");
        assertThat(device.maxWorkGroupSize()).isPositive();
        assertThat(OpenClDevice.first().name()).as("detection is repeatable").isEqualTo(device.name());
    }

    @Test
    void theKernelsQueueIsARealHandleForBindingATimeline() {
        DeviceKernels kernels = OpenClTestDevices.kernels();
        assertThat(kernels.queueHandle()).isNotZero();
        assertThat(kernels.device().name()).isEqualTo(OpenClTestDevices.device().name());
    }
}
