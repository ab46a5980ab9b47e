package dev.cmr.monitor.device;

import dev.cmr.monitor.probe.CmrProbe;
import dev.cmr.monitor.probe.NativeProbe;
import java.util.List;

/**
 * Detects which device backends this machine can use, without creating any device context.
 *
 * <ul>
 *   <li>{@code opencl}: libOpenCL.so.1 loads and reports at least one platform.</li>
 *   <li>{@code cuda}: libcuda.so.1 (the driver) and a libcudart (13, 12 or 11) load with every entry point the
 *       journal uses.</li>
 *   <li>{@code nvml}: libnvidia-ml.so.1 loads (the NVML sampler itself checks its entry points).</li>
 * </ul>
 * Thread-safe; blocks while the dynamic loader works (milliseconds). Never throws: a missing libcmrprobe makes
 * every backend unavailable with that reason.
 */
public final class Devices {
    static final String NVML_LIBRARY = "libnvidia-ml.so.1";

    private Devices() {
    }

    public static List<BackendStatus> detect() {
        return List.of(opencl(), cuda(), nvml());
    }

    public static BackendStatus opencl() {
        String failure = NativeProbe.loadFailure();
        if (failure != null) {
            return new BackendStatus("opencl", false, failure);
        }
        int[] platforms = new int[1];
        if (CmrProbe.cmrp_opencl_platform_count(platforms) != 0) {
            return new BackendStatus("opencl", false, NativeProbe.lastError());
        }
        if (platforms[0] == 0) {
            return new BackendStatus("opencl", false,
                    "libOpenCL.so.1 loaded but reports no OpenCL platform (install a driver, e.g. pocl-opencl-icd)");
        }
        return new BackendStatus("opencl", true,
                platforms[0] + " OpenCL platform" + (platforms[0] == 1 ? "" : "s"));
    }

    public static BackendStatus cuda() {
        String failure = NativeProbe.loadFailure();
        if (failure != null) {
            return new BackendStatus("cuda", false, failure);
        }
        if (CmrProbe.cmrp_cuda_load(null, null) != 0) {
            return new BackendStatus("cuda", false, NativeProbe.lastError());
        }
        return new BackendStatus("cuda", true, "libcuda.so.1 and libcudart loaded");
    }

    public static BackendStatus nvml() {
        String failure = NativeProbe.loadFailure();
        if (failure != null) {
            return new BackendStatus("nvml", false, failure);
        }
        if (CmrProbe.cmrp_probe_library(NVML_LIBRARY) != 0) {
            return new BackendStatus("nvml", false, "NVML unavailable: " + NativeProbe.lastError());
        }
        return new BackendStatus("nvml", true, NVML_LIBRARY + " loaded");
    }
}
