package dev.cmr.monitor.engine;

import dev.cmr.monitor.ProfileSchedule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, per {@code profileExecution} call, what the block is: not profiled, profiled and thrown away (a schedule's
 * warmup), profiled and kept, or profiled because of an on-demand trigger. In order:
 * <ol>
 *   <li>An open trigger ({@link #trigger(int)}: "profile the next N passes", fired from any thread while the model
 *       serves) takes the call, whether profiling is on or off and whatever the schedule says;</li>
 *   <li>with profiling off, nothing is profiled;</li>
 *   <li>with a {@link ProfileSchedule}, its step decides; without one every block is kept.</li>
 * </ol>
 * Lock-free on the per-block path: one volatile read of the trigger count (plus a CAS when it is open) and, with a
 * schedule, one atomic increment. Triggers and their futures take a lock of their own; never per record.
 */
public final class ProfileGate {
    /** What a block is. */
    public enum Admission {
        /** Not profiled: the no-op block. */
        NONE,
        /** Profiled, and its pass thrown away at close. */
        WARMUP,
        /** Profiled and kept. */
        ACTIVE,
        /** Profiled and kept, one of the passes an on-demand trigger asked for; its close counts toward it. */
        TRIGGERED
    }

    private record Waiter(long target, CompletableFuture<Void> done) {
    }

    private final AtomicLong triggerOpen = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private volatile ProfileSchedule schedule;
    // Guarded by waiters: passes asked for so far (cumulative), and triggered passes closed so far.
    private final List<Waiter> waiters = new ArrayList<>();
    private long asked;
    private long closed;

    /** What the next block is, given whether profiling is on. */
    public Admission admit(boolean profiling) {
        for (long open = triggerOpen.get(); open > 0; open = triggerOpen.get()) {
            if (triggerOpen.compareAndSet(open, open - 1)) {
                return Admission.TRIGGERED;
            }
        }
        if (!profiling) {
            return Admission.NONE;
        }
        ProfileSchedule s = schedule;
        if (s == null) {
            return Admission.ACTIVE;
        }
        return switch (s.step(steps.getAndIncrement())) {
            case SKIP, DONE -> Admission.NONE;
            case WARMUP -> Admission.WARMUP;
            case ACTIVE -> Admission.ACTIVE;
        };
    }

    /** Sets the schedule (null: keep every block) and starts counting its steps from 0. */
    public void schedule(ProfileSchedule schedule) {
        this.schedule = schedule;
        steps.set(0);
    }

    public ProfileSchedule schedule() {
        return schedule;
    }

    /**
     * Opens the next {@code passes} blocks to profiling; the future completes when that many triggered blocks have
     * closed (this trigger's and every earlier one's). Returns whether no trigger was open before, so that the
     * caller can start a fresh profiling session for it.
     *
     * @throws IllegalArgumentException if {@code passes < 1}
     */
    public Trigger trigger(int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be >= 1, was " + passes);
        }
        synchronized (waiters) {
            boolean first = asked == closed;
            asked += passes;
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiters.add(new Waiter(asked, done));
            triggerOpen.addAndGet(passes);
            return new Trigger(done, first);
        }
    }

    /** What {@link #trigger(int)} gives: the completion, and whether no triggered pass was pending before. */
    public record Trigger(CompletableFuture<Void> done, boolean first) {
    }

    /** A {@link Admission#TRIGGERED} block closed (or was abandoned); completes the triggers it fulfils. */
    public void triggeredClosed() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            closed++;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.target() <= closed) {
                    ready.add(w.done());
                    it.remove();
                }
            }
        }
        ready.forEach(f -> f.complete(null)); // outside the lock: dependents may run here
    }

    /** Triggered passes asked for whose blocks have not closed yet (taken or not). */
    public long pendingTriggeredPasses() {
        synchronized (waiters) {
            return asked - closed;
        }
    }

    /** Triggered passes not yet handed to a block. */
    public long triggerOpen() {
        return triggerOpen.get();
    }
}
