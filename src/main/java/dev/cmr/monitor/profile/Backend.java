package dev.cmr.monitor.profile;

import dev.cmr.io.ConfigValues;

/** Where a profiled block's model ran: the Java CPU backend, an OpenCL or CUDA device, or no device timeline. */
public enum Backend {
    CPU("cpu"),
    OPENCL("opencl"),
    CUDA("cuda"),
    /** No device timeline was attached; a user's model may still record device times through the record API. */
    NONE("none");

    private final String key;

    Backend(String key) {
        this.key = key;
    }

    /** The name profile.json uses. */
    public String key() {
        return key;
    }

    /** @throws IllegalArgumentException naming the valid keys if {@code key} is none of them */
    public static Backend byKey(String key) {
        return ConfigValues.byKey("backend", values(), Backend::key, key);
    }
}
