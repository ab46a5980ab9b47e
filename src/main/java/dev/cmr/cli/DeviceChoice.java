package dev.cmr.cli;

import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.Gpt2Weights;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.model.opencl.OpenClGpt2Model;

/**
 * The demo's {@code --device}: {@code cpu}, {@code opencl}, or {@code auto} (OpenCL when a device exists, else the
 * CPU), with the sentence that says which and why.
 *
 * @param openCl the OpenCL device to use; null for the CPU
 * @param reason one line for the console
 */
record DeviceChoice(OpenClDevice openCl, String reason) {
    static final String MODES = "auto, cpu or opencl";

    /**
     * @throws IllegalArgumentException naming {@code --device} for an unknown mode, or for {@code opencl} without
     *                                  a device (with the reason there is none)
     */
    static DeviceChoice choose(String mode, OpenClDevice.Detection detection) {
        switch (mode) {
            case "cpu":
                return new DeviceChoice(null, "cpu (Java + OpenBLAS), as asked by --device cpu");
            case "opencl":
                if (!detection.available()) {
                    throw new IllegalArgumentException("--device opencl: " + detection.reason());
                }
                return new DeviceChoice(detection.device(), "opencl on " + detection.device()
                        + ", as asked by --device opencl");
            case "auto":
                return detection.available()
                        ? new DeviceChoice(detection.device(), "opencl on " + detection.device()
                                + " (--device auto found an OpenCL device; --device cpu for Java + OpenBLAS)")
                        : new DeviceChoice(null, "cpu (Java + OpenBLAS): --device auto found no OpenCL device: "
                                + detection.reason());
            default:
                throw new IllegalArgumentException("--device must be " + MODES + ", was " + mode);
        }
    }

    /** Whether OpenCL needs to be probed for {@code mode} (not for cpu: the demo then never touches OpenCL). */
    static boolean needsDetection(String mode) {
        return !mode.equals("cpu");
    }

    Gpt2Backend open(Gpt2Weights weights) {
        return openCl == null ? new Gpt2Model(weights) : new OpenClGpt2Model(weights, openCl);
    }
}
