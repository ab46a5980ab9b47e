package dev.cmr.monitor.device;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * OpenCL tests need a platform. Without one they are skipped with a printed reason, unless
 * {@code -Dcmr.require.opencl=true} or the environment variable {@code CI} is set: then they fail.
 */
final class OpenClRequirement {
    private OpenClRequirement() {
    }

    static boolean required() {
        return Boolean.getBoolean("cmr.require.opencl") || System.getenv("CI") != null;
    }

    static void assumeOrRequireOpenCl() {
        BackendStatus status = Devices.opencl();
        if (status.available()) {
            return;
        }
        String reason = "OpenCL unavailable: " + status.detail();
        if (required()) {
            fail(reason + " (OpenCL is required: -Dcmr.require.opencl=true or CI is set)");
        }
        System.out.println("SKIPPED OpenCL test: " + reason);
        Assumptions.abort(reason);
    }
}
