package dev.cmr.monitor.engine;

import dev.cmr.monitor.resources.ClockEventReasons;
import dev.cmr.monitor.resources.NvmlSampler;
import java.util.List;
import java.util.Map;

/**
 * Whether a GPU slowed its clocks for a reason other than having nothing to run, inside a window: a
 * {@code nvml<i>.gpu_clock_event_reasons} sample taken in [fromNanos, toNanos] with any bit but
 * {@link ClockEventReasons#GPU_IDLE} set. Samples outside the window (the poll before and after it that a profiled
 * window carries) do not count: a slowdown seen only there did not provably overlap the window. Stateless.
 */
final class Throttling {
    private static final String SUFFIX = "." + NvmlSampler.CLOCK_EVENT_REASONS;

    private Throttling() {
    }

    static boolean seenIn(Map<String, List<double[]>> samples, long fromNanos, long toNanos) {
        for (Map.Entry<String, List<double[]>> gauge : samples.entrySet()) {
            if (!gauge.getKey().startsWith(NvmlSampler.NAME_PREFIX) || !gauge.getKey().endsWith(SUFFIX)) {
                continue;
            }
            for (double[] sample : gauge.getValue()) {
                if (sample[0] >= fromNanos && sample[0] <= toNanos
                        && ((long) sample[1] & ~ClockEventReasons.GPU_IDLE) != 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
