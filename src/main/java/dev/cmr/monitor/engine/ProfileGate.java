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
 *   <li>An open trigger ({@link #trigger}: "profile the next N passes", fired from any thread while the model
 *       serves) takes the call, whether profiling is on or off and whatever the schedule says;</li>
 *   <li>with profiling off, nothing is profiled;</li>
 *   <li>with a {@link ProfileSchedule}, its step decides (only calls that reach this point are steps); without one
 *       every block is kept.</li>
 * </ol>
 * Lock-free on the per-block path: one volatile read of the trigger count (plus a CAS when it is open) and, with a
 * schedule, one atomic increment. Triggers and their futures take a lock of their own; never per record.
 *
 * <p>Trigger futures never complete on the thread that closes the last triggered block (the model's): they complete
 * on {@link CompletableFuture#defaultExecutor()}, so that what a caller chains to them never runs on the serving
 * thread.
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

    /** A schedule with its own step counter, published together so that no call pairs one with the other's steps. */
    private record Scheduled(ProfileSchedule schedule, AtomicLong steps) {
    }

    private final AtomicLong triggerOpen = new AtomicLong();
    private final AtomicLong triggerPending = new AtomicLong();
    private volatile Scheduled scheduled;
    // Guarded by waiters: passes asked for so far (cumulative), and triggered passes closed so far.
    private final List<Waiter> waiters = new ArrayList<>();
    private long asked;
    private long closed;
    private boolean shut;

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
        Scheduled s = scheduled;
        if (s == null) {
            return Admission.ACTIVE;
        }
        return switch (s.schedule().step(s.steps().getAndIncrement())) {
            case SKIP, DONE -> Admission.NONE;
            case WARMUP -> Admission.WARMUP;
            case ACTIVE -> Admission.ACTIVE;
        };
    }

    /** Sets the schedule (null: keep every block); its steps count from 0. */
    public void schedule(ProfileSchedule schedule) {
        this.scheduled = schedule == null ? null : new Scheduled(schedule, new AtomicLong());
    }

    public ProfileSchedule schedule() {
        Scheduled s = scheduled;
        return s == null ? null : s.schedule();
    }

    /**
     * Opens the next {@code passes} blocks to profiling; the future completes when that many triggered blocks have
     * closed (this trigger's and every earlier one's). When no triggered pass was pending, {@code onFirst} runs
     * before any block can take one of these passes (the caller starts a fresh profiling session there).
     *
     * @throws IllegalArgumentException if {@code passes < 1}
     * @throws IllegalStateException    after {@link #shutDown}
     */
    public CompletableFuture<Void> trigger(int passes, Runnable onFirst) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be >= 1, was " + passes);
        }
        synchronized (waiters) {
            if (shut) {
                throw new IllegalStateException("the monitor is closed");
            }
            if (asked == closed) {
                onFirst.run();
            }
            asked += passes;
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiters.add(new Waiter(asked, done));
            triggerPending.addAndGet(passes);
            triggerOpen.addAndGet(passes);
            return done;
        }
    }

    /**
     * A {@link Admission#TRIGGERED} block closed (or failed to open); completes, asynchronously, the triggers it
     * fulfils. {@code onLast} runs, under the triggers' lock, when no triggered pass is pending any more and before
     * any future completes.
     */
    public void triggeredClosed(Runnable onLast) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            closed++;
            triggerPending.decrementAndGet();
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.target() <= closed) {
                    ready.add(w.done());
                    it.remove();
                }
            }
            if (asked == closed) {
                onLast.run();
            }
        }
        ready.forEach(f -> CompletableFuture.runAsync(() -> f.complete(null)));
    }

    /**
     * Fails every pending trigger (the monitor is closing) and refuses new ones; blocks already holding a triggered
     * pass may still close.
     */
    public void shutDown(String reason) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (waiters) {
            shut = true;
            waiters.forEach(w -> pending.add(w.done()));
            waiters.clear();
            triggerOpen.set(0);
        }
        pending.forEach(f -> f.completeExceptionally(new IllegalStateException(reason)));
    }

    /** Whether a trigger has passes whose blocks have not closed yet (taken or not). Lock-free. */
    public boolean triggerPending() {
        return triggerPending.get() > 0;
    }

    /** Triggered passes not yet handed to a block. */
    public long triggerOpen() {
        return triggerOpen.get();
    }
}
