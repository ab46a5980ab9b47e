package dev.cmr.monitor.engine;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Errors per component and exception class. Errors are not on the per-layer record path, so this uses concurrent
 * maps; they are bounded ({@link BoundedNames}): past {@link #MAX_KEYS} distinct components, new components are
 * counted under {@code "other"}, and likewise past {@link #MAX_KEYS} exception classes within one component. So at
 * most {@code MAX_KEYS + 1} components, each with at most {@code MAX_KEYS + 1} classes, whatever the number of
 * threads recording at once, and a caller that puts ids in component names cannot grow it without limit. Per
 * component it also keeps the last error ({@link LastError}: class, message cut to {@value #MAX_MESSAGE_CHARS}
 * characters, wall-clock time), so that memory stays bounded by the number of components.
 *
 * <p>Threading: any number of threads record and read at once. {@link #reset} swaps in an empty registry; an error
 * recorded while a reset runs is counted on one side of it or the other.
 */
public final class ErrorCounter {
    public static final int MAX_KEYS = 64;
    public static final String OTHER = "other";

    /** One component's counts per exception class and its newest error. */
    private static final class Component {
        final BoundedNames<LongAdder> byType = new BoundedNames<>(MAX_KEYS, OTHER, k -> new LongAdder());
        volatile LastError last;
    }

    private volatile BoundedNames<Component> counts = newCounts();
    private final LongAdder total = new LongAdder();
    private final Clock clock;

    /** Longest message kept in a {@link LastError}; longer ones are cut. */
    public static final int MAX_MESSAGE_CHARS = 1_000;

    /**
     * The newest error of a component: the exception's class name, its message ({@code ""} when it had none, cut to
     * {@value #MAX_MESSAGE_CHARS} characters) and when it was counted, in epoch milliseconds.
     */
    public record LastError(String exceptionClass, String message, long epochMillis) {
    }

    /** Times last errors with the system's wall clock. */
    public ErrorCounter() {
        this(Clock.systemUTC());
    }

    /** Times last errors with {@code clock}. */
    public ErrorCounter(Clock clock) {
        this.clock = clock;
    }

    private static BoundedNames<Component> newCounts() {
        return new BoundedNames<>(MAX_KEYS, OTHER, k -> new Component());
    }

    public void record(String component, Throwable error) {
        String name = component == null || component.isBlank() ? "unknown" : component;
        String type = error == null ? "unknown" : error.getClass().getName();
        Component c = counts.get(name);
        c.byType.get(type).increment();
        total.increment();
        c.last = new LastError(type, message(error), clock.millis());
    }

    private static String message(Throwable error) {
        String message = error == null ? null : error.getMessage();
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS);
    }

    /** The newest error per component, by component name. */
    public Map<String, LastError> lastErrors() {
        Map<String, LastError> out = new TreeMap<>();
        counts.forEach((name, c) -> {
            LastError last = c.last;
            if (last != null) {
                out.put(name, last);
            }
        });
        return out;
    }

    /**
     * What {@code read} gives for {@code source}; null when there is no source, or when the read throws, which is
     * counted as an error of {@code component}. For gauges and sources the monitor polls: one that fails reads as
     * absent and never breaks the reader.
     */
    public <S, R> R readOrNull(String component, S source, Function<? super S, ? extends R> read) {
        if (source == null) {
            return null;
        }
        try {
            return read.apply(source);
        } catch (RuntimeException e) {
            record(component, e);
            return null;
        }
    }

    public long total() {
        return total.sum();
    }

    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((component, c) -> {
            Map<String, Long> types = new TreeMap<>();
            c.byType.forEach((type, n) -> types.put(type, n.sum()));
            out.put(component, types);
        });
        return out;
    }

    public void reset() {
        counts = newCounts();
        total.reset();
    }

    public static Map<String, Object> toMap(long total, Map<String, Map<String, Long>> byComponent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_errors", total);
        m.put("by_component", byComponent);
        return m;
    }
}
