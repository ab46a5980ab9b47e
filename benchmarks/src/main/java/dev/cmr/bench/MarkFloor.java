package dev.cmr.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C floor of {@link MarkLifeCycle} ({@code native/markfloor_jni.c}, built by {@code native/build.sh} into
 * {@code target/native/libmarkfloorjni.so}): the bare vendor calls of a mark's life, timed in C. One thread at a time.
 */
final class MarkFloor {
    private static final String[] FAILED_CALL = {
        "", "enqueue: count out of range or a batch still pending", "clEnqueueMarkerWithWaitList", "clFlush",
        "clGetEventInfo", "a marker not complete after the settle", "clGetEventProfilingInfo", "clReleaseEvent"};

    private static final String[] JOURNAL_FAILED_CALL = {
        "", "enqueue: count out of range or a batch still pending", "cmrp_journal_mark", "clFlush",
        "cmrp_journal_drain", "drain did not hand back the batch's marks in order"};

    private MarkFloor() {
    }

    static void load() {
        Path lib = Path.of(System.getProperty("markfloor.jni", "target/native/libmarkfloorjni.so")).toAbsolutePath();
        if (!Files.isRegularFile(lib)) {
            throw new IllegalStateException(lib + " not found: run native/build.sh (or ./run.sh marks) first");
        }
        System.load(lib.toString());
    }

    /** Enqueues {@code count} markers on {@code queue} and flushes; returns the nanoseconds that took. */
    static long enqueueBatch(long queue, int count) {
        return checked(enqueue(queue, count));
    }

    /** Reads the status and START/QUEUED times of the pending batch's markers and releases them; nanoseconds. */
    static long resolveBatch() {
        return checked(resolve());
    }

    /** A POLL-mode journal opened by libcmrprobe's C ABI on {@code queue} (pool 1024, ring 4096, as the defaults). */
    static long openJournal(long queue) {
        long journal = journalOpen(queue);
        if (journal == 0) {
            throw new IllegalStateException("cmrp_opencl_journal_create failed");
        }
        return journal;
    }

    /** {@code count} × {@code cmrp_journal_mark} from C, then one clFlush; nanoseconds. */
    static long journalEnqueueBatch(long journal, long queue, int count) {
        long rc = journalEnqueue(journal, queue, count);
        if (rc < 0) {
            throw new IllegalStateException("C journal failed: " + JOURNAL_FAILED_CALL[(int) -rc]);
        }
        return rc;
    }

    /** {@code cmrp_journal_drain} from C until the pending batch is back; nanoseconds. */
    static long journalResolveBatch(long journal) {
        long rc = journalResolve(journal);
        if (rc < 0) {
            throw new IllegalStateException("C journal failed: " + JOURNAL_FAILED_CALL[(int) -rc]);
        }
        return rc;
    }

    private static long checked(long rc) {
        if (rc < 0) {
            throw new IllegalStateException("C floor failed: " + FAILED_CALL[(int) -rc]);
        }
        return rc;
    }

    private static native long journalOpen(long queue);

    static native void journalClose(long journal);

    private static native long journalEnqueue(long journal, long queue, int count);

    private static native long journalResolve(long journal);

    private static native long enqueue(long queue, int count);

    private static native long resolve();

    static native long checksum();
}
