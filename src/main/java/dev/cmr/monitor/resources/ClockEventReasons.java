package dev.cmr.monitor.resources;

import java.util.ArrayList;
import java.util.List;

/**
 * Names of the bits of NVML's clock event reasons ({@code nvmlClocksEventReason*}, called
 * {@code nvmlClocksThrottleReason*} before driver 535), as reported in the {@code gpu_clock_event_reasons} gauge:
 * why the GPU's clocks are below their maximum. Stateless; thread-safe.
 */
public final class ClockEventReasons {
    /** Bit 0, "GPU idle": clocks are down because nothing runs, the only reason that is not a slowdown. */
    public static final long GPU_IDLE = 0x1L;

    /** Names by bit position: bit i is {@code 1L << i}, values from NVIDIA's NVML API reference. */
    private static final List<String> NAMES = List.of(
            "gpu_idle",                    // 0x001 nothing runs, clocks drop to idle
            "applications_clocks_setting", // 0x002 limited by the applications clocks setting
            "sw_power_cap",                // 0x004 software power scaling holds power under the limit
            "hw_slowdown",                 // 0x008 hardware slowdown (thermal, power brake, ...) by 2x or more
            "sync_boost",                  // 0x010 held to the clocks of other GPUs in its sync-boost group
            "sw_thermal_slowdown",         // 0x020 software thermal slowdown: GPU or memory too hot
            "hw_thermal_slowdown",         // 0x040 hardware thermal slowdown: temperature too high
            "hw_power_brake_slowdown",     // 0x080 an external power brake assertion (e.g. the power supply)
            "display_clock_setting");      // 0x100 limited by the display clocks setting

    private ClockEventReasons() {
    }

    /**
     * The names of the bits set in {@code reasons}, lowest bit first; bits NVML did not document when this was
     * written come out as {@code unknown_0x<bit value in hex>}, so that a newer driver's reasons are never lost.
     * An empty list means clocks are as high as possible.
     */
    public static List<String> decode(long reasons) {
        List<String> names = new ArrayList<>(Long.bitCount(reasons));
        for (long rest = reasons; rest != 0; rest &= rest - 1) { // clears the lowest set bit each round
            int bit = Long.numberOfTrailingZeros(rest);
            names.add(bit < NAMES.size() ? NAMES.get(bit) : "unknown_0x" + Long.toHexString(1L << bit));
        }
        return names;
    }
}
