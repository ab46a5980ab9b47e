package dev.cmr.model.hooks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Registry and runner of hooks.
 *
 * <ul>
 *   <li>Order: hooks of one kind run by ascending priority, then in registration order.</li>
 *   <li>Isolation: a hook that throws does not stop the others or the forward pass. Its error goes to the ERROR
 *       hooks and to the error sink (the monitor's {@code recordError}, component {@code hook:<name>}). An ERROR
 *       hook that throws is only reported to the sink, never to other ERROR hooks, so failures cannot loop.
 *       {@link VirtualMachineError}s are not caught.</li>
 *   <li>Threading: registration and removal may happen from any thread at any time; a pass sees the hooks that
 *       were registered when it reached that point.</li>
 * </ul>
 */
public final class HookManager {
    private final Map<HookKind, CopyOnWriteArrayList<Registered>> hooks = new EnumMap<>(HookKind.class);
    private final AtomicLong sequence = new AtomicLong();
    private volatile BiConsumer<String, Throwable> errorSink = (component, error) -> { };

    public HookManager() {
        for (HookKind kind : HookKind.values()) {
            hooks.put(kind, new CopyOnWriteArrayList<>());
        }
    }

    /** Registers {@code hook} at priority 0. */
    public HookHandle register(HookKind kind, String name, Hook hook) {
        return register(kind, name, 0, hook);
    }

    public HookHandle register(HookKind kind, String name, int priority, Hook hook) {
        if (kind == null || hook == null || name == null || name.isBlank()) {
            throw new IllegalArgumentException("kind, a non-blank name and hook are required");
        }
        Registered r = new Registered(kind, name, priority, sequence.getAndIncrement(), hook);
        CopyOnWriteArrayList<Registered> list = hooks.get(kind);
        synchronized (list) {
            int at = 0;
            while (at < list.size() && !r.before(list.get(at))) {
                at++;
            }
            list.add(at, r);
        }
        return new HookHandle(() -> list.remove(r));
    }

    /** Where errors of hooks are reported (component, error). */
    public void setErrorSink(BiConsumer<String, Throwable> sink) {
        this.errorSink = sink == null ? (component, error) -> { } : sink;
    }

    /** Whether any hook of {@code kind} is registered: callers skip building events when none is. */
    public boolean has(HookKind kind) {
        return !hooks.get(kind).isEmpty();
    }

    /** Runs the hooks of the event's kind, in order, isolating each. */
    public void fire(HookEvent event) {
        for (Registered r : hooks.get(event.kind())) {
            Throwable failure = r.run(event);
            if (failure != null) {
                errorSink.accept("hook:" + r.name, failure);
                if (event.kind() != HookKind.ERROR) {
                    fire(HookEvent.failure(event, r.name, failure));
                }
            }
        }
    }

    public List<HookStats> stats() {
        List<HookStats> out = new ArrayList<>();
        for (HookKind kind : HookKind.values()) {
            for (Registered r : hooks.get(kind)) {
                out.add(new HookStats(r.name, kind, r.priority, r.calls.get(), r.totalNanos.get(), r.maxNanos.get(),
                        r.errors.get()));
            }
        }
        return out;
    }

    private static final class Registered {
        final HookKind kind;
        final String name;
        final int priority;
        final long order;
        final Hook hook;
        final AtomicLong calls = new AtomicLong();
        final AtomicLong totalNanos = new AtomicLong();
        final AtomicLong maxNanos = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        Registered(HookKind kind, String name, int priority, long order, Hook hook) {
            this.kind = kind;
            this.name = name;
            this.priority = priority;
            this.order = order;
            this.hook = hook;
        }

        boolean before(Registered other) {
            return priority < other.priority || (priority == other.priority && order < other.order);
        }

        /** Runs the hook; returns what it threw, or null. */
        Throwable run(HookEvent event) {
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                hook.on(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                failure = e;
                errors.incrementAndGet();
            }
            long nanos = System.nanoTime() - start;
            calls.incrementAndGet();
            totalNanos.addAndGet(nanos);
            maxNanos.accumulateAndGet(nanos, Math::max);
            return failure;
        }
    }
}
