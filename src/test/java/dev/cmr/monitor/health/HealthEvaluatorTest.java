package dev.cmr.monitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthEvaluatorTest {
    /** high_latency 0.1 s, low_efficiency 0.5, high_error_rate 0.05, degradation_ratio 2. */
    private static final HealthPolicy POLICY = new HealthPolicy(0.1, 0.5, 0.05, 2.0);
    private static final long NOW = 10_000_000L;
    private static final long MS = 1_000_000L;

    private final HealthEvaluator evaluator = new HealthEvaluator(POLICY);

    /** A sample with nothing in it; each test adds what it judges. */
    private static final class Sample {
        final List<IntervalSnapshot> recent = new ArrayList<>();
        final List<IntervalSnapshot> baseline = new ArrayList<>();
        Double quality;
        HostReading host;
        DeviceReading device;
        final Map<String, Long> errors = new HashMap<>();
        long captures;
        long retrievals;
        long reconstructions;
        long forwards;
        long forwardNanos;
        Long hookCalls;
        Long hookNanos;

        /** One recent interval ending at NOW. */
        Sample recent(Intervals i) {
            recent.add(i.build());
            return this;
        }

        HealthSample sample() {
            return new HealthSample(NOW, IntervalWindow.of(recent), IntervalWindow.of(baseline), quality, Map.of(),
                    0, 0, 0, 0, 0, null, host, device);
        }

        ActivityWindow activity() {
            return new ActivityWindow(60_000, errors, captures, retrievals, reconstructions, forwards, forwardNanos,
                    hookCalls, hookNanos);
        }
    }

    private static Intervals interval() {
        return Intervals.between(NOW - 1000, NOW);
    }

    private HealthReport evaluate(Sample s) {
        return evaluator.evaluate(s.sample(), s.activity());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(ComponentHealth c, String name) {
        return (Map<String, Object>) c.details().get(name);
    }

    // ---- NO_DATA ----

    @Test
    void nothingRecordedIsNoDataEverywhereWithNoScoreAndNoMetrics() {
        HealthReport report = evaluate(new Sample());

        assertThat(report.status()).isEqualTo(HealthStatus.NO_DATA);
        assertThat(report.score()).isNull();
        assertThat(report.components()).containsOnlyKeys(HealthEvaluator.COMPONENTS);
        report.components().values().forEach(c -> {
            assertThat(c.status()).as(c.name()).isEqualTo(HealthStatus.NO_DATA).isNotEqualTo(HealthStatus.GREEN);
            assertThat(c.score()).as(c.name()).isNull();
            assertThat(c.details()).as(c.name()).containsKey("reason").containsEntry("decided_by", null);
        });
        assertThat(report.metrics()).isEmpty();
        assertThat(report.system().get("components_without_data")).isEqualTo(HealthEvaluator.COMPONENTS);
    }

    @Test
    void noDataComponentsDoNotMakeTheOverallStatusGreenOrWorseOnlyTheJudgedOnesCount() {
        Sample s = new Sample().recent(interval().stage(Stage.RETRIEVAL, 10, MS).cacheHits(9));

        HealthReport report = evaluate(s);

        assertThat(report.component("retrieval_system").status()).isEqualTo(HealthStatus.GREEN);
        assertThat(report.component("host").status()).isEqualTo(HealthStatus.NO_DATA);
        assertThat(report.status()).isEqualTo(HealthStatus.GREEN);
        assertThat(report.score()).isEqualTo(report.component("retrieval_system").score());
        assertThat(report.metrics()).doesNotContainKey("host.health_score");
    }

    // ---- memory_buffer ----

    @ParameterizedTest(name = "{0} evictions per 100 inserts -> {1}")
    @CsvSource({"5, GREEN", "10, GREEN", "30, YELLOW", "50, YELLOW", "80, RED", "100, RED"})
    void memoryBufferStatusFollowsEvictionsPerInsert(long evictions, HealthStatus expected) {
        Sample s = new Sample().recent(interval().captures(100, 100).evictions(evictions));

        ComponentHealth buffer = evaluate(s).component("memory_buffer");

        assertThat(buffer.status()).isEqualTo(expected);
        assertThat(buffer.details()).containsEntry("evictions", evictions).containsEntry("inserts", 100L);
        if (expected != HealthStatus.GREEN) {
            assertThat(buffer.details()).containsEntry("decided_by", "evictions_per_insert");
        }
        Map<String, Object> check = check(buffer, "evictions_per_insert");
        assertThat((double) check.get("value")).isCloseTo(evictions / 100.0, within(1e-12));
        assertThat(check).containsEntry("yellow_above", 0.1).containsEntry("red_above", 0.5)
                .containsEntry("status", expected.name());
        assertThat(buffer.score()).isBetween(expected.minScore(), expected.maxScore());
    }

    @ParameterizedTest(name = "stored {0} of 100 captured -> {1}")
    @CsvSource({"90, GREEN", "50, GREEN", "40, YELLOW", "25, YELLOW", "20, RED"})
    void memoryBufferStatusFollowsCaptureEfficiencyAgainstLowEfficiency(long stored, HealthStatus expected) {
        Sample s = new Sample().recent(interval().captures(100, stored));

        ComponentHealth buffer = evaluate(s).component("memory_buffer");

        assertThat(buffer.status()).isEqualTo(expected);
        Map<String, Object> check = check(buffer, "capture_efficiency");
        assertThat((double) check.get("value")).isCloseTo(stored / 100.0, within(1e-12));
        assertThat(check).containsEntry("yellow_below", 0.5).containsEntry("red_below", 0.25);
    }

    @Test
    void fullBufferIsYellowButNeverRedByUtilizationAlone() {
        ComponentHealth almost = evaluate(new Sample().recent(interval().buffer(96, 0.96))).component("memory_buffer");
        ComponentHealth full = evaluate(new Sample().recent(interval().buffer(100, 1.0))).component("memory_buffer");
        ComponentHealth half = evaluate(new Sample().recent(interval().buffer(50, 0.5))).component("memory_buffer");

        assertThat(almost.status()).isEqualTo(HealthStatus.YELLOW);
        assertThat(full.status()).isEqualTo(HealthStatus.YELLOW);
        assertThat(check(full, "utilization")).containsEntry("red_above", null).containsEntry("yellow_above", 0.95);
        assertThat(full.details()).containsEntry("buffer_entries", 100L);
        assertThat(half.status()).isEqualTo(HealthStatus.GREEN);
    }

    @Test
    void captureErrorsCountAgainstTheMemoryBuffer() {
        Sample s = new Sample().recent(interval().captures(100, 100));
        s.captures = 100;
        s.errors.put("memory_buffer", 20L);

        ComponentHealth buffer = evaluate(s).component("memory_buffer");

        assertThat(buffer.status()).isEqualTo(HealthStatus.RED);
        assertThat(buffer.details()).containsEntry("decided_by", "error_rate").containsEntry("errors", 20L)
                .containsEntry("error_rate_per", "captures");
        assertThat((double) check(buffer, "error_rate").get("value")).isCloseTo(0.2, within(1e-12));
    }

    // ---- retrieval_system ----

    @ParameterizedTest(name = "{0} hits of 10 -> {1}")
    @CsvSource({"8, GREEN", "5, GREEN", "3, YELLOW", "0, YELLOW"})
    void cacheHitRateBelowLowEfficiencyIsYellowAndNeverRed(long hits, HealthStatus expected) {
        Sample s = new Sample().recent(interval().stage(Stage.RETRIEVAL, 10, MS).cacheHits(hits));

        ComponentHealth retrieval = evaluate(s).component("retrieval_system");

        assertThat(retrieval.status()).isEqualTo(expected);
        assertThat((double) check(retrieval, "cache_hit_rate").get("value")).isCloseTo(hits / 10.0, within(1e-12));
        assertThat(retrieval.details()).containsEntry("retrievals", 10L).containsEntry("cache_hits", hits);
    }

    @ParameterizedTest(name = "p99 {0} ms -> {1}")
    @CsvSource({"50, GREEN", "100, GREEN", "150, YELLOW", "200, YELLOW", "300, RED"})
    void retrievalP99IsJudgedAgainstHighLatency(long p99Millis, HealthStatus expected) {
        Sample s = new Sample().recent(interval().stage(Stage.RETRIEVAL, 10, p99Millis * MS).cacheHits(10));

        ComponentHealth retrieval = evaluate(s).component("retrieval_system");

        assertThat(retrieval.status()).isEqualTo(expected);
        Map<String, Object> check = check(retrieval, "retrieval_p99_seconds");
        assertThat((double) check.get("value")).isCloseTo(p99Millis / 1e3, within(1e-12));
        assertThat(check).containsEntry("yellow_above", 0.1).containsEntry("red_above", 0.2);
    }

    // ---- reconstruction ----

    @ParameterizedTest(name = "quality {0} -> {1}")
    @CsvSource({"0.9, GREEN", "0.4, YELLOW", "0.1, RED"})
    void reconstructionQualityIsJudgedAgainstLowEfficiency(double quality, HealthStatus expected) {
        Sample s = new Sample();
        s.quality = quality;

        ComponentHealth reconstruction = evaluate(s).component("reconstruction");

        assertThat(reconstruction.status()).isEqualTo(expected);
        assertThat(check(reconstruction, "quality")).containsEntry("value", quality)
                .containsEntry("yellow_below", 0.5).containsEntry("red_below", 0.25);
    }

    // ---- hooks ----

    @ParameterizedTest(name = "{0} hook errors in 100 passes -> {1}")
    @CsvSource({"0, GREEN", "5, GREEN", "7, YELLOW", "10, YELLOW", "20, RED"})
    void hookErrorsPerForwardPassAreJudgedAgainstHighErrorRate(long errors, HealthStatus expected) {
        Sample s = new Sample();
        s.forwards = 100;
        s.errors.put("hooks", errors);

        HealthReport report = evaluate(s);
        ComponentHealth hooks = report.component("hooks");

        assertThat(hooks.status()).isEqualTo(expected);
        assertThat(hooks.details()).containsEntry("hook_errors", errors).containsEntry("forward_passes", 100L)
                .containsEntry("error_rate_per", "forward_passes");
        assertThat(check(hooks, "error_rate")).containsEntry("yellow_above", 0.05).containsEntry("red_above", 0.1);
        assertThat(report.metrics().get("hooks.error_rate")).isCloseTo(errors / 100.0, within(1e-12));
    }

    @Test
    void withAHookSourceErrorsArePerHookCallAndOverheadIsJudged() {
        Sample s = new Sample();
        s.forwards = 100;
        s.forwardNanos = 1000 * MS;
        s.hookCalls = 1000L;
        s.hookNanos = 300 * MS; // 30% of forward time in hooks
        s.errors.put("hooks", 5L);

        ComponentHealth hooks = evaluate(s).component("hooks");

        assertThat((double) check(hooks, "error_rate").get("value")).isCloseTo(0.005, within(1e-12));
        assertThat(hooks.details()).containsEntry("error_rate_per", "hook_calls").containsEntry("hook_calls", 1000L);
        assertThat((double) check(hooks, "overhead_share").get("value")).isCloseTo(0.3, within(1e-12));
        assertThat(hooks.status()).isEqualTo(HealthStatus.RED);
        assertThat(hooks.details()).containsEntry("decided_by", "overhead_share");
    }

    @Test
    void hookErrorsWithoutAnyForwardPassCountAsAllFailed() {
        Sample s = new Sample();
        s.errors.put("hooks", 1L);

        ComponentHealth hooks = evaluate(s).component("hooks");

        assertThat(hooks.status()).isEqualTo(HealthStatus.RED);
        assertThat((double) check(hooks, "error_rate").get("value")).isEqualTo(1.0);
    }

    // ---- device and host ----

    @Test
    void deviceIsNoDataWithoutReadingAndJudgedWithOne() {
        assertThat(evaluate(new Sample()).component("device").status()).isEqualTo(HealthStatus.NO_DATA);

        Sample full = new Sample();
        full.device = new DeviceReading(0.99, false);
        Sample throttled = new Sample();
        throttled.device = new DeviceReading(0.5, true);

        ComponentHealth fullDevice = evaluate(full).component("device");
        assertThat(fullDevice.status()).isEqualTo(HealthStatus.RED);
        assertThat(check(fullDevice, "memory_utilization")).containsEntry("value", 0.99).containsEntry("red_above", 0.97);
        assertThat(evaluate(throttled).component("device").status()).isEqualTo(HealthStatus.YELLOW);
    }

    @Test
    void lostDeviceMarksAreJudgedLikeAnErrorRate() {
        Sample lossy = new Sample();
        lossy.device = new DeviceReading(null, null, 0.2);
        Sample clean = new Sample();
        clean.device = new DeviceReading(null, null, 0.0);

        ComponentHealth device = evaluate(lossy).component("device");
        assertThat(device.status()).isEqualTo(HealthStatus.RED);
        assertThat(device.decidedBy().name()).isEqualTo("mark_loss_rate");
        assertThat(check(device, "mark_loss_rate")).containsEntry("value", 0.2);
        assertThat(evaluate(clean).component("device").status()).isEqualTo(HealthStatus.GREEN);
    }

    @Test
    void deviceTimeRecordedMakesDeviceJudgeable() {
        Sample s = new Sample().recent(interval().stage(Stage.DEVICE, 40, 2 * MS));

        ComponentHealth device = evaluate(s).component("device");

        assertThat(device.status()).isEqualTo(HealthStatus.GREEN);
        assertThat(device.details()).containsEntry("device_count", 40L).containsKey("device_p99_seconds");
    }

    @ParameterizedTest(name = "cpu {0}, memory {1} -> {2}")
    @CsvSource({"0.5, 0.5, GREEN", "0.95, 0.5, YELLOW", "0.5, 0.95, YELLOW", "0.99, 0.5, RED", "0.5, 0.98, RED"})
    void hostIsJudgedFromCpuAndMemoryUtilization(double cpu, double memory, HealthStatus expected) {
        Sample s = new Sample();
        s.host = new HostReading(cpu, memory);

        ComponentHealth host = evaluate(s).component("host");

        assertThat(host.status()).isEqualTo(expected);
        assertThat(check(host, "cpu_utilization")).containsEntry("value", cpu).containsEntry("yellow_above", 0.9);
        assertThat(check(host, "memory_utilization")).containsEntry("value", memory);
    }

    @Test
    void hostReadingFromMeasuresIsDefensive() {
        assertThat(HostReading.fromMeasures(null, null, null)).isNull();
        assertThat(HostReading.fromMeasures(Double.NaN, null, null)).isNull();
        assertThat(HostReading.fromMeasures(45.0, null, null)).isEqualTo(new HostReading(0.45, null));
        assertThat(HostReading.fromMeasures(null, 3.0, 4.0)).isEqualTo(new HostReading(null, 0.75));
        assertThat(HostReading.fromMeasures(null, 3.0, 0.0)).isNull();
    }

    // ---- aggregation ----

    @Test
    void overallStatusAndScoreAreTheWorstComponents() {
        Sample s = new Sample().recent(interval().stage(Stage.RETRIEVAL, 10, MS).cacheHits(9)
                .captures(100, 100).evictions(30));
        s.host = new HostReading(0.99, 0.1);

        HealthReport report = evaluate(s);

        assertThat(report.component("retrieval_system").status()).isEqualTo(HealthStatus.GREEN);
        assertThat(report.component("memory_buffer").status()).isEqualTo(HealthStatus.YELLOW);
        assertThat(report.component("host").status()).isEqualTo(HealthStatus.RED);
        assertThat(report.status()).isEqualTo(HealthStatus.RED);
        assertThat(report.score()).isEqualTo(report.component("host").score());
        assertThat(report.metrics().get("system.health_score")).isEqualTo((double) report.score());
    }

    // ---- degradation ----

    /** Three baseline then three recent intervals of 50 retrievals each, at the given per-interval p99s. */
    private Sample degradationSample(long baselineMillis, long... recentMillis) {
        Sample s = new Sample();
        for (int i = 0; i < 3; i++) {
            s.baseline.add(Intervals.between(NOW - 6000 + i * 1000, NOW - 5000 + i * 1000)
                    .stage(Stage.RETRIEVAL, 50, baselineMillis * MS).cacheHits(50).build());
        }
        for (int i = 0; i < recentMillis.length; i++) {
            s.recent.add(Intervals.between(NOW - 3000 + i * 1000, NOW - 2000 + i * 1000)
                    .stage(Stage.RETRIEVAL, 50, recentMillis[i] * MS).cacheHits(50).build());
        }
        return s;
    }

    @ParameterizedTest(name = "baseline 10 ms, recent {0} ms -> {1}")
    @CsvSource({"15, GREEN", "20, GREEN", "25, YELLOW", "40, YELLOW", "45, RED"})
    void recentP99AgainstBaselineP99DecidesDegradation(long recentMillis, HealthStatus expected) {
        ComponentHealth retrieval = evaluate(degradationSample(10, recentMillis, recentMillis, recentMillis))
                .component("retrieval_system");

        assertThat(retrieval.status()).isEqualTo(expected);
        Map<String, Object> check = check(retrieval, "retrieval_p99_vs_baseline");
        assertThat((double) check.get("value")).isCloseTo(recentMillis / 10.0, within(1e-12));
        assertThat(check).containsEntry("yellow_above", 2.0).containsEntry("red_above", 4.0);
        assertThat((double) retrieval.details().get("retrieval_recent_median_p99_seconds"))
                .isCloseTo(recentMillis / 1e3, within(1e-12));
        assertThat((double) retrieval.details().get("retrieval_baseline_median_p99_seconds"))
                .isCloseTo(0.010, within(1e-12));
    }

    @Test
    void oneSlowIntervalDoesNotCountAsDegradation() {
        ComponentHealth retrieval = evaluate(degradationSample(10, 10, 90, 10)).component("retrieval_system");

        assertThat((double) check(retrieval, "retrieval_p99_vs_baseline").get("value")).isEqualTo(1.0);
        assertThat(retrieval.status()).isEqualTo(HealthStatus.GREEN);
    }

    @Test
    void degradationIsNotJudgedWithoutEnoughBaseline() {
        Sample s = degradationSample(10, 50, 50, 50);
        s.baseline.subList(1, 3).clear(); // one baseline interval is not enough

        ComponentHealth retrieval = evaluate(s).component("retrieval_system");

        assertThat(retrieval.details()).doesNotContainKey("retrieval_p99_vs_baseline");
        assertThat(retrieval.status()).isEqualTo(HealthStatus.GREEN);
    }

    @Test
    void forwardPassDegradationIsReportedInSystemDetails() {
        Sample s = new Sample();
        for (int i = 0; i < 2; i++) {
            s.baseline.add(Intervals.between(i * 1000, (i + 1) * 1000).stage(Stage.FORWARD, 30, 10 * MS).build());
            s.recent.add(Intervals.between(NOW - 2000 + i * 1000, NOW - 1000 + i * 1000)
                    .stage(Stage.FORWARD, 30, 30 * MS).build());
        }

        HealthReport report = evaluate(s);

        @SuppressWarnings("unchecked")
        Map<String, Object> forward = (Map<String, Object>) report.system().get("forward_p99_vs_baseline");
        assertThat((double) forward.get("value")).isCloseTo(3.0, within(1e-12));
        assertThat(forward).containsEntry("status", "YELLOW");
    }

    // ---- the metrics contract for alert rules ----

    @Test
    void metricsCarryExactlyTheContractNamesWhenEverythingHasData() {
        Sample s = new Sample().recent(interval().captures(100, 80).evictions(20).buffer(40, 0.4)
                .stage(Stage.CAPTURE, 10, MS).stage(Stage.RETRIEVAL, 10, 2 * MS).cacheHits(4)
                .stage(Stage.RECONSTRUCTION, 10, 3 * MS).stage(Stage.FORWARD, 5, 50 * MS).errors(1));
        s.quality = 0.7;
        s.forwards = 5;
        s.host = new HostReading(0.2, 0.3);
        s.device = new DeviceReading(0.1, false);

        HealthReport report = evaluate(s);
        Map<String, Double> m = report.metrics();

        List<String> expected = new ArrayList<>(List.of("system.p99_latency_seconds", "system.error_rate",
                "hooks.error_rate", "memory_buffer.capture_efficiency", "memory_buffer.storage_efficiency",
                "memory_buffer.utilization", "memory_buffer.evictions_per_insert", "reconstruction.quality",
                "retrieval_system.cache_hit_rate", "system.health_score"));
        HealthEvaluator.COMPONENTS.forEach(c -> expected.add(c + ".health_score"));
        assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(m.get("system.p99_latency_seconds")).isCloseTo(0.050, within(1e-12));
        assertThat(m.get("system.error_rate")).isCloseTo(1.0 / (10 + 10 + 10 + 5), within(1e-12));
        assertThat(m.get("memory_buffer.capture_efficiency")).isCloseTo(0.8, within(1e-12));
        assertThat(m.get("memory_buffer.storage_efficiency")).isCloseTo(0.75, within(1e-12));
        assertThat(m.get("memory_buffer.evictions_per_insert")).isCloseTo(0.25, within(1e-12));
        assertThat(m.get("memory_buffer.utilization")).isCloseTo(0.4, within(1e-12));
        assertThat(m.get("retrieval_system.cache_hit_rate")).isCloseTo(0.4, within(1e-12));
        assertThat(m.get("reconstruction.quality")).isCloseTo(0.7, within(1e-12));
        assertThat(m.get("hooks.error_rate")).isZero();
        for (String c : HealthEvaluator.COMPONENTS) {
            assertThat(m.get(c + ".health_score")).isEqualTo((double) report.component(c).score());
        }
    }

    @Test
    void errorComponentNamesMapToHealthComponents() {
        assertThat(HealthEvaluator.componentOfError("hook:normalize")).isEqualTo("hooks");
        assertThat(HealthEvaluator.componentOfError("capture")).isEqualTo("memory_buffer");
        assertThat(HealthEvaluator.componentOfError("buffer_gauge")).isEqualTo("memory_buffer");
        assertThat(HealthEvaluator.componentOfError("retrieval_system")).isEqualTo("retrieval_system");
        assertThat(HealthEvaluator.componentOfError("reconstruction")).isEqualTo("reconstruction");
        assertThat(HealthEvaluator.componentOfError("collector")).isNull();
        assertThat(HealthEvaluator.componentOfError(null)).isNull();
    }
}
