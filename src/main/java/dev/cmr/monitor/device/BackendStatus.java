package dev.cmr.monitor.device;

/**
 * Whether one device backend can be used here. {@code detail} says what was found when available ("1 OpenCL
 * platform") and precisely why not otherwise, naming the missing library and the dynamic loader's reason
 * ("cannot load the driver library libcuda.so.1: ... No such file or directory").
 */
public record BackendStatus(String backend, boolean available, String detail) {
    public BackendStatus {
        if (backend == null || backend.isBlank()) {
            throw new IllegalArgumentException("backend must be a non-blank name");
        }
        if (detail == null) {
            throw new IllegalArgumentException("detail must not be null");
        }
    }
}
