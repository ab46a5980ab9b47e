package dev.cmr.monitor.engine;

import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HookLoad;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.resources.ClockEventReasons;
import dev.cmr.monitor.resources.HostSampler;
import dev.cmr.monitor.resources.NvmlSampler;
import dev.cmr.monitor.spi.HookGauge;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The health evaluator's default inputs, derived from what the monitor already has when the user set no source of
 * their own: hook load from the hook gauge, host utilization from the {@code host} resource sampler, device memory and
 * throttling from the first NVML sampler ({@code nvml0}) and mark loss from the device timeline. Each returns null when
 * its data is absent, which the evaluator shows as NO_DATA, never as green. Gauge and source names, and the idle bit,
 * are the samplers' own constants ({@link HostSampler}, {@link NvmlSampler}, {@link ClockEventReasons}).
 */
public final class DefaultHealthInputs {
    /** The resource values of the first GPU: {@code <source>.<gauge>}, as the resource poller keys them. */
    static final String FIRST_GPU = NvmlSampler.NAME_PREFIX + 0 + ".";
    static final String HOST = HostSampler.NAME + ".";

    private DefaultHealthInputs() {
    }

    /** All hooks' calls and time together; null without a gauge or before any hook is registered. */
    public static HookLoad hooks(HookGauge gauge) {
        if (gauge == null) {
            return null;
        }
        List<dev.cmr.monitor.spi.HookReading> hooks = gauge.readHooks();
        if (hooks.isEmpty()) {
            return null;
        }
        long calls = 0;
        long nanos = 0;
        for (dev.cmr.monitor.spi.HookReading h : hooks) {
            calls += h.calls();
            nanos += h.totalNanos();
        }
        return new HookLoad(calls, nanos);
    }

    /** From the {@code host.*} resource gauges; null when none is usable. */
    public static HostReading host(Map<String, Double> resources) {
        Map<String, Double> host = source(resources, HOST);
        return HostReading.fromMeasures(host.get(HostSampler.SYSTEM_CPU_PERCENT),
                host.get(HostSampler.SYSTEM_MEMORY_USED_BYTES), host.get(HostSampler.SYSTEM_MEMORY_TOTAL_BYTES));
    }

    /**
     * From the {@code nvml0.*} resource gauges (memory used over total, any clock-event reason but idle) and the device
     * timeline's counts (marks failed or dropped over all that came back); {@code marks} is null without a timeline.
     */
    public static DeviceReading device(Map<String, Double> resources, DeviceStats marks) {
        Map<String, Double> gpu = source(resources, FIRST_GPU);
        Double used = gpu.get(NvmlSampler.MEMORY_USED);
        Double total = gpu.get(NvmlSampler.MEMORY_TOTAL);
        Double reasons = gpu.get(NvmlSampler.CLOCK_EVENT_REASONS);
        Double memory = used == null || total == null || total <= 0 ? null : Math.min(1.0, Math.max(0.0, used / total));
        Boolean throttled = reasons == null ? null : (reasons.longValue() & ~ClockEventReasons.GPU_IDLE) != 0;
        Double markLoss = null;
        if (marks != null) {
            long lost = marks.failedMarks() + marks.droppedMarks();
            long all = lost + marks.resolvedMarks();
            markLoss = all == 0 ? null : (double) lost / all;
        }
        return memory == null && throttled == null && markLoss == null ? null
                : new DeviceReading(memory, throttled, markLoss);
    }

    private static Map<String, Double> source(Map<String, Double> resources, String prefix) {
        Map<String, Double> out = new HashMap<>();
        if (resources != null) {
            resources.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    out.put(key.substring(prefix.length()), value);
                }
            });
        }
        return out;
    }
}
