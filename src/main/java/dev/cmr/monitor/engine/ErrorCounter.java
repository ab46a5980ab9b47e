package dev.cmr.monitor.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Errors per component and exception class. Errors are not on the per-layer record path, so this uses a concurrent
 * map; it is bounded: past {@link #MAX_KEYS} distinct components (or classes per component) new names are counted
 * under {@code "other"}, so a caller that puts ids in component names cannot grow it without limit.
 */
public final class ErrorCounter {
    public static final int MAX_KEYS = 64;
    public static final String OTHER = "other";

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

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
        total.reset();
    }

    public static Map<String, Object> toMap(long total, Map<String, Map<String, Long>> byComponent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_errors", total);
        m.put("by_component", byComponent);
        return m;
    }
}
