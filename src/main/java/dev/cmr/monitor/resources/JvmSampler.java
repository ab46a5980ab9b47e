package dev.cmr.monitor.resources;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;

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
    /** Heap in use, bytes. */
    public static final String HEAP_USED_BYTES = "jvm_heap_used_bytes";

    private long previousGcCount = -1;
    private long previousGcMillis = -1;
    private volatile String lastError;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ResourceSample sample(long nowNanos) {
        GaugeReadings readings = new GaugeReadings();
        readings.read("heap", () -> {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            readings.put(HEAP_USED_BYTES, heap.getUsed());
            readings.put("jvm_heap_committed_bytes", heap.getCommitted());
            if (heap.getMax() >= 0) {
                readings.put("jvm_heap_max_bytes", heap.getMax());
            }
        });
        readings.read("gc", () -> gc(readings, ManagementFactory.getGarbageCollectorMXBeans()));
        readings.read("threads",
                () -> readings.put("jvm_thread_count", ManagementFactory.getThreadMXBean().getThreadCount()));
        lastError = readings.error();
        return readings.toSample(NAME, nowNanos);
    }

    private void gc(GaugeReadings readings, List<GarbageCollectorMXBean> collectors) {
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
        readings.put("jvm_gc_count", count);
        readings.put("jvm_gc_time_ms", millis);
        if (previousGcCount >= 0) {
            readings.put("jvm_gc_count_delta", count - previousGcCount);
            readings.put("jvm_gc_time_delta_ms", millis - previousGcMillis);
        }
        previousGcCount = count;
        previousGcMillis = millis;
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
