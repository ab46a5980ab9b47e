package dev.cmr.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.health.DeviceReading;
import dev.cmr.monitor.health.HookLoad;
import dev.cmr.monitor.health.HostReading;
import dev.cmr.monitor.resources.ClockEventReasons;
import dev.cmr.monitor.resources.HostSampler;
import dev.cmr.monitor.resources.NvmlSampler;
import dev.cmr.monitor.resources.ResourcePoller;
import dev.cmr.monitor.spi.HookGauge;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DefaultHealthInputsTest {
    /** The fake libnvidia-ml the Maven build compiles (see NvmlSamplerFakeLibraryTest); its GPU 0 is throttled. */
    private static final Path FAKE_NVML = Path.of(System.getProperty("cmr.fake.nvml",
            "target/native/test/libfake_nvml.so"));

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
        assertThat(DefaultHealthInputs.host(null)).isNull();
        assertThat(DefaultHealthInputs.host(Map.of())).isNull();
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

    @Test
    void deviceReadsTheKeysARealNvmlSamplerPublishesThroughThePoller() throws Exception {
        assertThat(FAKE_NVML).as("fake NVML built by CMake during the Maven build").exists();
        // GPU 0 of the fake: 5 GiB of 16 GiB used, clock event reasons 0x44 (power cap, thermal slowdown).
        Map<String, Double> values;
        try (ResourcePoller poller = new ResourcePoller(TimeUnit.HOURS.toNanos(1),
                List.of(NvmlSampler.open(FAKE_NVML.toAbsolutePath().toString(), 0)))) {
            values = firstPoll(poller);
        }

        DeviceReading device = DefaultHealthInputs.device(values, null);

        assertThat(device).isNotNull();
        assertThat(device.memoryUtilization()).isEqualTo(5.0 / 16.0);
        assertThat(device.throttled()).isTrue();
    }

    @Test
    void hostReadsTheKeysARealHostSamplerPublishesThroughThePoller() throws Exception {
        Map<String, Double> values;
        try (ResourcePoller poller = new ResourcePoller(TimeUnit.HOURS.toNanos(1), List.of(new HostSampler()))) {
            values = firstPoll(poller);
        }

        // The first sample has no CPU share yet (it is a delta), but always the memory gauges.
        HostReading host = DefaultHealthInputs.host(values);

        assertThat(host).isNotNull();
        assertThat(host.memoryUtilization()).isBetween(0.0, 1.0);
    }

    @Test
    void onlyTheIdleBitIsNotThrottling() {
        String reasons = NvmlSampler.NAME_PREFIX + "0." + NvmlSampler.CLOCK_EVENT_REASONS;
        assertThat(DefaultHealthInputs.device(Map.of(reasons, (double) ClockEventReasons.GPU_IDLE), null).throttled())
                .isFalse();
        for (int bit = 1; bit < 9; bit++) {
            assertThat(DefaultHealthInputs.device(Map.of(reasons, (double) (1L << bit)), null).throttled())
                    .as("bit %d", bit).isTrue();
        }
    }

    /** The poller polls once at start; its values, keyed as the monitor's stats carry them. */
    private static Map<String, Double> firstPoll(ResourcePoller poller) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (poller.latest().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(poller.latest()).as("first poll within 30 s").isNotEmpty();
        return poller.latestValues(System.nanoTime());
    }

    private static dev.cmr.monitor.spi.HookReading hook(String name, long calls, long nanos) {
        return new dev.cmr.monitor.spi.HookReading(name, "layer_exit", 0, calls, nanos, nanos, nanos, 0,
                new TreeSet<>(), new TreeSet<>());
    }
}
