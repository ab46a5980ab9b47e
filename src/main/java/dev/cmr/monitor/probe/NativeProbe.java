package dev.cmr.monitor.probe;

/**
 * Loads libcmrprobe once per JVM and remembers why it could not, so that every backend can report the same
 * precise reason instead of an {@link UnsatisfiedLinkError}. Thread-safe (class initialisation).
 */
public final class NativeProbe {
    private static final String LOAD_FAILURE = tryLoad();

    private NativeProbe() {
    }

    private static String tryLoad() {
        try {
            CmrProbe.load();
            return null;
        } catch (Throwable e) { // UnsatisfiedLinkError, or the Loader's own errors: reported, never rethrown
            return "libcmrprobe could not be loaded: " + e;
        }
    }

    /** Null when the library is loaded, else why not. */
    public static String loadFailure() {
        return LOAD_FAILURE;
    }

    /** The calling thread's last setup error from libcmrprobe. */
    public static String lastError() {
        return CmrProbe.cmrp_last_error().getString();
    }
}
