package dev.cmr.monitor.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The stateful side of health: turns each {@link HealthSample} into a {@link HealthReport} (windowing the
 * cumulative counts, then {@link HealthEvaluator}), keeps the latest report and a bounded history, and hands every
 * report to the listeners (the alert manager subscribes here).
 *
 * <p>Threading: {@link #evaluate} is synchronized (the scheduled health task and an on-demand evaluation may
 * race); listeners are called after the lock is released, on the evaluating thread, in registration order. A
 * listener that throws is reported to the error sink (component {@code health_listener}) and the others still run.
 * Nothing here touches the record path: samples are built from snapshots.
 */
public final class HealthTracker {
    private static final List<String> COUNTED = HealthComponent.keys();
    // Cumulative counters windowed per evaluation: one per counted component's errors, then these.
    private static final int CAPTURES = COUNTED.size();
    private static final int RETRIEVALS = CAPTURES + 1;
    private static final int RECONSTRUCTIONS = CAPTURES + 2;
    private static final int FORWARDS = CAPTURES + 3;
    private static final int FORWARD_NANOS = CAPTURES + 4;
    private static final int HOOK_CALLS = CAPTURES + 5;
    private static final int HOOK_NANOS = CAPTURES + 6;
    private static final int WIDTH = CAPTURES + 7;

    private final HealthEvaluator evaluator;
    private final long windowMillis;
    private final HealthHistory history;
    private final CounterWindow counters;
    private final List<Consumer<HealthReport>> listeners = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, Throwable> errorSink;
    private volatile HealthReport latest;

    /**
     * @param windowMillis the span activity counts are differenced over ({@code live_window})
     * @param errorSink    receives listener failures; must not throw
     */
    public HealthTracker(HealthEvaluator evaluator, long windowMillis, int historySize, long startEpochMillis,
                         BiConsumer<String, Throwable> errorSink) {
        this.evaluator = evaluator;
        this.windowMillis = windowMillis;
        this.history = new HealthHistory(historySize);
        this.counters = new CounterWindow(WIDTH, startEpochMillis);
        this.errorSink = errorSink;
    }

    /** Evaluates, records and publishes one report. */
    public HealthReport evaluate(HealthSample sample) {
        HealthReport report;
        synchronized (this) {
            report = evaluator.evaluate(sample, activity(sample));
            history.add(report);
            latest = report;
        }
        for (Consumer<HealthReport> listener : listeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                errorSink.accept("health_listener", e);
            }
        }
        return report;
    }

    private ActivityWindow activity(HealthSample s) {
        long[] now = new long[WIDTH];
        for (int i = 0; i < COUNTED.size(); i++) {
            now[i] = s.errorsTotal().getOrDefault(COUNTED.get(i), 0L);
        }
        now[CAPTURES] = s.capturesTotal();
        now[RETRIEVALS] = s.retrievalsTotal();
        now[RECONSTRUCTIONS] = s.reconstructionsTotal();
        now[FORWARDS] = s.forwardsTotal();
        now[FORWARD_NANOS] = s.forwardNanosTotal();
        now[HOOK_CALLS] = s.hooks() == null ? 0 : s.hooks().calls();
        now[HOOK_NANOS] = s.hooks() == null ? 0 : s.hooks().overheadNanos();
        long[] d = counters.advance(s.epochMillis(), windowMillis, now);
        Map<String, Long> errors = new java.util.LinkedHashMap<>();
        for (int i = 0; i < COUNTED.size(); i++) {
            errors.put(COUNTED.get(i), d[i]);
        }
        boolean hookSource = s.hooks() != null;
        return new ActivityWindow(d[WIDTH], errors, d[CAPTURES], d[RETRIEVALS], d[RECONSTRUCTIONS], d[FORWARDS],
                d[FORWARD_NANOS], hookSource ? d[HOOK_CALLS] : null, hookSource ? d[HOOK_NANOS] : null);
    }

    /** The newest report, or null before the first evaluation. */
    public HealthReport latest() {
        return latest;
    }

    /** Reports oldest first, at most {@code max_history_size}. */
    public List<HealthReport> history() {
        return history.entries();
    }

    public void addListener(Consumer<HealthReport> listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    public boolean removeListener(Consumer<HealthReport> listener) {
        return listeners.remove(listener);
    }

    /** Forgets reports and windowed counts; listeners stay. */
    public synchronized void reset(long nowEpochMillis) {
        history.clear();
        latest = null;
        counters.reset(nowEpochMillis);
    }
}
