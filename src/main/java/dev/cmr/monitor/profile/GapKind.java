package dev.cmr.monitor.profile;

/** Why a queue sat idle between two device spans; {@link GapClassifier} decides it. */
public enum GapKind {
    /** The host enqueued the next work only after the previous work had ended: the host was late. */
    HOST_WAIT("host_wait"),
    /** The next work was already enqueued and the gap is shorter than the threshold: launch and scheduling latency. */
    KERNEL_WAIT("kernel_wait"),
    /** The next work was already enqueued (or its enqueue time is unknown) and the gap reaches the threshold. */
    OTHER("other");

    private final String key;

    GapKind(String key) {
        this.key = key;
    }

    /** The name profile.json uses. */
    public String key() {
        return key;
    }
}
