package dev.cmr.monitor.device;

/**
 * A device timeline could not be set up: a vendor runtime is missing (the message names the library and the
 * loader's reason), the queue or stream is unusable, or a vendor call failed (the message names the call and its
 * error code). Thrown only on setup paths ({@code open}, {@code attach}); marking never throws.
 */
public final class DeviceSetupException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DeviceSetupException(String message) {
        super(message);
    }
}
