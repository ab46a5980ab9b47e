package dev.cmr.monitor.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ClockEventReasonsTest {
    /** NVIDIA's NVML API reference, group nvmlClocksEventReasons (values identical under the older Throttle names). */
    private static final Map<Long, String> DOCUMENTED = Map.of(
            0x1L, "gpu_idle",
            0x2L, "applications_clocks_setting",
            0x4L, "sw_power_cap",
            0x8L, "hw_slowdown",
            0x10L, "sync_boost",
            0x20L, "sw_thermal_slowdown",
            0x40L, "hw_thermal_slowdown",
            0x80L, "hw_power_brake_slowdown",
            0x100L, "display_clock_setting");

    @Test
    void namesEveryDocumentedBitAlone() {
        DOCUMENTED.forEach((bit, name) -> assertThat(ClockEventReasons.decode(bit)).as("0x%x", bit)
                .containsExactly(name));
    }

    @Test
    void gpuIdleIsTheBitNamedGpuIdle() {
        assertThat(ClockEventReasons.GPU_IDLE).isEqualTo(0x1L);
        assertThat(ClockEventReasons.decode(ClockEventReasons.GPU_IDLE)).containsExactly("gpu_idle");
    }

    @Test
    void noReasonMeansFullClocks() {
        assertThat(ClockEventReasons.decode(0)).isEmpty();
    }

    @Test
    void namesCombinedBitsLowestFirst() {
        assertThat(ClockEventReasons.decode(0x44)).containsExactly("sw_power_cap", "hw_thermal_slowdown");
        assertThat(ClockEventReasons.decode(0x1FF)).hasSize(9).startsWith("gpu_idle").endsWith("display_clock_setting");
    }

    @Test
    void namesUndocumentedBitsByTheirHexValue() {
        assertThat(ClockEventReasons.decode(0x200)).containsExactly("unknown_0x200");
        assertThat(ClockEventReasons.decode(1L << 40 | 0x8)).containsExactly("hw_slowdown", "unknown_0x10000000000");
        assertThat(ClockEventReasons.decode(Long.MIN_VALUE)).containsExactly("unknown_0x8000000000000000");
    }

    @Property
    void decodesEachSetBitToExactlyOneName(@ForAll long reasons) {
        List<String> expected = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            long value = 1L << bit;
            if ((reasons & value) != 0) {
                expected.add(DOCUMENTED.getOrDefault(value, "unknown_0x" + Long.toHexString(value)));
            }
        }
        assertThat(ClockEventReasons.decode(reasons)).containsExactlyElementsOf(expected);
    }
}
