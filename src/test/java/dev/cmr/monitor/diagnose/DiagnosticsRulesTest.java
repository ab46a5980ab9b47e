package dev.cmr.monitor.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.health.HealthComponent;
import dev.cmr.monitor.spi.HookOrderProbe;
import dev.cmr.monitor.spi.HookReading;
import dev.cmr.monitor.spi.MemoryInspection.LayerMemory;
import dev.cmr.monitor.spi.MemoryInspection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The analyses and rules on hand-made inputs, to pin thresholds and edge cases. */
class DiagnosticsRulesTest {
    private static final long SECOND = 1_000_000_000L;

    private static DiagnosticsInput input(List<HookReading> hooks, List<HookOrderProbe> probes,
                                          MemoryInspection memory, long retrievals, long hits, long operations,
                                          long errors, Map<String, Map<String, Long>> byComponent) {
        return new DiagnosticsInput(0, operations, retrievals, hits, errors, byComponent, 0.05, hooks, probes,
                memory, DiagnosticsOptions.defaults());
    }

    private static MemoryInspection memory(Map<Integer, LayerMemory> layers) {
        return new MemoryInspection(10 * SECOND, 0, 60 * SECOND, 8, 16, 0.3, layers);
    }

    private static LayerMemory layer(long entries, long inserts, long evictions, long stale) {
        return new LayerMemory(entries, inserts, evictions, 0, 0, 0, 0, stale);
    }

    private static HookReading hook(String name, long calls, long p99, long errors, Integer... modified) {
        return new HookReading(name, "LAYER_EXIT", 0, calls, calls * 100, p99, p99, errors, new TreeSet<>(),
                new TreeSet<>(List.of(modified)));
    }

    private static List<Recommendation> recommendations(DiagnosticsInput in) {
        return Diagnostics.run(in, null).recommendations();
    }

    @Test
    void withoutGaugesOrRecordsEverySectionSaysNoDataAndNothingIsRecommended() {
        DiagnosticsReport report = Diagnostics.run(input(null, null, null, 0, 0, 0, 0, Map.of()), null);

        assertThat(report.hookAnalysis().available()).isFalse();
        assertThat(report.hookAnalysis().toMap()).containsEntry("status", "no_data").doesNotContainKey("hooks");
        assertThat(report.memoryAnalysis().available()).isFalse();
        assertThat(report.memoryAnalysis().cacheHitRate()).isNull();
        assertThat(report.memoryAnalysis().toMap()).containsEntry("status", "no_data").doesNotContainKey("layers");
        assertThat(report.errorSummary().errorRate()).isNull();
        assertThat(report.recommendations()).isEmpty();
        assertThat(report.componentHealth()).containsOnlyKeys(HealthComponent.keys())
                .allSatisfy((component, v) -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> c = (Map<String, Object>) v;
                    assertThat(c).containsEntry("status", ProvisionalHealth.NOT_EVALUATED)
                            .containsEntry("provisional", true);
                });
    }

    @Test
    void gaugesWithNothingToReportAreNoDataWithTheirOwnReason() {
        DiagnosticsReport report = Diagnostics.run(input(List.of(), null, memory(Map.of()), 0, 0, 0, 0, Map.of()),
                null);

        assertThat(report.hookAnalysis().toMap()).containsEntry("status", "no_data")
                .containsEntry("reason", "no hooks registered");
        assertThat(report.memoryAnalysis().toMap()).containsEntry("status", "no_data")
                .containsEntry("reason", "the buffer has stored nothing yet");
    }

    @Test
    void churnIsJudgedOnlyWithEnoughInsertsAndAboveItsThreshold() {
        long minInserts = Rules.MIN_INSERTS_FOR_CHURN;
        List<Recommendation> recs = recommendations(input(null, null, memory(Map.of(
                1, layer(8, minInserts - 1, minInserts - 1, 0),        // too little evidence
                2, layer(8, 100, 25, 0),                               // exactly the threshold
                3, layer(8, 100, 26, 0),                               // above, layer at its cap
                4, layer(3, 100, 40, 0))),                             // above, layer below its cap
                0, 0, 0, 0, Map.of()));

        assertThat(recs).extracting(Recommendation::subject).containsExactly("layer 3", "layer 4");
        assertThat(recs.get(0).message()).isEqualTo("layer 3 evicts 0.26 entries per insert (26 evictions / 100 "
                + "inserts; threshold 0.25): raise max_entries_per_layer (now 8) or the relevance_threshold (now 0.30)");
        assertThat(recs.get(1).message()).contains("raise max_total_entries (total limit now 16)");
        assertThat(recs.get(1).value()).isEqualTo(0.4);
        assertThat(recs.get(1).threshold()).isEqualTo(Rules.CHURN_THRESHOLD);
    }

    @Test
    void ratiosWithoutDenominatorsAreNullNotZero() {
        MemoryInspection noWindow = new MemoryInspection(5, 5, 0, 8, 16, 0.3, Map.of(0, layer(0, 0, 3, 0)));
        MemoryAnalysis.LayerDiagnosis l = Diagnostics.run(input(null, null, noWindow, 0, 0, 0, 0, Map.of()), null)
                .memoryAnalysis().layer(0);

        assertThat(l.churn()).isNull();
        assertThat(l.insertsPerSecond()).isNull();
        assertThat(l.meanAgeSeconds()).isNull();
        assertThat(l.evictions()).isEqualTo(3);
    }

    @Test
    void staleFractionAboveHalfOfEnoughEntriesIsReported() {
        List<Recommendation> recs = recommendations(input(null, null, memory(Map.of(
                0, layer(Rules.MIN_RESIDENT_FOR_STALE - 1, 3, 0, 3),
                1, layer(4, 4, 0, 2),
                2, layer(4, 4, 0, 3))), 0, 0, 0, 0, Map.of()));

        assertThat(recs).singleElement().satisfies(r -> {
            assertThat(r.subject()).isEqualTo("layer 2");
            assertThat(r.metric()).isEqualTo("stale_fraction");
            assertThat(r.value()).isEqualTo(0.75);
            assertThat(r.message()).startsWith("layer 2 holds 3 of 4 entries not retrieved for over 60.00 s");
        });
    }

    @Test
    void aLowCacheHitRateIsReportedOnlyWithEnoughRetrievals() {
        long enough = Rules.MIN_RETRIEVALS_FOR_CACHE;
        assertThat(recommendations(input(null, null, null, enough - 1, 0, 0, 0, Map.of()))).isEmpty();
        assertThat(recommendations(input(null, null, null, 100, 20, 0, 0, Map.of()))).isEmpty();

        assertThat(recommendations(input(null, null, null, 100, 19, 0, 0, Map.of()))).singleElement()
                .satisfies(r -> {
                    assertThat(r.component()).isEqualTo("retrieval_system");
                    assertThat(r.value()).isEqualTo(0.19);
                    assertThat(r.message()).startsWith("the retrieval cache hit rate is 0.19 over 100 retrievals");
                });
    }

    @Test
    void slowHooksAreReportedAtTheP99ThresholdWithEnoughCalls() {
        long limit = Rules.HOOK_P99_THRESHOLD_NANOS;
        List<Recommendation> recs = recommendations(input(List.of(
                hook("at limit", 100, limit, 0),
                hook("few calls", Rules.MIN_CALLS_FOR_OVERHEAD - 1, 10 * limit, 0),
                hook("slow", 100, 2_500_000, 0)), null, null, 0, 0, 0, 0, Map.of()));

        assertThat(recs).singleElement().satisfies(r -> {
            assertThat(r.subject()).isEqualTo("hook 'slow'");
            assertThat(r.metric()).isEqualTo("p99_overhead_ns");
            assertThat(r.value()).isEqualTo(2_500_000.0);
            assertThat(r.message()).contains("2.500 ms at p99 over 100 calls");
        });
    }

    @Test
    void anOrderDependentPairGetsOneRecommendationNotAlsoTheSharedLayerOne() {
        List<HookReading> hooks = List.of(hook("a", 4, 10, 0, 1, 2), hook("b", 4, 10, 0, 2), hook("c", 4, 10, 0, 1));
        List<HookOrderProbe> probes = List.of(
                new HookOrderProbe("a", "b", "LAYER_EXIT", 2, HookOrderProbe.Outcome.ORDER_DEPENDENT, 0.5, ""),
                new HookOrderProbe("a", "c", "LAYER_EXIT", 1, HookOrderProbe.Outcome.COMMUTES, 0, ""));

        DiagnosticsReport report = Diagnostics.run(input(hooks, probes, null, 0, 0, 0, 0, Map.of()), null);

        assertThat(report.hookAnalysis().conflicts()).extracting(c -> c.type() + ":" + c.firstHook() + c.secondHook())
                .containsExactly("same_layer_writes:ab", "same_layer_writes:ac", "order_dependent:ab");
        assertThat(report.recommendations()).extracting(r -> r.metric() + ":" + r.subject()).containsExactly(
                "order_dependent_layers:hooks 'a' and 'b'", "shared_written_layers:hooks 'a' and 'c'");
    }

    @Test
    void aHighErrorRateNamesTheComponentWithTheMostErrors() {
        Map<String, Map<String, Long>> errors = Map.of("hook:x", Map.of("java.lang.IllegalStateException", 6L),
                "capture", Map.of("java.lang.IllegalArgumentException", 2L, "java.lang.NullPointerException", 1L));

        List<Recommendation> recs = recommendations(input(null, null, null, 0, 0, 100, 9, errors));

        assertThat(recs).singleElement().satisfies(r -> {
            assertThat(r.component()).isEqualTo("errors");
            assertThat(r.subject()).isEqualTo("hook:x");
            assertThat(r.value()).isEqualTo(0.09);
            assertThat(r.threshold()).isEqualTo(0.05);
            assertThat(r.message()).isEqualTo("0.090 errors per operation (9 errors / 100 operations; "
                    + "high_error_rate 0.050): hook:x causes 6 of them, start there");
        });
        assertThat(recommendations(input(null, null, null, 0, 0, 100, 5, errors))).as("at the threshold").isEmpty();
    }

    @Test
    void aPluggedInHealthMapReplacesTheProvisionalOne() {
        Map<String, Object> health = Map.of("memory_buffer", Map.of("status", "RED"));

        DiagnosticsReport report = Diagnostics.run(input(null, null, null, 0, 0, 0, 0, Map.of()), health);

        assertThat(report.componentHealth()).isEqualTo(health);
    }
}
