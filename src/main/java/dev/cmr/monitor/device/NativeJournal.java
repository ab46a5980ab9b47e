package dev.cmr.monitor.device;

import dev.cmr.monitor.probe.CmrProbe;
import dev.cmr.monitor.probe.NativeProbe;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * One libcmrprobe journal, shared by the OpenCL and CUDA timelines: one native call per mark, batched drains
 * through native buffers allocated once.
 *
 * <ol>
 *   <li>{@link #mark} is thread-safe, lock-free and allocation-free: one volatile read, one JNI call with
 *       primitive arguments. After {@link #close} it returns false and counts the mark as failed.</li>
 *   <li>{@link #drain} is for one thread at a time (it owns the native transfer buffers); natively it first
 *       resolves and releases what the device has completed (non-blocking driver queries, see cmrprobe.h), then
 *       copies with {@link LongPointer#get(long[], int, int)}, so it allocates nothing.</li>
 *   <li>{@link #close} must not race with {@code mark} or {@code drain}: the caller stops marking first. The
 *       volatile handle makes a late mark harmless when close happened-before it, not when they overlap.</li>
 * </ol>
 */
final class NativeJournal implements AutoCloseable {
    private static final int TRANSFER_CHUNK = 256;
    private static final int ERROR_TEXT_BYTES = 512;

    private volatile long address;
    private final String backend;
    private final AtomicLong marksAfterClose = new AtomicLong();
    private final LongPointer tags = new LongPointer(TRANSFER_CHUNK);
    private final LongPointer deviceNanos = new LongPointer(TRANSFER_CHUNK);
    private final LongPointer queuedNanos = new LongPointer(TRANSFER_CHUNK);
    private final LongPointer errorBound = new LongPointer(1);
    private final BytePointer errorText = new BytePointer(ERROR_TEXT_BYTES);
    // Counters survive close so that a closed timeline still reports what happened.
    private long finalDropped;
    private long finalFailed;
    private String finalError;

    /** Throws {@link DeviceSetupException} with the loader's reason when libcmrprobe is not loaded. */
    static void requireProbe() {
        String failure = NativeProbe.loadFailure();
        if (failure != null) {
            throw new DeviceSetupException(failure);
        }
    }

    NativeJournal(CmrProbe.cmrp_journal journal, String backend) {
        this.address = journal.address();
        this.backend = backend;
    }

    String backend() {
        return backend;
    }

    void attach(long queue) {
        long j = requireOpen();
        if (CmrProbe.cmrp_journal_attach(j, queue) != 0) {
            throw new DeviceSetupException("cannot attach queue 0x" + Long.toHexString(queue) + " to the " + backend
                    + " timeline: " + NativeProbe.lastError());
        }
    }

    boolean mark(long queue, long tag) {
        long j = address;
        if (j == 0) {
            marksAfterClose.incrementAndGet();
            return false;
        }
        return CmrProbe.cmrp_journal_mark(j, queue, tag) == 0;
    }

    int drain(DeviceMarkBatch into) {
        into.clear();
        long j = address;
        if (j == 0) {
            return 0;
        }
        int total = 0;
        long bound = 0;
        int capacity = into.capacity();
        while (total < capacity) {
            int want = Math.min(TRANSFER_CHUNK, capacity - total);
            int n = CmrProbe.cmrp_journal_drain(j, tags.address(), deviceNanos.address(), queuedNanos.address(), want,
                    errorBound.address());
            if (n <= 0) {
                break;
            }
            tags.get(into.tags, total, n);
            deviceNanos.get(into.deviceNanos, total, n);
            queuedNanos.get(into.queuedNanos, total, n);
            bound = Math.max(bound, errorBound.get());
            total += n;
            if (n < want) {
                break;
            }
        }
        into.size = total;
        into.errorBoundNanos(bound);
        return total;
    }

    long marked() {
        long j = address;
        return j == 0 ? 0 : CmrProbe.cmrp_journal_marked(j);
    }

    long resolved() {
        long j = address;
        return j == 0 ? 0 : CmrProbe.cmrp_journal_resolved(j);
    }

    long dropped() {
        long j = address;
        return j == 0 ? finalDropped : CmrProbe.cmrp_journal_dropped(j);
    }

    long failed() {
        long j = address;
        return (j == 0 ? finalFailed : CmrProbe.cmrp_journal_failed(j)) + marksAfterClose.get();
    }

    /** Error bound of the latest clock anchor alone, in nanoseconds. */
    long anchorErrorNanos() {
        long j = address;
        return j == 0 ? 0 : CmrProbe.cmrp_journal_anchor_error_ns(j);
    }

    long anchors() {
        long j = address;
        return j == 0 ? 0 : CmrProbe.cmrp_journal_anchors(j);
    }

    synchronized String lastError() {
        long j = address;
        if (j == 0) {
            return marksAfterClose.get() > 0 ? "mark after close: the " + backend + " timeline is closed" : finalError;
        }
        int n = CmrProbe.cmrp_journal_last_error(j, errorText, ERROR_TEXT_BYTES);
        return n == 0 ? null : errorText.getString();
    }

    @Override
    public synchronized void close() {
        long j = address;
        if (j == 0) {
            return;
        }
        finalDropped = CmrProbe.cmrp_journal_dropped(j);
        finalFailed = CmrProbe.cmrp_journal_failed(j);
        finalError = lastError();
        address = 0;
        CmrProbe.cmrp_journal_destroy(j);
        tags.close();
        deviceNanos.close();
        queuedNanos.close();
        errorBound.close();
        errorText.close();
    }

    private long requireOpen() {
        long j = address;
        if (j == 0) {
            throw new IllegalStateException("the " + backend + " timeline is closed");
        }
        return j;
    }
}
