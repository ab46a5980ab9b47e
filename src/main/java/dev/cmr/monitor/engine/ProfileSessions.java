package dev.cmr.monitor.engine;

import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.ExecutionTrace;
import dev.cmr.monitor.profile.ProfileAnalyzer;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.profile.ProfiledPass;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * <p>Thread-safe; one lock, taken once per closed block and per read, never on the record path.
 */
public final class ProfileSessions {
    public static final int MAX_NAMES = TrackedOperations.MAX_NAMES;
    public static final int MAX_PASSES_PER_NAME = 10_000;
    public static final String OTHER = TrackedOperations.OTHER;

    private static final class Passes {
        final ArrayDeque<ProfiledPass> kept = new ArrayDeque<>();
        long dropped;
    }

    private final int maxPassesPerName;
    private final ProfileAnalyzer analyzer = new ProfileAnalyzer();
    private final Map<String, Passes> byName = new TreeMap<>();
    private volatile boolean enabled;
    private long session;

    public ProfileSessions() {
        this(MAX_PASSES_PER_NAME);
    }

    /** @param maxPassesPerName passes kept per name (tests use a small bound) */
    ProfileSessions(int maxPassesPerName) {
        if (maxPassesPerName < 1) {
            throw new IllegalArgumentException("maxPassesPerName must be >= 1, was " + maxPassesPerName);
        }
        this.maxPassesPerName = maxPassesPerName;
    }

    /** Turns profiling on; from off, starts a new session (the previous passes are forgotten). Idempotent. */
    public synchronized void enable() {
        if (!enabled) {
            startSession();
            enabled = true;
        }
    }

    /** Turns profiling off; the session's passes stay readable. Idempotent. */
    public void disable() {
        enabled = false;
    }

    public boolean isEnabled() {
        return enabled;
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
        session++;
    }

    /**
     * Keeps one pass of block {@code name}, opened in session {@code openedIn}; dropped if a new session has started
     * since.
     */
    public void add(String name, long openedIn, ProfiledPass pass) {
        add(name, openedIn, pass, 0);
    }

    /**
     * Keeps one pass as {@link #add(String, long, ProfiledPass)} does, and counts {@code droppedSpans} (spans the
     * block could not keep) in the name's {@code dropped_spans}.
     */
    public synchronized void add(String name, long openedIn, ProfiledPass pass, long droppedSpans) {
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
        passes.kept.addLast(pass);
        passes.dropped += Math.max(0, droppedSpans);
    }

    /**
     * What the session's blocks captured, one trace per name, by name. Backend {@link Backend#NONE}: the passes come
     * from the record API's durations, which do not say what device (if any) produced the device times.
     */
    public synchronized List<ExecutionTrace> traces() {
        List<ExecutionTrace> out = new ArrayList<>();
        byName.forEach((name, passes) -> out.add(new ExecutionTrace(name, Backend.NONE, List.copyOf(passes.kept),
                passes.dropped, Map.of(), false)));
        return out;
    }

    /** The session's traces analysed; the analysis runs on the caller's thread, outside the lock. */
    public ProfileResults results() {
        return new ProfileResults(traces().stream().map(analyzer::analyze).toList());
    }
}
