package dev.cmr.monitor;

import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.engine.PassCounters;
import dev.cmr.monitor.engine.ProfileSessions;
import dev.cmr.monitor.record.Recording;
import java.util.function.LongSupplier;

/**
 * A profiled block, opened by {@link CmrPerformanceMonitor#profileExecution(String)} for try-with-resources:
 *
 * <pre>{@code
 * try (ProfileBlock block = monitor.profileExecution("forward")) {
 *     model.forward(input); // records recordLayer, recordSyncWait, recordDeviceTime, stage records
 * }
 * }</pre>
 *
 * Closing it adds one pass of its name to the profile results: the block's wall time (host clock, nanoseconds) and,
 * per layer, what the opening thread recorded between open and close (see {@link PassCounters}).
 *
 * <p>A block belongs to the thread that opened it: it reads that thread's own counters at open and at close, so
 * records made by other threads while it is open are not in it, and the record path pays nothing for profiling.
 * Close it on the opening thread; a close from another thread is ignored (the block stays open for its owner) and
 * counted as an error of component {@value #MISUSE_COMPONENT} ({@link ClosedOnAnotherThread}), because that thread's
 * counters would give wrong numbers.
 *
 * <p>{@link #close()} never throws, and closing twice counts once. With profiling off,
 * {@link CmrPerformanceMonitor#profileExecution} returns {@link #NO_OP}, which records nothing.
 */
public final class ProfileBlock implements AutoCloseable {
    /** The component under which misuse and failures of profiled blocks are counted as errors. */
    public static final String MISUSE_COMPONENT = "profiler";

    /** The error counted when a block is closed on a thread other than the one that opened it. No stack trace. */
    public static final class ClosedOnAnotherThread extends RuntimeException {
        private ClosedOnAnotherThread() {
            super("a profiled block was closed on a thread other than the one that opened it", null, false, false);
        }
    }

    private static final ClosedOnAnotherThread CLOSED_ON_ANOTHER_THREAD = new ClosedOnAnotherThread();

    /** The block returned while profiling is off: shared, stateless, records nothing. */
    public static final ProfileBlock NO_OP = new ProfileBlock();

    private final ProfileSessions sessions; // null for NO_OP
    private final Recording recording;
    private final ErrorCounter errors;
    private final LongSupplier nanoClock;
    private final String name;
    private final Thread owner;
    private final long session;
    private final long[] startCounters;
    private final long startNanos;
    private boolean closed;

    private ProfileBlock() {
        this.sessions = null;
        this.recording = null;
        this.errors = null;
        this.nanoClock = null;
        this.name = null;
        this.owner = null;
        this.session = 0;
        this.startCounters = null;
        this.startNanos = 0;
    }

    /** Reads the calling thread's counters, then the clock, so that the block's own reading is not in its time. */
    ProfileBlock(ProfileSessions sessions, Recording recording, ErrorCounter errors, LongSupplier nanoClock,
                 String name) {
        this.sessions = sessions;
        this.recording = recording;
        this.errors = errors;
        this.nanoClock = nanoClock;
        this.name = name;
        this.owner = Thread.currentThread();
        this.session = sessions.session();
        this.startCounters = PassCounters.read(recording);
        this.startNanos = nanoClock.getAsLong();
    }

    /** Whether this is the no-op block (profiling was off when it was opened). */
    public boolean isNoOp() {
        return sessions == null;
    }

    @Override
    public void close() {
        if (sessions == null || closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            errors.record(MISUSE_COMPONENT, CLOSED_ON_ANOTHER_THREAD);
            return;
        }
        closed = true;
        try {
            long wall = nanoClock.getAsLong() - startNanos;
            long[] end = PassCounters.read(recording);
            sessions.add(name, session, PassCounters.between(startCounters, end, recording.layout().maxLayers(),
                    wall));
        } catch (RuntimeException e) {
            errors.record(MISUSE_COMPONENT, e);
        }
    }
}
