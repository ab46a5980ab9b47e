package dev.cmr.monitor.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.spi.HookGauge;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code CmrPerformanceMonitor.runDiagnostics} with fake gauges; the real model is in ModelDiagnosticsTest. */
class MonitorDiagnosticsTest {
    @Test
    void aFreshMonitorReportsNoDataInsteadOfNumbers() throws Exception {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            DiagnosticsReport report = monitor.runDiagnostics();

            JsonNode json = new ObjectMapper().readTree(report.toJson());
            assertThat(json.at("/hook_analysis/status").asText()).isEqualTo("no_data");
            assertThat(json.at("/memory_analysis/status").asText()).isEqualTo("no_data");
            assertThat(json.at("/memory_analysis/cache_hit_rate").isNull()).isTrue();
            assertThat(json.at("/error_summary/error_rate").isNull()).isTrue();
            assertThat(json.at("/error_summary/total_errors").asLong()).isZero();
            assertThat(json.at("/recommendations").isEmpty()).isTrue();
            // Component health comes from the health evaluator, which has nothing to judge yet: never GREEN.
            assertThat(json.at("/component_health/memory_buffer/status").asText()).isEqualTo("NO_DATA");
        }
    }

    @Test
    void recordedErrorsAndOperationsGiveTheErrorRate() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            for (int i = 0; i < 10; i++) {
                monitor.recordForward(1_000L);
            }
            monitor.recordCapture(0, 2, 5_000L);
            monitor.recordError("hook:h", new IllegalStateException());

            ErrorSummary errors = monitor.runDiagnostics().errorSummary();

            assertThat(errors.operations()).isEqualTo(11);
            assertThat(errors.errorRate()).isEqualTo(1.0 / 11);
            assertThat(errors.errors("hook:h")).isEqualTo(1);
        }
    }

    @Test
    void throwingGaugesAndHealthSourceAreCountedAndReadAsAbsent() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            monitor.setHookGauge(() -> {
                throw new IllegalStateException("hooks");
            });
            monitor.setBufferGauge(new dev.cmr.monitor.spi.BufferGauge() {
                @Override
                public BufferReading read() {
                    return new BufferReading(Map.of(), 0, 1);
                }

                @Override
                public dev.cmr.monitor.spi.MemoryInspection inspect(long staleAfterNanos) {
                    throw new IllegalStateException("memory");
                }
            });
            monitor.setComponentHealthSource(() -> {
                throw new IllegalStateException("health");
            });

            DiagnosticsReport report = monitor.runDiagnostics();

            assertThat(report.hookAnalysis().available()).isFalse();
            assertThat(report.memoryAnalysis().available()).isFalse();
            assertThat(report.componentHealth().get("hooks")).asString().contains("NOT_EVALUATED");
            assertThat(monitor.getStats().errorsByComponent())
                    .containsOnlyKeys("hook_gauge", "buffer_gauge", "health_source");
        }
    }

    @Test
    void aBufferGaugeWithoutInspectionLeavesMemoryAnalysisWithoutData() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            monitor.setBufferGauge(() -> new BufferReading(Map.of(0, 3L), 100, 10));
            assertThat(monitor.runDiagnostics().memoryAnalysis().available()).isFalse();
        }
    }

    @Test
    void theHealthSourceFillsComponentHealthAndTheProbeRunsOnlyWhenAsked() {
        int[] probes = {0};
        HookGauge gauge = new HookGauge() {
            @Override
            public java.util.List<dev.cmr.monitor.spi.HookReading> readHooks() {
                return java.util.List.of();
            }

            @Override
            public java.util.List<dev.cmr.monitor.spi.HookOrderProbe> probeHookOrder() {
                probes[0]++;
                return java.util.List.of();
            }
        };
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            monitor.setHookGauge(gauge);
            monitor.setComponentHealthSource(() -> Map.of("hooks", Map.of("status", "GREEN")));

            DiagnosticsReport plain = monitor.runDiagnostics();
            DiagnosticsReport probed = monitor.runDiagnostics(DiagnosticsOptions.defaults().withHookOrderProbe(true));

            assertThat(probes[0]).isEqualTo(1);
            assertThat(plain.hookAnalysis().orderProbed()).isFalse();
            assertThat(probed.hookAnalysis().orderProbed()).isTrue();
            assertThat(plain.componentHealth()).isEqualTo(Map.of("hooks", Map.of("status", "GREEN")));
        }
    }

    @Test
    void invalidOptionsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> DiagnosticsOptions.defaults().withStaleAfterSeconds(-1))
                .hasMessage("staleAfterSeconds must be finite and >= 0, was -1.0");
        assertThatThrownBy(() -> new DiagnosticsOptions(Double.NaN, false))
                .hasMessage("staleAfterSeconds must be finite and >= 0, was NaN");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            assertThatThrownBy(() -> monitor.runDiagnostics(null)).hasMessage("options must not be null");
        }
    }
}
