package dev.cmr.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HookLoad;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.spi.HookGauge;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HealthInputsTest {
    @Test
    void hookLoadSumsEveryHooksCallsAndTime() {
        HookGauge gauge = () -> List.of(hook("a", 10, 5_000), hook("b", 4, 1_000));
        assertThat(DefaultHealthInputs.hooks(gauge)).isEqualTo(new HookLoad(14, 6_000));
        assertThat(DefaultHealthInputs.hooks(List::of)).isNull();
        assertThat(DefaultHealthInputs.hooks(null)).isNull();
    }

    @Test
    void hostUtilizationComesFromTheHostSamplersGaugesOnly() {
        HostReading host = DefaultHealthInputs.host(Map.of("host.system_cpu_percent", 50.0,
                "host.system_memory_used_bytes", 3e9, "host.system_memory_total_bytes", 12e9,
                "jvm.jvm_heap_used_bytes", 1e9));
        assertThat(host.cpuUtilization()).isEqualTo(0.5);
        assertThat(host.memoryUtilization()).isEqualTo(0.25);
        assertThat(DefaultHealthInputs.host(Map.of("jvm.jvm_heap_used_bytes", 1e9))).isNull();
    }

    @Test
    void deviceIsThrottledByAnyClockEventReasonButIdle() {
        DeviceReading idle = DefaultHealthInputs.device(Map.of("nvml0.gpu_memory_used_bytes", 2e9,
                "nvml0.gpu_memory_total_bytes", 8e9, "nvml0.gpu_clock_event_reasons", 1.0), null);
        assertThat(idle.memoryUtilization()).isEqualTo(0.25);
        assertThat(idle.throttled()).isFalse();
        DeviceReading hot = DefaultHealthInputs.device(Map.of("nvml0.gpu_clock_event_reasons", (double) (0x1 | 0x40)), null);
        assertThat(hot.throttled()).isTrue();
        assertThat(hot.memoryUtilization()).isNull();
        assertThat(DefaultHealthInputs.device(Map.of("nvml1.gpu_clock_event_reasons", 4.0), null)).isNull();
    }

    @Test
    void markLossIsFailedAndDroppedMarksOverAllThatCameBack() {
        DeviceStats marks = new DeviceStats("opencl", 90, 45, 0, 0, 4, 6, 1_000, "clEnqueueMarkerWithWaitList: -36");
        DeviceReading device = DefaultHealthInputs.device(Map.of(), marks);
        assertThat(device.markLossRate()).isEqualTo(0.1);
        assertThat(device.memoryUtilization()).isNull();
        assertThat(DefaultHealthInputs.device(Map.of(), new DeviceStats("opencl", 0, 0, 0, 0, 0, 0, -1, null))).isNull();
    }

    private static dev.cmr.monitor.spi.HookReading hook(String name, long calls, long nanos) {
        return new dev.cmr.monitor.spi.HookReading(name, "layer_exit", 0, calls, nanos, nanos, nanos, 0,
                new TreeSet<>(), new TreeSet<>());
    }
}
