package dev.cmr.monitor;

import dev.cmr.monitor.engine.BlockTrace;
import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.engine.PassCounters;
import dev.cmr.monitor.engine.ProfileGate;
import dev.cmr.monitor.engine.ProfileSessions;
import dev.cmr.monitor.engine.TrackedOperations;
import dev.cmr.monitor.profile.LayerDurations;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.profile.PassListener;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfiledPass;
import dev.cmr.monitor.record.AllocatedBytes;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.SpanBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Closing it adds one pass of its name to the profile results, in one of two forms:
 * <ul>
 *   <li>with timestamps ({@link PassTrace}, built by {@link BlockTrace}) when the opening thread recorded at least one
 *       layer, CMR stage or sync-wait span that the block kept ({@code record*Span}, the handles' {@code recordSpan}):
 *       the window from open to close, the layer and CMR stage spans with the thread's id, the sync-wait spans, and
 *       the device durations the thread recorded; with {@code profile_memory}, each span's allocated bytes;</li>
 *   <li>otherwise as durations ({@link PassDurations}): the block's wall time and, per layer, what the opening thread
 *       recorded between open and close (see {@link PassCounters}).</li>
 * </ul>
 * Records without timestamps made inside a block that also has spans count in the stats but not in its pass, except
 * device times: record a layer either way, not both. Spans the thread's buffer ({@code max_profile_spans}, shared by
 * nested blocks) could not hold are dropped and counted in the execution's {@code dropped_spans}.
 *
 * <p>A block belongs to the thread that opened it: it reads that thread's own counters at open and at close, and
 * only that thread's span records land in its buffer, so records made by other threads while it is open are not in
 * it. Blocks on several threads at once each see their own thread's records. Blocks nest on one thread: an inner
 * block holds the spans recorded while it was open, the outer block holds those too. Close it on the opening thread;
 * a close from another thread is ignored (the block stays open for its owner) and counted as an error of component
 * {@value #MISUSE_COMPONENT} ({@link ClosedOnAnotherThread}), because that thread's counters would give wrong numbers.
 * A block never closed leaves its thread's buffer open: later spans fill it, then are dropped, and memory stays
 * bounded.
 *
 * <p>A block that a {@link ProfileSchedule} makes a warmup step is profiled but keeps no pass; one opened for an
 * on-demand trigger ({@link CmrPerformanceMonitor#profileNextPasses}) counts toward it when it closes.
 *
 * <p>Closing hands a kept pass to the monitor's pass listeners ({@link CmrPerformanceMonitor#addPassListener}) on
 * the closing thread; one that throws is counted as an error of {@value #LISTENER_COMPONENT}.
 *
 * <p>{@link #close()} never throws, and closing twice counts once. With profiling off,
 * {@link CmrPerformanceMonitor#profileExecution} returns {@link #NO_OP}, which records nothing.
 */
public final class ProfileBlock implements AutoCloseable {
    /** The component under which misuse and failures of profiled blocks are counted as errors. */
    public static final String MISUSE_COMPONENT = "profiler";
    /** The component under which a throwing {@link PassListener} is counted as an error. */
    public static final String LISTENER_COMPONENT = "profile_listener";

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
    private final SpanBuffer spans;
    private final int firstSpan;
    private final long droppedAtOpen;
    private final long bytesAtOpen;
    private final long startNanos;
    private final ProfileGate.Admission admission;
    private final Runnable onTriggeredClose;
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
        this.spans = null;
        this.firstSpan = 0;
        this.droppedAtOpen = 0;
        this.bytesAtOpen = -1;
        this.startNanos = 0;
        this.admission = ProfileGate.Admission.NONE;
        this.onTriggeredClose = null;
    }

    /**
     * Reads the calling thread's counters, opens its span buffer, then reads its allocation counter and the clock, so
     * that the block's own work at open is neither in its time nor in its bytes.
     *
     * @param maxSpans    {@code max_profile_spans}
     * @param trackMemory {@code profile_memory}
     * @param admission        what the gate made of this block: {@code WARMUP} blocks keep no pass
     * @param onTriggeredClose   run when a {@code TRIGGERED} block closes
     */
    ProfileBlock(ProfileSessions sessions, Recording recording, ErrorCounter errors, LongSupplier nanoClock,
                 String name, int maxSpans, boolean trackMemory, ProfileGate.Admission admission,
                 Runnable onTriggeredClose) {
        this.admission = admission;
        this.onTriggeredClose = onTriggeredClose;
        this.sessions = sessions;
        this.recording = recording;
        this.errors = errors;
        this.nanoClock = nanoClock;
        this.name = name;
        this.owner = Thread.currentThread();
        this.session = sessions.session();
        this.startCounters = PassCounters.read(recording);
        this.spans = recording.openBlockSpans(maxSpans, trackMemory);
        try {
            this.firstSpan = spans.size();
            this.droppedAtOpen = spans.dropped();
            this.bytesAtOpen = trackMemory ? AllocatedBytes.currentThread() : -1;
            this.startNanos = nanoClock.getAsLong();
        } catch (RuntimeException e) {
            recording.closeBlockSpans(); // the block never opened: its thread's buffer must not stay open
            throw e;
        }
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
            long endNanos = nanoClock.getAsLong();
            long[] end = PassCounters.read(recording);
            PassDurations durations = PassCounters.between(startCounters, end, recording.layout().maxLayers(),
                    endNanos - startNanos);
            int lastSpan = spans.size();
            ProfiledPass pass = durations;
            if (lastSpan > firstSpan) {
                PassTrace trace = BlockTrace.of(spans, firstSpan, lastSpan, recording.layout(), owner.getId(),
                        startNanos, endNanos, bytesAtOpen, deviceDurations(durations));
                // Device-time spans alone carry no host timeline: the durations say more then.
                if (!trace.hostSpans().isEmpty() || !trace.syncWaits().isEmpty()) {
                    pass = trace;
                }
            }
            if (admission != ProfileGate.Admission.WARMUP) {
                sessions.add(name, session, pass, spans.dropped() - droppedAtOpen, startNanos, endNanos);
                notifyListeners(pass);
            }
        } catch (RuntimeException e) {
            errors.record(MISUSE_COMPONENT, e);
        } finally {
            recording.closeBlockSpans();
            if (admission == ProfileGate.Admission.TRIGGERED) {
                onTriggeredClose.run();
            }
        }
    }

    /** Hands the kept pass to the pass listeners; one that throws is counted and the others still run. */
    private void notifyListeners(ProfiledPass pass) {
        List<PassListener> listeners = sessions.passListeners();
        if (listeners.isEmpty()) {
            return;
        }
        String block = TrackedOperations.normalize(name);
        for (PassListener listener : listeners) {
            try {
                listener.passClosed(block, pass);
            } catch (RuntimeException e) {
                errors.record(LISTENER_COMPONENT, e);
            }
        }
    }

    /** The device time per layer of a durations pass; empty when it recorded none. */
    private static Map<Integer, Long> deviceDurations(PassDurations durations) {
        Map<Integer, Long> device = new TreeMap<>();
        for (Map.Entry<Integer, LayerDurations> e : durations.layers().entrySet()) {
            if (e.getValue().deviceNanos() != null) {
                device.put(e.getKey(), e.getValue().deviceNanos());
            }
        }
        return device;
    }
}
