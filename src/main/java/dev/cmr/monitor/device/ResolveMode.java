package dev.cmr.monitor.device;

import dev.cmr.monitor.probe.CmrProbe;

/**
 * How a native OpenCL journal learns that a device mark has completed ({@code resolve} of
 * {@code cmrp_opencl_journal_create}; the header has the full contract). Neither mode blocks or locks the marking
 * thread on the journal; they trade the cost of the mark call against how soon a mark can be drained. CUDA
 * journals always poll and ignore this setting.
 */
public enum ResolveMode {
    /**
     * The journal's resolver thread polls the oldest marker's status and sleeps between polls that find it
     * pending (20 µs doubling to 10 ms; short sleeps again only while the pool fills). Nothing runs on the driver's
     * threads, so the mark call costs about the bare enqueue.
     */
    POLL(CmrProbe.CMRP_RESOLVE_POLL),
    /**
     * Each mark also registers a completion callback ({@code clSetEventCallback}) that resolves it on the driver's
     * thread as soon as the device passes it. Lowest latency, but on PoCL the callbacks contend with the caller's
     * enqueues on the driver's locks, which makes the mark call several times dearer. A driver without callbacks
     * falls back to polling.
     */
    CALLBACK(CmrProbe.CMRP_RESOLVE_CALLBACK);

    private final int nativeCode;

    ResolveMode(int nativeCode) {
        this.nativeCode = nativeCode;
    }

    /** The {@code CMRP_RESOLVE_*} value passed to libcmrprobe. */
    int nativeCode() {
        return nativeCode;
    }
}
