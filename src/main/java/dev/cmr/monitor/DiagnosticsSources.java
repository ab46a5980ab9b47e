package dev.cmr.monitor;

import dev.cmr.monitor.diagnose.DiagnosticsInput;
import dev.cmr.monitor.diagnose.DiagnosticsOptions;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.BufferGauge;
import dev.cmr.monitor.store.HookGauge;
import dev.cmr.monitor.store.HookOrderProbe;
import dev.cmr.monitor.store.HookReading;
import dev.cmr.monitor.store.MemoryInspection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gathers a {@link DiagnosticsInput} for {@link CmrPerformanceMonitor#runDiagnostics}: polls the gauges first (a
 * gauge that throws is counted as an error of {@code hook_gauge}, {@code buffer_gauge} or {@code health_source} and
 * then reads as absent), then takes the stats, so those errors are in the summary. Caller's thread; may block on
 * the gauges (the buffer inspection takes the buffer's lock).
 */
final class DiagnosticsSources {
    private DiagnosticsSources() {
    }

    static DiagnosticsInput gather(CmrPerformanceMonitor monitor, HookGauge hooks, BufferGauge buffer,
                                   ErrorCounter errors, DiagnosticsOptions options) {
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
        MonitorStats stats = monitor.getStats();
        long operations = stats.timing(Stage.FORWARD).overall().count() + stats.totalCaptures()
                + stats.totalReconstructions() + stats.retrieval().totalRetrievals();
        long retrievals = stats.retrieval().totalRetrievals();
        // A snapshot taken during a record can see that record's hit before its count (COUNT is published last).
        long cacheHits = Math.min(stats.retrieval().cacheHits(), retrievals);
        return new DiagnosticsInput(stats.timestampEpochMillis(), operations, retrievals, cacheHits,
                stats.totalErrors(), stats.errorsByComponent(),
                monitor.config().highErrorRate(), readings, probes, memory, options);
    }

    /** The default {@code component_health}: each component of the report as its JSON-ready map. */
    static Map<String, Object> componentHealth(HealthReport report) {
        Map<String, Object> components = new LinkedHashMap<>();
        report.components().forEach((name, c) -> components.put(name, c.toMap()));
        return components;
    }

    /** The health source's map, or null without a source or when it throws (counted as {@code health_source}). */
    static Map<String, ?> health(Supplier<? extends Map<String, ?>> source, ErrorCounter errors) {
        if (source == null) {
            return null;
        }
        try {
            return source.get();
        } catch (RuntimeException e) {
            errors.record("health_source", e);
            return null;
        }
    }
}
