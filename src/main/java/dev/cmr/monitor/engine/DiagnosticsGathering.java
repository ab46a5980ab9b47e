package dev.cmr.monitor.engine;

import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.diagnose.DiagnosticsInput;
import dev.cmr.monitor.diagnose.DiagnosticsOptions;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.spi.BufferGauge;
import dev.cmr.monitor.spi.HookGauge;
import dev.cmr.monitor.spi.HookOrderProbe;
import dev.cmr.monitor.spi.HookReading;
import dev.cmr.monitor.spi.MemoryInspection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gathers a {@link DiagnosticsInput} for the facade's {@code runDiagnostics}: polls the gauges first (a
 * gauge that throws is counted as an error of {@code hook_gauge}, {@code buffer_gauge} or {@code health_source} and
 * then reads as absent), then takes the stats, so those errors are in the summary. Caller's thread; may block on
 * the gauges (the buffer inspection takes the buffer's lock).
 */
public final class DiagnosticsGathering {
    private DiagnosticsGathering() {
    }

    /**
     * Polls {@code hooks} and {@code buffer} (either may be null), then takes {@code stats}; {@code highErrorRate}
     * is the configured threshold the error summary is judged against.
     */
    public static DiagnosticsInput gather(Supplier<MonitorStats> stats, double highErrorRate, HookGauge hooks,
                                          BufferGauge buffer, ErrorCounter errors, DiagnosticsOptions options) {
        List<HookReading> readings = null;
        List<HookOrderProbe> probes = null;
        if (hooks != null) {
            try {
                readings = hooks.readHooks();
                if (options.probeHookOrder()) {
                    probes = hooks.probeHookOrder();
                }
            } catch (RuntimeException e) {
                errors.record("hook_gauge", e);
            }
        }
        MemoryInspection memory = null;
        if (buffer != null) {
            try {
                memory = buffer.inspect(options.staleAfterNanos());
            } catch (RuntimeException e) {
                errors.record("buffer_gauge", e);
            }
        }
        MonitorStats s = stats.get();
        long operations = s.timing(Stage.FORWARD).overall().count() + s.totalCaptures()
                + s.totalReconstructions() + s.retrieval().totalRetrievals();
        long retrievals = s.retrieval().totalRetrievals();
        // A snapshot taken during a record can see that record's hit before its count (COUNT is published last).
        long cacheHits = Math.min(s.retrieval().cacheHits(), retrievals);
        return new DiagnosticsInput(s.timestampEpochMillis(), operations, retrievals, cacheHits,
                s.totalErrors(), s.errorsByComponent(),
                highErrorRate, readings, probes, memory, options);
    }

    /** The default {@code component_health}: each component of the report as its JSON-ready map. */
    public static Map<String, Object> componentHealth(HealthReport report) {
        Map<String, Object> components = new LinkedHashMap<>();
        report.components().forEach((name, c) -> components.put(name, c.toMap()));
        return components;
    }

    /** The health source's map, or null without a source or when it throws (counted as {@code health_source}). */
    public static Map<String, ?> health(Supplier<? extends Map<String, ?>> source, ErrorCounter errors) {
        return errors.readOrNull("health_source", source, Supplier::get);
    }
}
