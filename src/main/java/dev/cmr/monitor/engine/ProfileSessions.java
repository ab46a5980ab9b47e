package dev.cmr.monitor.engine;

import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.ExecutionTrace;
import dev.cmr.monitor.profile.PassListener;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfileAnalyzer;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.profile.ProfiledPass;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The passes of profiled blocks closed in the current session, by block name, and whether profiling is on. A session
 * starts when profiling is turned on (from off) and on {@link #reset()}; turning it off keeps the session's passes
 * readable. A block belongs to the session it was opened in ({@link #session()}): a pass that closes after a new
 * session started is dropped, so results never mix sessions.
 *
 * <p>Bounds, so that a server profiling for hours keeps bounded memory: at most {@link #MAX_NAMES} names (later names
 * are kept under {@value #OTHER}, a null or blank name under {@code unknown}, as {@link TrackedOperations#normalize}) and at most
 * {@link #MAX_PASSES_PER_NAME} passes per name; beyond that the oldest pass is dropped (recent behaviour is what a
 * serving process wants to see) and counted in the name's {@code dropped_spans}, as are the spans a block could not
 * keep because its thread's span buffer was full ({@code max_profile_spans}).
 *
 * <p>Device marks: the drain of an attached device timeline hands every resolved mark to {@link #offerMarks} (on the
 * draining thread, one at a time). While profiling is on, and afterwards for marks enqueued before it was turned off,
 * the marks are kept in a {@link DeviceMarkLog} of at most {@link #MAX_DEVICE_MARKS} (the oldest dropped and counted,
 * {@link #droppedDeviceMarks()}); {@link #traces()} pairs them into device spans ({@link DeviceSpanJoin}) and gives
 * each {@link PassTrace} the spans whose start mark was enqueued inside its window. Passes with durations only get
 * none: they have no window.
 *
 * <p>Backend of every execution of the session: the backend of the timeline whose marks the session kept, else of
 * the timeline attached now, when it is {@code opencl} or {@code cuda}; else {@link Backend#CPU} when the profiled
 * code declared it runs on the CPU ({@link #declareCpuBackend}); else {@link Backend#NONE}.
 *
 * <p>Resources: each execution gets the resource samples over its window (from the earliest start to the latest end
 * of its kept passes, with the poll just before and after, see {@link #resources}), and is {@code throttled} when an
 * NVML sample inside that window reports a clock-event reason other than idle ({@link Throttling}).
 *
 * <p>Thread-safe; one lock, taken at each block's open and close, per drained batch, and by a read only to copy what
 * it reads (the pairing, joining and analysis run outside it); never on the record path.
 * Lock order: a drain holds the snapshot lock when it calls {@link #offerMarks}; nothing here takes another lock.
 */
public final class ProfileSessions {
    public static final int MAX_NAMES = TrackedOperations.MAX_NAMES;
    public static final int MAX_PASSES_PER_NAME = 10_000;
    public static final String OTHER = TrackedOperations.OTHER;
    /**
     * Device marks kept per session (32 bytes each, so at most 8 MiB): about 3,000 profiled passes of the demo model
     * with per-kernel marks (6 layers, 14 marks each).
     */
    public static final int MAX_DEVICE_MARKS = 1 << 18;

    /** A kept pass and its block's window on the host clock; {@link #NO_WINDOW} when the caller gave none. */
    private record Kept(ProfiledPass pass, long startNanos, long endNanos) {
    }

    /** The window of a pass added without one: it adds nothing to its execution's resource window. */
    public static final long NO_WINDOW = Long.MIN_VALUE;

    private static final class Passes {
        final ArrayDeque<Kept> kept = new ArrayDeque<>();
        long dropped;
    }

    private final int maxPassesPerName;
    private final ProfileAnalyzer analyzer = new ProfileAnalyzer();
    private final Map<String, Passes> byName = new TreeMap<>();
    private final DeviceMarkLog marks;
    private volatile boolean enabled;
    private long session;
    private long disabledAtNanos = Long.MIN_VALUE; // System.nanoTime of the latest disableProfiling
    private Backend attachedBackend; // of the attached timeline; null for none, or one of another backend
    private Backend markBackend; // of the timeline whose marks the log holds; null when it holds none
    private boolean cpuDeclared;
    private boolean held; // an on-demand trigger is pending: capture as if enabled
    private ResourceWindow resources = ResourceWindow.NONE;
    private final List<PassListener> passListeners = new CopyOnWriteArrayList<>();

    public ProfileSessions() {
        this(MAX_PASSES_PER_NAME);
    }

    /** @param maxPassesPerName passes kept per name (tests use a small bound) */
    ProfileSessions(int maxPassesPerName) {
        this(maxPassesPerName, MAX_DEVICE_MARKS);
    }

    /** @param maxDeviceMarks device marks kept per session (tests use a small bound) */
    ProfileSessions(int maxPassesPerName, int maxDeviceMarks) {
        if (maxPassesPerName < 1) {
            throw new IllegalArgumentException("maxPassesPerName must be >= 1, was " + maxPassesPerName);
        }
        this.maxPassesPerName = maxPassesPerName;
        this.marks = new DeviceMarkLog(maxDeviceMarks);
    }

    /** Calls {@code listener} with every pass a block keeps from now on (see {@link PassListener}). */
    public void addPassListener(PassListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        passListeners.add(listener);
    }

    public boolean removePassListener(PassListener listener) {
        return passListeners.remove(listener);
    }

    /** The pass listeners, read without a lock by the closing block. */
    public List<PassListener> passListeners() {
        return passListeners;
    }

    /** Turns profiling on; from off, starts a new session (the previous passes are forgotten). Idempotent. */
    public synchronized void enable() {
        if (!enabled) {
            startSession();
            enabled = true;
        }
    }

    /**
     * Turns profiling off; the session's passes stay readable, and marks enqueued before now are still kept when they
     * are drained. Idempotent.
     */
    public synchronized void disable() {
        if (enabled) {
            enabled = false;
            disabledAtNanos = System.nanoTime(); // the clock device marks are mapped to
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Whether passes and device marks are captured as if profiling were on while profiling is off: an on-demand
     * trigger is pending. Marks are then kept until {@code hold(false)}, which counts as turning profiling off.
     */
    public synchronized void hold(boolean held) {
        if (this.held && !held && !enabled) {
            disabledAtNanos = System.nanoTime();
        }
        this.held = held;
    }

    /** Where the resource curves beside an execution's window come from; null: none. */
    public synchronized void resources(ResourceWindow window) {
        this.resources = window == null ? ResourceWindow.NONE : window;
    }

    /**
     * The resource samples over a window of the {@link System#nanoTime()} clock: {@code <source>.<gauge>} to
     * {@code [time nanos, value]} pairs, as {@link dev.cmr.monitor.resources.ResourcePoller#samplesBetween} gives.
     */
    @FunctionalInterface
    public interface ResourceWindow {
        ResourceWindow NONE = (from, to) -> Map.of();

        Map<String, List<double[]>> between(long fromNanos, long toNanos);
    }

    /** The current session, to pass back to {@link #add}. */
    public synchronized long session() {
        return session;
    }

    /** Forgets every pass and starts a new session; profiling stays on or off. */
    public synchronized void reset() {
        startSession();
    }

    private void startSession() {
        byName.clear();
        marks.clear();
        markBackend = null;
        session++;
    }

    /**
     * The backend of the device timeline attached to the monitor now ({@code opencl}, {@code cuda}; anything else, or
     * null when detached, counts as none).
     */
    public synchronized void timelineAttached(String backend) {
        attachedBackend = "opencl".equals(backend) ? Backend.OPENCL : "cuda".equals(backend) ? Backend.CUDA : null;
    }

    /** Whether the profiled code runs on the CPU (no device); see the class comment for what wins. */
    public synchronized void declareCpuBackend(boolean cpu) {
        cpuDeclared = cpu;
    }

    /**
     * Adds the marks of {@code batch} that can belong to the open profile session's blocks: every mark when
     * profiling is on or a trigger holds the session, else those enqueued up to the latest
     * {@code disableProfiling}. Called on the draining thread; never throws.
     */
    public synchronized void offerMarks(DeviceMarkBatch batch) {
        int kept = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (enabled || held || batch.queuedNanos(i) <= disabledAtNanos) {
                marks.add(batch, i);
                kept++;
            }
        }
        if (kept > 0 && markBackend == null) {
            markBackend = attachedBackend;
        }
    }

    /** Device marks of the profile session dropped at the log's bound ({@link #MAX_DEVICE_MARKS}). */
    public synchronized long droppedDeviceMarks() {
        return marks.dropped();
    }

    private Backend backend() {
        if (markBackend != null) {
            return markBackend;
        }
        if (attachedBackend != null) {
            return attachedBackend;
        }
        return cpuDeclared ? Backend.CPU : Backend.NONE;
    }

    /**
     * Keeps one pass of block {@code name}, opened in session {@code openedIn}; dropped if a new session has started
     * since.
     */
    public void add(String name, long openedIn, ProfiledPass pass) {
        add(name, openedIn, pass, 0, NO_WINDOW, NO_WINDOW);
    }

    /**
     * Keeps one pass as {@link #add(String, long, ProfiledPass)} does, counts {@code droppedSpans} (spans the block
     * could not keep) in the name's {@code dropped_spans}, and takes [startNanos, endNanos] (host clock) as the
     * block's window, over which its execution gets the resource curves.
     */
    public synchronized void add(String name, long openedIn, ProfiledPass pass, long droppedSpans, long startNanos,
                                 long endNanos) {
        if (openedIn != session) {
            return;
        }
        String key = TrackedOperations.normalize(name);
        if (!byName.containsKey(key) && byName.size() >= MAX_NAMES) {
            key = OTHER;
        }
        Passes passes = byName.computeIfAbsent(key, k -> new Passes());
        if (passes.kept.size() == maxPassesPerName) {
            passes.kept.removeFirst();
            passes.dropped++;
        }
        passes.kept.addLast(new Kept(pass, startNanos, endNanos));
        passes.dropped += Math.max(0, droppedSpans);
    }

    /**
     * What the session's blocks captured, one trace per name, by name: each {@link PassTrace} with the device spans
     * of the marks kept so far, every trace with the session's backend (see the class comment).
     */
    public List<ExecutionTrace> traces() {
        // Copied under the lock, paired and joined outside it: model threads open and close blocks, and the collector
        // drains marks, through this lock, and pairing a full mark log takes milliseconds.
        record Named(String name, List<Kept> kept, long dropped) {
        }
        List<Named> copied = new ArrayList<>();
        DeviceMarkLog marksCopy;
        Backend backend;
        ResourceWindow window;
        synchronized (this) {
            byName.forEach((name, passes) -> copied.add(new Named(name, List.copyOf(passes.kept), passes.dropped)));
            marksCopy = marks.size() == 0 ? null : marks.snapshot();
            backend = backend();
            window = resources;
        }
        DeviceSpanJoin.Spans spans = marksCopy == null ? null : DeviceSpanJoin.pair(marksCopy);
        List<ExecutionTrace> out = new ArrayList<>();
        for (Named named : copied) {
            List<ProfiledPass> kept = new ArrayList<>(named.kept().size());
            long from = Long.MAX_VALUE;
            long to = Long.MIN_VALUE;
            for (Kept k : named.kept()) {
                ProfiledPass pass = k.pass();
                kept.add(spans != null && pass instanceof PassTrace trace ? spans.into(trace) : pass);
                if (k.startNanos() != NO_WINDOW) {
                    from = Math.min(from, k.startNanos());
                    to = Math.max(to, k.endNanos());
                }
            }
            Map<String, List<double[]>> samples = from <= to ? window.between(from, to) : Map.of();
            out.add(new ExecutionTrace(named.name(), backend, kept, named.dropped(), samples,
                    Throttling.seenIn(samples, from, to)));
        }
        return out;
    }

    /** The session's traces analysed; the analysis runs on the caller's thread, outside the lock. */
    public ProfileResults results() {
        return new ProfileResults(traces().stream().map(analyzer::analyze).toList());
    }
}
