package dev.cmr.monitor.diagnose;

import dev.cmr.monitor.spi.HookOrderProbe;
import dev.cmr.monitor.spi.HookReading;
import dev.cmr.monitor.spi.MemoryInspection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a diagnostics run reads, gathered by the monitor at one moment: counts from its stats, the configured
 * error-rate threshold, and what the gauges returned. A null gauge result means "no such gauge", which the report
 * states as no data; an empty list means the gauge exists and has nothing.
 *
 * @param timestampEpochMillis when the input was gathered
 * @param operations           recorded operations (forward passes, captures, reconstructions, retrievals): the error
 *                             rate's denominator, as in the JSON report
 * @param retrievals           recorded retrievals
 * @param cacheHits            of which served from the retrieval cache
 * @param totalErrors          errors counted by the monitor
 * @param errorsByComponent    component -> exception class -> count; copied
 * @param highErrorRate        the configured {@code alert_thresholds.high_error_rate}
 * @param hooks                hook readings, or null without a hook gauge
 * @param orderProbes          order probe results, or null when the probe did not run
 * @param memory               the buffer inspection, or null without a gauge that offers one
 * @param options              the options of this run
 */
public record DiagnosticsInput(long timestampEpochMillis, long operations, long retrievals, long cacheHits,
                               long totalErrors, Map<String, Map<String, Long>> errorsByComponent,
                               double highErrorRate, List<HookReading> hooks, List<HookOrderProbe> orderProbes,
                               MemoryInspection memory, DiagnosticsOptions options) {
    public DiagnosticsInput {
        if (operations < 0 || retrievals < 0 || cacheHits < 0 || cacheHits > retrievals || totalErrors < 0) {
            throw new IllegalArgumentException("counts must be >= 0 and cacheHits <= retrievals");
        }
        if (options == null) {
            throw new IllegalArgumentException("options are required");
        }
        Map<String, Map<String, Long>> errors = new TreeMap<>();
        errorsByComponent.forEach((component, byClass) -> errors.put(component, Map.copyOf(byClass)));
        errorsByComponent = java.util.Collections.unmodifiableMap(errors);
        hooks = hooks == null ? null : List.copyOf(hooks);
        orderProbes = orderProbes == null ? null : List.copyOf(orderProbes);
    }
}
