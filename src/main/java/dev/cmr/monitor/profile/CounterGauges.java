package dev.cmr.monitor.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resource gauges the report draws as curves (trace.json counter tracks, bottlenecks.html charts): CPU, resident
 * memory, JVM heap and GPU utilization, named as the resource samplers name them (HostSampler, JvmSampler,
 * NvmlSampler of {@code dev.cmr.monitor.resources}, which this package must not import; a test holds the names
 * equal). A resource key matches a gauge when it is the gauge's name or ends with {@code .} and the name (the
 * {@code <source>.<gauge>} keys of the resource poller, e.g. {@code nvml0.gpu_utilization_percent}). Stateless.
 */
final class CounterGauges {
    static final String SYSTEM_CPU_PERCENT = "system_cpu_percent";
    static final String PROCESS_CPU_CORE_PERCENT = "process_cpu_core_percent";
    static final String PROCESS_RSS_BYTES = "process_rss_bytes";
    static final String JVM_HEAP_USED_BYTES = "jvm_heap_used_bytes";
    static final String GPU_UTILIZATION_PERCENT = "gpu_utilization_percent";

    /** The gauges drawn, in drawing order. */
    static final List<String> NAMES = List.of(SYSTEM_CPU_PERCENT, PROCESS_CPU_CORE_PERCENT, PROCESS_RSS_BYTES,
            JVM_HEAP_USED_BYTES, GPU_UTILIZATION_PERCENT);

    private CounterGauges() {
    }

    /** The drawn gauges of {@code resources} that have points, in drawing order, then by key. */
    static List<Map.Entry<String, List<ResourcePoint>>> of(Map<String, List<ResourcePoint>> resources) {
        List<Map.Entry<String, List<ResourcePoint>>> out = new ArrayList<>();
        for (String name : NAMES) {
            resources.entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty() && (e.getKey().equals(name) || e.getKey().endsWith("." + name)))
                    .forEach(out::add);
        }
        return out;
    }
}
