package dev.cmr.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jol.util.ObjectUtils;
import org.openjdk.jol.vm.VM;

/**
 * The objects reachable from a root without passing through a <em>boundary</em> object, sized by JOL
 * ({@code VM.current().sizeOf}, the same sizes {@code GraphLayout} adds up).
 *
 * <p>Why not {@code GraphLayout.parseInstance(monitor)} alone: the monitor references {@link Thread} objects (each
 * per-thread recorder keeps its owner, and the collector's executor keeps its worker), and from a thread JOL walks on
 * into its {@link ThreadGroup}, every other thread of the JVM, their class loaders, open files and so on, so the
 * total mostly measures the JVM, not the monitor. Boundaries here are instances of {@link Thread},
 * {@link ThreadGroup}, {@link ClassLoader}, {@link Class} and {@link Module}: neither counted nor walked. Everything
 * else reachable from the monitor (per-thread counter and bucket arrays, merged histograms, snapshots, history, the
 * collector's executor and queue) is counted.
 *
 * <p>Field values are read with JOL's {@link ObjectUtils#value}; with hidden classes (lambdas) in the graph that
 * needs {@code -Djol.magicFieldOffset=true}.
 */
final class OwnedGraph {
    private static final Class<?>[] BOUNDARIES = {Thread.class, ThreadGroup.class, ClassLoader.class, Class.class,
            Module.class};
    private static final Map<Class<?>, List<Field>> FIELDS = new HashMap<>();

    final long totalSize;
    final long totalCount;
    private final Map<Class<?>, long[]> byClass; // class -> {count, bytes}

    private OwnedGraph(long totalSize, long totalCount, Map<Class<?>, long[]> byClass) {
        this.totalSize = totalSize;
        this.totalCount = totalCount;
        this.byClass = byClass;
    }

    static OwnedGraph of(Object root) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object> queue = new ArrayDeque<>();
        Map<Class<?>, long[]> byClass = new HashMap<>();
        long size = 0;
        queue.add(root);
        seen.add(root);
        while (!queue.isEmpty()) {
            Object o = queue.poll();
            long s = VM.current().sizeOf(o);
            size += s;
            long[] entry = byClass.computeIfAbsent(o.getClass(), c -> new long[2]);
            entry[0]++;
            entry[1] += s;
            Class<?> type = o.getClass();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    for (Object element : (Object[]) o) {
                        visit(element, seen, queue);
                    }
                }
            } else {
                for (Field f : referenceFields(type)) {
                    visit(ObjectUtils.value(o, f), seen, queue);
                }
            }
        }
        return new OwnedGraph(size, seen.size(), byClass);
    }

    private static void visit(Object o, Set<Object> seen, ArrayDeque<Object> queue) {
        if (o == null || isBoundary(o) || !seen.add(o)) {
            return;
        }
        queue.add(o);
    }

    private static boolean isBoundary(Object o) {
        for (Class<?> b : BOUNDARIES) {
            if (b.isInstance(o)) {
                return true;
            }
        }
        return false;
    }

    private static List<Field> referenceFields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = t; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        fields.add(f);
                    }
                }
            }
            return fields;
        });
    }

    /** Per class: count, total bytes, largest first (like JOL's {@code toFootprint()}). */
    String footprint() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%10s %12s   %s%n", "COUNT", "SUM", "DESCRIPTION"));
        byClass.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<Class<?>, long[]> e) -> e.getValue()[1]).reversed())
                .forEach(e -> sb.append(String.format("%10d %12d   %s%n", e.getValue()[0], e.getValue()[1],
                        e.getKey().getName())));
        sb.append(String.format("%10d %12d   (total)%n", totalCount, totalSize));
        return sb.toString();
    }
}
