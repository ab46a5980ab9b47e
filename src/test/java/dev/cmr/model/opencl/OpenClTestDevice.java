package dev.cmr.model.opencl;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place OpenCL tests get their device. Without a device they are skipped with the printed reason, unless
 * OpenCL is required ({@code -Dcmr.require.opencl=true}, or the {@code CI} environment variable is set): then
 * they fail with the reason. The kernels are built once per test JVM (a build costs about a second on PoCL).
 */
public final class OpenClTestDevice {
    private static OpenClDevice.Detection detection;
    private static DeviceKernels kernels;

    private OpenClTestDevice() {
    }

    public static boolean required() {
        return Boolean.getBoolean("cmr.require.opencl") || System.getenv("CI") != null;
    }

    /** The device, or the test is skipped (or failed, when required) with the reason there is none. */
    public static synchronized OpenClDevice device() {
        if (detection == null) {
            detection = OpenClDevice.detect();
        }
        if (!detection.available()) {
            String reason = "no OpenCL device: " + detection.reason();
            if (required()) {
                Assertions.fail(reason + " (OpenCL is required: -Dcmr.require.opencl=true or CI is set)");
            }
            System.out.println("SKIPPED OpenCL test: " + reason);
            Assumptions.abort(reason);
        }
        return detection.device();
    }

    /** Kernels on {@link #device()}, shared by the tests of this JVM; never closed (the JVM's exit frees them). */
    public static synchronized DeviceKernels kernels() {
        OpenClDevice d = device();
        if (kernels == null) {
            kernels = new DeviceKernels(d);
        }
        return kernels;
    }
}
