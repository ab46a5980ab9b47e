package dev.cmr.monitor.health;

import java.util.Map;

/**
 * What the monitor observed at one health evaluation: the recent and baseline windows of the time series plus
 * cumulative counts (since reset) that the tracker turns into differences over the window ({@link ActivityWindow}).
 * Built by the monitor's health task from snapshots, never on the record path.
 *
 * @param epochMillis           when the sample was taken
 * @param recent                intervals that ended within the last {@code live_window}
 * @param baseline              intervals that ended within the {@code live_window} before that
 * @param reconstructionQuality mean reconstruction quality since reset, or null without samples
 * @param errorsTotal           errors since reset per health component ({@link HealthEvaluator#componentOfError})
 * @param hooks                 the hook source's cumulative reading, or null without a source
 * @param host                  host utilization, or null without a host sampler
 * @param device                device state, or null without a device reading
 */
public record HealthSample(long epochMillis, IntervalWindow recent, IntervalWindow baseline,
                           Double reconstructionQuality, Map<String, Long> errorsTotal, long capturesTotal,
                           long retrievalsTotal, long reconstructionsTotal, long forwardsTotal, long forwardNanosTotal,
                           HookLoad hooks, HostReading host, DeviceReading device) {
    public HealthSample {
        errorsTotal = Map.copyOf(errorsTotal);
    }
}
