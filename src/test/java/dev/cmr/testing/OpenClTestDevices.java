package dev.cmr.testing;

import dev.cmr.model.opencl.DeviceKernels;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.monitor.device.BackendStatus;
import dev.cmr.monitor.device.Devices;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place OpenCL tests get their device. Without one they are skipped with the printed reason, unless OpenCL
 * is required ({@code -Dcmr.require.opencl=true}, or the {@code CI} environment variable is set): then they fail
 * with the reason.
 *
 * <p>Two views of "a device", each as its code under test sees it: the monitor's tests ask libcmrprobe
 * ({@link #requirePlatform()}, {@link #spinQueue()}), the model's and the CLI's ask the model's JavaCPP binding
 * ({@link #device()}, {@link #kernels()}). The model's kernels are built once per test JVM (a build costs about a
 * second on PoCL). Thread-safe.
 */
public final class OpenClTestDevices {
    private static OpenClDevice.Detection detection;
    private static DeviceKernels kernels;

    private OpenClTestDevices() {
    }

    public static boolean required() {
        return Boolean.getBoolean("cmr.require.opencl") || System.getenv("CI") != null;
    }

    /** Returns if libcmrprobe finds an OpenCL platform; else the test is skipped (or failed, when required). */
    public static void requirePlatform() {
        BackendStatus status = Devices.opencl();
        if (!status.available()) {
            skipOrFail("OpenCL unavailable: " + status.detail());
        }
    }

    /** A new {@link OpenClTestQueue} (the caller closes it), once {@link #requirePlatform()} passed. */
    public static OpenClTestQueue spinQueue() {
        requirePlatform();
        return new OpenClTestQueue();
    }

    /** The model's device, or the test is skipped (or failed, when required) with the reason there is none. */
    public static synchronized OpenClDevice device() {
        if (detection == null) {
            detection = OpenClDevice.detect();
        }
        if (!detection.available()) {
            skipOrFail("no OpenCL device: " + detection.reason());
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

    private static void skipOrFail(String reason) {
        if (required()) {
            Assertions.fail(reason + " (OpenCL is required: -Dcmr.require.opencl=true or CI is set)");
        }
        System.out.println("SKIPPED OpenCL test: " + reason);
        Assumptions.abort(reason);
    }
}
