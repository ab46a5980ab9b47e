package dev.cmr.monitor.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A concurrent map from names to values that holds at most {@code maxNames} names plus one overflow entry: once
 * {@code maxNames} names are in, every further name is admitted as the overflow name. For maps keyed by names that
 * callers choose (error components, tracked blocks), which a caller putting ids in names must not grow without
 * limit.
 *
 * <p>Contract:
 * <ol>
 *   <li>Any number of threads may call any method at once. Nothing is locked beyond the bins of the
 *       {@link ConcurrentHashMap}; not for the record path.</li>
 *   <li>The cap holds under any interleaving: a name takes a slot from an {@link AtomicInteger} before it is
 *       inserted, and gives it back when the slot count is already full or another thread inserted the same name
 *       first. So {@link #size()} never exceeds {@code maxNames + 1}, the one being the overflow entry (the overflow
 *       name itself never takes a slot).</li>
 *   <li>Entries are never removed; to start over, replace the whole instance.</li>
 * </ol>
 */
final class BoundedNames<V> {
    private final int maxNames;
    private final String overflow;
    private final Function<String, V> create;
    private final ConcurrentHashMap<String, V> map = new ConcurrentHashMap<>();
    private final AtomicInteger slotsTaken = new AtomicInteger();

    BoundedNames(int maxNames, String overflow, Function<String, V> create) {
        this.maxNames = maxNames;
        this.overflow = overflow;
        this.create = create;
    }

    /**
     * The name {@code name} is kept under ({@code name} itself, or the overflow name when the cap is reached), its
     * entry created if it had none.
     */
    String admit(String name) {
        if (map.containsKey(name)) {
            return name;
        }
        if (!name.equals(overflow)) {
            if (slotsTaken.incrementAndGet() <= maxNames) {
                if (map.putIfAbsent(name, create.apply(name)) != null) {
                    slotsTaken.decrementAndGet(); // another thread inserted the same name first
                }
                return name;
            }
            slotsTaken.decrementAndGet();
        }
        map.computeIfAbsent(overflow, create);
        return overflow;
    }

    /** The value {@code name} is kept under, after {@link #admit admitting} it. */
    V get(String name) {
        V value = map.get(name);
        return value != null ? value : map.get(admit(name));
    }

    boolean contains(String name) {
        return map.containsKey(name);
    }

    int size() {
        return map.size();
    }

    void forEach(BiConsumer<String, V> action) {
        map.forEach(action);
    }
}
