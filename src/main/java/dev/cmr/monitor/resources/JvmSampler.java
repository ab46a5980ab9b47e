package dev.cmr.monitor.resources;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This JVM's heap, garbage collection and threads from the JDK's platform MXBeans, source name {@code jvm}. Gauges:
 *
 * <pre>
 * jvm_heap_used_bytes        heap in use
 * jvm_heap_committed_bytes   heap the JVM holds from the OS
 * jvm_heap_max_bytes         heap limit (absent when the JVM reports none)
 * jvm_gc_count               collections since JVM start, all collectors
 * jvm_gc_count_delta         collections since the previous sample
 * jvm_gc_time_ms             accumulated collection time since JVM start, all collectors (as the MXBeans report
 *                            it: for concurrent collectors this is their cycle time, not only pauses)
 * jvm_gc_time_delta_ms       collection time since the previous sample
 * jvm_thread_count           live threads
 * </pre>
 *
 * <p>The deltas are absent from the first sample, which sets their baseline. Contract: as {@link ResourceSampler};
 * a bean that fails or reports "undefined" (-1) leaves its gauges absent and its error in {@link #lastError()}.
 */
public final class JvmSampler implements ResourceSampler {
    public static final String NAME = "jvm";

    private long previousGcCount = -1;
    private long previousGcMillis = -1;
    private volatile String lastError;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ResourceSample sample(long nowNanos) {
        Map<String, Double> values = new LinkedHashMap<>();
        StringBuilder errors = new StringBuilder();
        try {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            values.put("jvm_heap_used_bytes", (double) heap.getUsed());
            values.put("jvm_heap_committed_bytes", (double) heap.getCommitted());
            if (heap.getMax() >= 0) {
                values.put("jvm_heap_max_bytes", (double) heap.getMax());
            }
        } catch (RuntimeException | LinkageError e) {
            note(errors, "heap", e);
        }
        try {
            gc(values, ManagementFactory.getGarbageCollectorMXBeans());
        } catch (RuntimeException | LinkageError e) {
            note(errors, "gc", e);
        }
        try {
            values.put("jvm_thread_count", (double) ManagementFactory.getThreadMXBean().getThreadCount());
        } catch (RuntimeException | LinkageError e) {
            note(errors, "threads", e);
        }
        lastError = errors.length() == 0 ? null : errors.toString();
        return values.isEmpty() ? null : new ResourceSample(NAME, nowNanos, values);
    }

    private void gc(Map<String, Double> values, List<GarbageCollectorMXBean> collectors) {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            long c = collector.getCollectionCount();
            long t = collector.getCollectionTime();
            if (c < 0 || t < 0) {
                throw new IllegalStateException("collector " + collector.getName() + " reports no count or time");
            }
            count += c;
            millis += t;
        }
        values.put("jvm_gc_count", (double) count);
        values.put("jvm_gc_time_ms", (double) millis);
        if (previousGcCount >= 0) {
            values.put("jvm_gc_count_delta", (double) (count - previousGcCount));
            values.put("jvm_gc_time_delta_ms", (double) (millis - previousGcMillis));
        }
        previousGcCount = count;
        previousGcMillis = millis;
    }

    private static void note(StringBuilder errors, String what, Throwable e) {
        if (errors.length() > 0) {
            errors.append("; ");
        }
        errors.append(what).append(": ").append(e);
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        // The platform MXBeans live as long as the JVM.
    }
}
