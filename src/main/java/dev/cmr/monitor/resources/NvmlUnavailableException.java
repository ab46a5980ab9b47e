package dev.cmr.monitor.resources;

/**
 * NVML cannot be used for the GPU asked for. The message is the precise reason: the library that could not be
 * loaded with the loader's words ("NVML unavailable: cannot load libnvidia-ml.so.1: ..."), the missing entry point,
 * nvmlInit_v2's error, a GPU index NVML does not see, or libcmrprobe itself failing to load. Checked, because on
 * most machines (no NVIDIA driver) this is the expected outcome, and callers run host-only instead.
 */
public final class NvmlUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public NvmlUnavailableException(String message) {
        super(message);
    }
}
