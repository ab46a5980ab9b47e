package dev.cmr.monitor.engine;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Errors per component and exception class. Errors are not on the per-layer record path, so this uses a concurrent
 * map; it is bounded: past {@link #MAX_KEYS} distinct components (or classes per component) new names are counted
 * under {@code "other"}, so a caller that puts ids in component names cannot grow it without limit. Per component
 * it also keeps the last error ({@link LastError}: class, message cut to {@value #MAX_MESSAGE_CHARS} characters,
 * wall-clock time), so that memory stays bounded by the number of components.
 */
public final class ErrorCounter {
    public static final int MAX_KEYS = 64;
    public static final String OTHER = "other";

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final ConcurrentHashMap<String, LastError> last = new ConcurrentHashMap<>();
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

    public void record(String component, Throwable error) {
        String name = component == null || component.isBlank() ? "unknown" : component;
        String type = error == null ? "unknown" : error.getClass().getName();
        ConcurrentHashMap<String, LongAdder> byType = counts.get(name);
        if (byType == null) {
            byType = counts.size() >= MAX_KEYS ? counts.computeIfAbsent(OTHER, k -> new ConcurrentHashMap<>())
                    : counts.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
        }
        LongAdder n = byType.get(type);
        if (n == null) {
            n = byType.size() >= MAX_KEYS ? byType.computeIfAbsent(OTHER, k -> new LongAdder())
                    : byType.computeIfAbsent(type, k -> new LongAdder());
        }
        n.increment();
        total.increment();
        String key = counts.containsKey(name) ? name : OTHER;
        last.put(key, new LastError(type, message(error), clock.millis()));
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
        return new TreeMap<>(last);
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
        counts.forEach((component, byType) -> {
            Map<String, Long> types = new TreeMap<>();
            byType.forEach((type, n) -> types.put(type, n.sum()));
            out.put(component, types);
        });
        return out;
    }

    public void reset() {
        counts.clear();
        last.clear();
        total.reset();
    }

    public static Map<String, Object> toMap(long total, Map<String, Map<String, Long>> byComponent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_errors", total);
        m.put("by_component", byComponent);
        return m;
    }
}
