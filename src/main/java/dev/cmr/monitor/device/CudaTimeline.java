package dev.cmr.monitor.device;

import dev.cmr.monitor.probe.CmrProbe;
import dev.cmr.monitor.probe.NativeProbe;
import org.bytedeco.javacpp.Pointer;

/**
 * The {@code cuda} device timeline: each mark is a {@code cudaEventRecord} of a pooled timing event on the
 * caller's stream; a native resolver thread polls {@code cudaEventQuery} and times resolved events with
 * {@code cudaEventElapsedTime} against a reference event anchored to {@link System#nanoTime()}. Nothing waits
 * for the device on the caller's threads.
 *
 * <p>Timestamps: {@code deviceNanos} is when the GPU reached the event (mapped; error bound per batch),
 * {@code queuedNanos} the host clock read just before {@code cudaEventRecord} (exact).
 *
 * <p>Written to NVIDIA's runtime API documentation and tested against a fake runtime in ctest; it has not run on
 * a GPU in this project's CI (none is available). Without a driver, {@link #open} fails naming
 * {@code libcuda.so.1}.
 *
 * <p>Threading as for {@link OpenClTimeline}. The default stream (handle 0) is attached at open; other streams of
 * the device must be {@link #attach attached} first.
 */
public final class CudaTimeline extends JournalTimeline {
    private CudaTimeline(NativeJournal journal) {
        super(journal);
    }

    /** Opens a timeline on CUDA device {@code device} (an ordinal, as for {@code cudaSetDevice}). */
    public static CudaTimeline open(int device, JournalSettings settings) {
        if (device < 0) {
            throw new IllegalArgumentException("device must be >= 0, was " + device);
        }
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        NativeJournal.requireProbe();
        CmrProbe.cmrp_journal out = new CmrProbe.cmrp_journal();
        int rc = CmrProbe.cmrp_cuda_journal_create(device, settings.poolSize(), settings.ringCapacity(),
                settings.reanchorInterval().toNanos(), out);
        if (rc != 0) {
            throw new DeviceSetupException("cannot open the CUDA timeline: " + NativeProbe.lastError());
        }
        return new CudaTimeline(new NativeJournal(out, "cuda"));
    }

    /** Allows marks on {@code stream}: a JavaCPP {@code CUstream_st} (cuda preset) or any Pointer to one. */
    public void attach(Pointer stream) {
        journal.attach(stream == null ? 0 : stream.address());
    }

    public void attach(long streamHandle) {
        journal.attach(streamHandle);
    }
}
