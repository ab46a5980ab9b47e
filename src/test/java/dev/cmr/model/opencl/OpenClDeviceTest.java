package dev.cmr.model.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenClDeviceTest {
    @Test
    void aDetectedDeviceReportsItsNamesAsPlainTextAndAUsableWorkGroupSize() {
        OpenClDevice device = OpenClTestDevice.device();
        assertThat(device.name()).isNotBlank().matches("[\\x20-\\x7e]+");
        assertThat(device.platformName()).isNotBlank().matches("[\\x20-\\x7e]+");
        assertThat(device.toString()).isEqualTo(device.name() + " (" + device.platformName() + ")");
        assertThat(device.maxWorkGroupSize()).isPositive();
        assertThat(OpenClDevice.first().name()).as("detection is repeatable").isEqualTo(device.name());
    }

    @Test
    void theKernelsQueueIsARealHandleForBindingATimeline() {
        DeviceKernels kernels = OpenClTestDevice.kernels();
        assertThat(kernels.queueHandle()).isNotZero();
        assertThat(kernels.device().name()).isEqualTo(OpenClTestDevice.device().name());
    }
}
