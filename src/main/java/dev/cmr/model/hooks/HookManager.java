package dev.cmr.model.hooks;

import dev.cmr.monitor.spi.HookGauge;
import dev.cmr.monitor.spi.HookOrderProbe;
import dev.cmr.monitor.spi.HookReading;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

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
 *   <li>Statistics, per hook (the monitor's {@link HookGauge}): calls, errors, time inside the hook (total, max
 *       and a latency histogram through HdrHistogram's {@link Recorder}: wait-free for the hook's thread, no
 *       allocation; about 90 KB per hook), the layers it was called at and the layers whose hidden states it
 *       wrote to. Writes are detected exactly and for free by comparing {@link HiddenStates#modificationCount()}
 *       before and after the hook; writes to logits or token id arrays are not tracked (they are not layer
 *       states). Layers from 0 to {@value #TRACKED_LAYERS} - 1 are tracked.</li>
 *   <li>{@link #probeHookOrder()} runs hooks on scratch states, on the caller's thread: opt-in, for diagnostics,
 *       never during a pass.</li>
 * </ul>
 */
public final class HookManager implements HookGauge {
    /** Layers whose calls and writes are tracked per hook (the monitor's max_layers upper bound). */
    static final int TRACKED_LAYERS = 4096;
    /** Longest single call the latency histogram resolves; longer calls are recorded as this. */
    static final long MAX_TRACKED_NANOS = 60_000_000_000L;
    /** Rows of the scratch states an order probe uses (fewer if the layer was seen with fewer). */
    static final int PROBE_MAX_POSITIONS = 8;
    /** Element-wise difference, relative to max(1, |value|), below which two orders count as equal. */
    static final double PROBE_TOLERANCE = 1e-5;

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
        HiddenStates hidden = event.hidden();
        int layer = event.layer();
        for (Registered r : hooks.get(event.kind())) {
            int writesBefore = hidden == null ? 0 : hidden.modificationCount();
            Throwable failure = r.run(event);
            if (layer >= 0 && layer < TRACKED_LAYERS) {
                r.saw(layer);
                if (hidden != null && hidden.modificationCount() != writesBefore) {
                    r.modified(layer, hidden);
                }
            }
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

    /** Readings of every registered hook, in running order (kind, priority, registration). Thread-safe. */
    @Override
    public List<HookReading> readHooks() {
        List<HookReading> out = new ArrayList<>();
        for (HookKind kind : HookKind.values()) {
            for (Registered r : hooks.get(kind)) {
                out.add(r.reading());
            }
        }
        return out;
    }

    /**
     * Runs each pair of same-kind hooks that both wrote to one layer's states in both orders, on two copies of
     * seeded scratch states shaped like that layer's last modified states, and compares. The hooks' statistics and
     * the error sink are untouched; the hooks themselves run on this thread and see scratch data (their own side
     * effects, e.g. counters, do happen). Call it when no pass is running.
     */
    @Override
    public List<HookOrderProbe> probeHookOrder() {
        List<HookOrderProbe> out = new ArrayList<>();
        for (HookKind kind : HookKind.values()) {
            List<Registered> list = List.copyOf(hooks.get(kind));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Registered a = list.get(i);
                    Registered b = list.get(j);
                    SortedSet<Integer> common = a.layersModified();
                    common.retainAll(b.layersModified());
                    for (int layer : common) {
                        out.add(probe(kind, layer, a, b));
                    }
                }
            }
        }
        return out;
    }

    private static HookOrderProbe probe(HookKind kind, int layer, Registered a, Registered b) {
        long shape = a.shapes.getOrDefault(layer, b.shapes.getOrDefault(layer, 0L));
        int positions = Math.max(1, Math.min(PROBE_MAX_POSITIONS, (int) (shape >>> 32)));
        int hiddenSize = Math.max(1, (int) shape);
        SplittableRandom random = new SplittableRandom(31L * layer + kind.ordinal());
        float[][] scratch = new float[positions][hiddenSize];
        for (float[] row : scratch) {
            for (int c = 0; c < hiddenSize; c++) {
                row[c] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        HiddenStates ab = HiddenStates.copyOf(scratch, 0);
        HiddenStates ba = HiddenStates.copyOf(scratch, 0);
        try {
            a.hook.on(HookEvent.layer(kind, layer, ab, List.of()));
            b.hook.on(HookEvent.layer(kind, layer, ab, List.of()));
            b.hook.on(HookEvent.layer(kind, layer, ba, List.of()));
            a.hook.on(HookEvent.layer(kind, layer, ba, List.of()));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return new HookOrderProbe(a.name, b.name, kind.name(), layer, HookOrderProbe.Outcome.PROBE_FAILED,
                    Double.NaN, "a hook threw on scratch states: " + e);
        }
        double maxDiff = 0;
        boolean differs = false;
        for (int t = 0; t < positions; t++) {
            for (int c = 0; c < hiddenSize; c++) {
                float x = ab.get(t, c);
                float y = ba.get(t, c);
                double diff = Math.abs((double) x - y);
                if (Float.isNaN(x) != Float.isNaN(y)) {
                    diff = Double.POSITIVE_INFINITY;
                } else if (Float.isNaN(x)) {
                    diff = 0;
                }
                maxDiff = Math.max(maxDiff, diff);
                differs |= diff > PROBE_TOLERANCE * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y)));
            }
        }
        return new HookOrderProbe(a.name, b.name, kind.name(), layer,
                differs ? HookOrderProbe.Outcome.ORDER_DEPENDENT : HookOrderProbe.Outcome.COMMUTES, maxDiff, "");
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
        final Recorder latency = new Recorder(1, MAX_TRACKED_NANOS, 2);
        final AtomicLongArray layersSeen = new AtomicLongArray(TRACKED_LAYERS / 64);
        final AtomicLongArray layersModified = new AtomicLongArray(TRACKED_LAYERS / 64);
        /** Per modified layer, the shape of the states written: positions << 32 | hiddenSize. */
        final Map<Integer, Long> shapes = new ConcurrentHashMap<>();
        // Reader side only, guarded by readLock: the recorder hands over intervals, these accumulate them.
        private final Object readLock = new Object();
        private Histogram interval;
        private Histogram cumulative;

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
            latency.recordValue(Math.max(1, Math.min(nanos, MAX_TRACKED_NANOS)));
            return failure;
        }

        void saw(int layer) {
            setBit(layersSeen, layer);
        }

        void modified(int layer, HiddenStates hidden) {
            // The shape is written when the bit is first set: once per layer, not per call.
            if (setBit(layersModified, layer)) {
                shapes.put(layer, ((long) hidden.positions() << 32) | hidden.hiddenSize());
            }
        }

        /** Sets {@code bit}; a plain volatile read when it is already set (the common case). True if newly set. */
        private static boolean setBit(AtomicLongArray bits, int bit) {
            int word = bit >>> 6;
            long mask = 1L << (bit & 63);
            if ((bits.get(word) & mask) != 0) {
                return false;
            }
            return (bits.getAndAccumulate(word, mask, (x, m) -> x | m) & mask) == 0;
        }

        private static SortedSet<Integer> layers(AtomicLongArray bits) {
            SortedSet<Integer> out = new TreeSet<>();
            for (int w = 0; w < bits.length(); w++) {
                long word = bits.get(w);
                while (word != 0) {
                    out.add(w * 64 + Long.numberOfTrailingZeros(word));
                    word &= word - 1;
                }
            }
            return out;
        }

        SortedSet<Integer> layersModified() {
            return layers(layersModified);
        }

        HookReading reading() {
            long p99;
            synchronized (readLock) {
                interval = latency.getIntervalHistogram(interval);
                if (cumulative == null) {
                    cumulative = new Histogram(1, MAX_TRACKED_NANOS, 2);
                }
                cumulative.add(interval);
                p99 = cumulative.getTotalCount() == 0 ? 0 : cumulative.getValueAtPercentile(99.0);
            }
            long errorCount = errors.get();
            long max = maxNanos.get();
            // HdrHistogram reports a bucket's highest equivalent value, which can lie just above the true maximum.
            return new HookReading(name, kind.name(), priority, Math.max(calls.get(), errorCount), totalNanos.get(),
                    Math.min(p99, max), max, errorCount, layers(layersSeen), layers(layersModified));
        }
    }
}
