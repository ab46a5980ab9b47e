package dev.cmr.monitor.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** JvmSampler against this JVM's own MXBeans. */
class JvmSamplerTest {

    @Test
    void heapGaugesAreConsistentWithEachOther() {
        try (JvmSampler sampler = new JvmSampler()) {
            ResourceSample sample = sampler.sample(System.nanoTime());

            assertThat(sampler.lastError()).isNull();
            assertThat(sample.source()).isEqualTo("jvm");
            double used = sample.values().get("jvm_heap_used_bytes");
            double committed = sample.values().get("jvm_heap_committed_bytes");
            assertThat(used).isPositive().isLessThanOrEqualTo(committed);
            if (sample.values().containsKey("jvm_heap_max_bytes")) {
                assertThat(committed).isLessThanOrEqualTo(sample.values().get("jvm_heap_max_bytes"));
            }
            assertThat(sample.values().get("jvm_thread_count")).isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void gcDeltasCountTheCollectionsBetweenTwoSamples() {
        try (JvmSampler sampler = new JvmSampler()) {
            ResourceSample first = sampler.sample(System.nanoTime());
            assertThat(first.values()).doesNotContainKeys("jvm_gc_count_delta", "jvm_gc_time_delta_ms");

            System.gc(); // a request; the assertion below holds whether or not the JVM honours it
            ResourceSample second = sampler.sample(System.nanoTime());

            double countDelta = second.values().get("jvm_gc_count_delta");
            assertThat(countDelta).isEqualTo(second.values().get("jvm_gc_count") - first.values().get("jvm_gc_count"));
            assertThat(second.values().get("jvm_gc_time_delta_ms"))
                    .isEqualTo(second.values().get("jvm_gc_time_ms") - first.values().get("jvm_gc_time_ms"))
                    .isGreaterThanOrEqualTo(0.0);
            assertThat(countDelta).isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void cumulativeGcCountIsTheSumOverAllCollectors() {
        try (JvmSampler sampler = new JvmSampler()) {
            long before = totalCollections();
            double sampled = sampler.sample(System.nanoTime()).values().get("jvm_gc_count");
            long after = totalCollections();

            assertThat(sampled).isBetween((double) before, (double) after);
        }
    }

    private static long totalCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += gc.getCollectionCount();
        }
        return n;
    }
}
