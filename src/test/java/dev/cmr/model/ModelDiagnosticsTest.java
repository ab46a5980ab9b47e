package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.model.hooks.HookKind;
import dev.cmr.model.memory.LayeredMemoryBuffer;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.diagnose.DiagnosticsOptions;
import dev.cmr.monitor.diagnose.DiagnosticsReport;
import dev.cmr.monitor.diagnose.HookAnalysis;
import dev.cmr.monitor.diagnose.MemoryAnalysis;
import dev.cmr.monitor.diagnose.Recommendation;
import dev.cmr.monitor.diagnose.Rules;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code runDiagnostics()} on a monitor attached to the real reference model. */
class ModelDiagnosticsTest {
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 32, 4, 4, 1e-5);
    private static final Set<Integer> TARGETS = Set.of(0, 2);
    private static final Set<Integer> INTERVENTIONS = Set.of(1, 3);

    private static FullCmrModel model(MemoryConfig memory) {
        return new FullCmrModel(Gpt2Model.seeded(CONFIG, 11), new CmrConfig(TARGETS, INTERVENTIONS, memory));
    }

    private static MemoryConfig roomyMemory() {
        return MemoryConfig.builder().relevanceThreshold(0.3).build();
    }

    private static void run(FullCmrModel cmr, int passes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int p = 0; p < passes; p++) {
            int[] tokens = new int[8 + random.nextInt(8)];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = random.nextInt(256);
            }
            cmr.forward(tokens);
        }
    }

    @Test
    void aThrowingHookShowsInHookAnalysisWithItsErrorsAndInTheErrorRate() {
        try (FullCmrModel cmr = model(roomyMemory()); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            AtomicLong calls = new AtomicLong();
            cmr.hooks().register(HookKind.LAYER_EXIT, "flaky", e -> {
                if (calls.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("every second call fails");
                }
            });
            run(cmr, 5, 1);

            DiagnosticsReport report = monitor.runDiagnostics();

            long expectedErrors = calls.get() / 2;
            assertThat(expectedErrors).isEqualTo(10); // 5 passes x 4 layers, every second call
            HookAnalysis.HookDiagnosis flaky = report.hookAnalysis().hooks().get(0);
            assertThat(flaky.name()).isEqualTo("flaky");
            assertThat(flaky.kind()).isEqualTo("LAYER_EXIT");
            assertThat(flaky.calls()).isEqualTo(calls.get());
            assertThat(flaky.errors()).isEqualTo(expectedErrors);
            assertThat(flaky.errorRate()).isEqualTo(0.5);
            assertThat(flaky.layersSeen()).containsExactly(0, 1, 2, 3);
            assertThat(flaky.layersModified()).isEmpty();
            assertThat(flaky.meanOverheadNanos()).isPositive();
            assertThat(flaky.p99OverheadNanos()).isPositive().isLessThanOrEqualTo(flaky.maxOverheadNanos());

            assertThat(report.errorSummary().byComponent())
                    .containsEntry("hook:flaky", Map.of(IllegalStateException.class.getName(), expectedErrors));
            // 5 forwards + 10 captures + 10 retrievals + reconstructions once memories exist
            long operations = report.errorSummary().operations();
            assertThat(operations).isGreaterThanOrEqualTo(25);
            assertThat(report.errorSummary().errorRate()).isEqualTo((double) expectedErrors / operations);
            assertThat(report.recommendations()).filteredOn(r -> r.metric().equals("hook_error_rate"))
                    .singleElement().satisfies(r -> {
                        assertThat(r.subject()).isEqualTo("hook 'flaky'");
                        assertThat(r.value()).isEqualTo(0.5);
                        assertThat(r.message()).contains("10 of 20 calls");
                    });
        }
    }

    @Test
    void twoHooksWritingTheSameLayerAreAConflictAndReadersAreNot() {
        try (FullCmrModel cmr = model(roomyMemory()); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            cmr.hooks().register(HookKind.LAYER_EXIT, "nudge layer 1", e -> {
                if (e.layer() == 1) {
                    e.hidden().set(0, 0, e.hidden().get(0, 0) + 0.01f);
                }
            });
            cmr.hooks().register(HookKind.RECONSTRUCTION, "clip", e -> e.hidden().set(0, 1, 0f));
            cmr.hooks().register(HookKind.LAYER_EXIT, "reader", e -> e.hidden().get(0, 0));
            run(cmr, 3, 2);

            HookAnalysis hooks = monitor.runDiagnostics().hookAnalysis();

            assertThat(hooks.conflicts()).singleElement().satisfies(c -> {
                assertThat(c.type()).isEqualTo(HookAnalysis.HookConflict.SAME_LAYER_WRITES);
                assertThat(Set.of(c.firstHook(), c.secondHook())).containsExactlyInAnyOrder("nudge layer 1", "clip");
                assertThat(c.layers()).containsExactly(1);
            });
            assertThat(hooks.orderProbed()).isFalse();
            assertThat(hooks.hooks()).filteredOn(h -> h.name().equals("clip")).singleElement()
                    .satisfies(h -> assertThat(h.layersModified()).containsExactly(1, 3));
        }
    }

    @Test
    void theOrderProbeFindsOrderDependentHooksAndClearsCommutingOnes() {
        try (FullCmrModel cmr = model(roomyMemory()); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            // Layer 1: shift then scale differs from scale then shift.
            cmr.hooks().register(HookKind.LAYER_EXIT, "shift", e -> {
                if (e.layer() == 1) {
                    e.hidden().set(0, 0, e.hidden().get(0, 0) + 1f);
                }
            });
            cmr.hooks().register(HookKind.LAYER_EXIT, "scale", e -> {
                if (e.layer() == 1) {
                    e.hidden().set(0, 0, e.hidden().get(0, 0) * 2f);
                }
            });
            // Layer 2: two hooks writing different columns commute.
            cmr.hooks().register(HookKind.LAYER_EXIT, "column 0", e -> {
                if (e.layer() == 2) {
                    e.hidden().set(0, 0, e.hidden().get(0, 0) * 0.5f);
                }
            });
            cmr.hooks().register(HookKind.LAYER_EXIT, "column 1", e -> {
                if (e.layer() == 2) {
                    e.hidden().set(0, 1, e.hidden().get(0, 1) + 3f);
                }
            });
            run(cmr, 2, 3);
            long shiftCalls = cmr.hooks().stats().get(0).calls();

            DiagnosticsReport report = monitor.runDiagnostics(DiagnosticsOptions.defaults().withHookOrderProbe(true));

            HookAnalysis hooks = report.hookAnalysis();
            assertThat(hooks.orderProbed()).isTrue();
            assertThat(hooks.conflicts()).filteredOn(c -> c.type().equals(HookAnalysis.HookConflict.ORDER_DEPENDENT))
                    .singleElement().satisfies(c -> {
                        assertThat(c.firstHook()).isEqualTo("shift");
                        assertThat(c.secondHook()).isEqualTo("scale");
                        assertThat(c.layers()).containsExactly(1);
                    });
            assertThat(hooks.conflicts()).filteredOn(c -> c.type().equals(HookAnalysis.HookConflict.SAME_LAYER_WRITES))
                    .extracting(c -> c.firstHook() + "+" + c.secondHook())
                    .containsExactlyInAnyOrder("shift+scale", "column 0+column 1");
            assertThat(hooks.probes()).filteredOn(p -> p.firstHook().equals("column 0")).singleElement()
                    .satisfies(p -> assertThat(p.outcome().name()).isEqualTo("COMMUTES"));
            assertThat(report.recommendations()).filteredOn(r -> r.metric().equals("order_dependent_layers"))
                    .singleElement().satisfies(r -> assertThat(r.subject()).isEqualTo("hooks 'shift' and 'scale'"));
            assertThat(cmr.hooks().stats().get(0).calls()).as("the probe is not counted as calls")
                    .isEqualTo(shiftCalls);
        }
    }

    @Test
    void aTinyBufferShowsHighChurnPerLayerAndARecommendationNamingTheLayerAndNumber() {
        MemoryConfig tiny = MemoryConfig.builder().maxEntriesPerLayer(2).maxTotalEntries(4).cleanupThreshold(1.0)
                .relevanceThreshold(0.0).build();
        try (FullCmrModel cmr = model(tiny); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            run(cmr, 4, 4);

            DiagnosticsReport report = monitor.runDiagnostics();

            MemoryAnalysis memory = report.memoryAnalysis();
            assertThat(memory.available()).isTrue();
            assertThat(memory.layers()).extracting(MemoryAnalysis.LayerDiagnosis::layer).containsExactly(0, 2);
            for (int layer : TARGETS) {
                MemoryAnalysis.LayerDiagnosis l = memory.layer(layer);
                assertThat(l.insertions()).isEqualTo(cmr.buffer().insertions(layer)).isGreaterThanOrEqualTo(10);
                assertThat(l.evictions()).isEqualTo(cmr.buffer().evictions(layer));
                assertThat(l.churn()).isEqualTo((double) l.evictions() / l.insertions()).isGreaterThan(0.5);
                assertThat(l.entries()).isEqualTo(2);
                assertThat(l.utilization()).isEqualTo(1.0);
                assertThat(l.insertsPerSecond()).isPositive();

                String number = String.format(Locale.ROOT, "%.2f", l.churn());
                assertThat(report.recommendations()).filteredOn(r -> r.subject().equals("layer " + layer))
                        .filteredOn(r -> r.metric().equals("churn")).singleElement().satisfies(r -> {
                            assertThat(r.component()).isEqualTo("memory_buffer");
                            assertThat(r.value()).isEqualTo(l.churn());
                            assertThat(r.threshold()).isEqualTo(Rules.CHURN_THRESHOLD);
                            assertThat(r.message()).startsWith("layer " + layer + " evicts " + number
                                    + " entries per insert").contains("max_entries_per_layer (now 2)");
                        });
            }
            assertThat(memory.cacheHitRate()).isNotNull();
            assertThat(report.componentHealth()).containsKey("memory_buffer");
        }
    }

    @Test
    void staleEntriesFollowAControllableClockAndRetrievalRefreshesThem() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        MemoryConfig config = MemoryConfig.builder().relevanceThreshold(0.0).build();
        LayeredMemoryBuffer buffer = new LayeredMemoryBuffer(config, now::get);
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            monitor.setBufferGauge(buffer);
            for (int i = 0; i < 6; i++) {
                buffer.store(3, new float[] {i, 1, 2}, 1f);
            }
            now.addAndGet(90_000_000_000L); // 90 s later
            buffer.touch(buffer.entries(3).get(0));
            now.addAndGet(10_000_000_000L); // 100 s after the stores, 10 s after the touch

            MemoryAnalysis memory = monitor.runDiagnostics().memoryAnalysis();
            MemoryAnalysis.LayerDiagnosis l = memory.layer(3);
            assertThat(l.staleEntries()).isEqualTo(5);
            assertThat(l.maxAgeSeconds()).isEqualTo(100.0);
            assertThat(l.maxIdleSeconds()).isEqualTo(100.0);
            assertThat(l.meanIdleSeconds()).isEqualTo((5 * 100.0 + 10.0) / 6);
            assertThat(memory.windowSeconds()).isEqualTo(100.0);
            assertThat(l.insertsPerSecond()).isEqualTo(0.06);

            MemoryAnalysis strict = monitor.runDiagnostics(DiagnosticsOptions.defaults().withStaleAfterSeconds(5))
                    .memoryAnalysis();
            assertThat(strict.layer(3).staleEntries()).isEqualTo(6);
            assertThat(monitor.runDiagnostics().recommendations()).filteredOn(r -> r.metric().equals("stale_fraction"))
                    .singleElement().extracting(Recommendation::value).isEqualTo(5.0 / 6);
        }
    }

    @Test
    void reportJsonParsesBackWithTheSectionsAndNumbers() throws Exception {
        MemoryConfig tiny = MemoryConfig.builder().maxEntriesPerLayer(2).maxTotalEntries(4).relevanceThreshold(0.0)
                .build();
        try (FullCmrModel cmr = model(tiny); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            cmr.hooks().register(HookKind.POST_PROCESSING, "broken", e -> {
                throw new UnsupportedOperationException("no");
            });
            run(cmr, 3, 5);
            DiagnosticsReport report = monitor.runDiagnostics();

            JsonNode json = new ObjectMapper().readTree(report.toJson());

            assertThat(json.fieldNames()).toIterable().containsExactly("timestamp", "component_health",
                    "hook_analysis", "memory_analysis", "error_summary", "recommendations");
            assertThat(json.at("/hook_analysis/hooks/0/errors").asLong()).isEqualTo(3);
            assertThat(json.at("/error_summary/by_component/hook:broken/errors").asLong()).isEqualTo(3);
            assertThat(json.at("/memory_analysis/layers/0/churn").asDouble())
                    .isEqualTo(report.memoryAnalysis().layer(0).churn());
            assertThat(json.at("/recommendations").size()).isEqualTo(report.recommendations().size()).isPositive();
            // Component health is the health evaluator's: three hook errors make hooks RED, with the deciding check.
            assertThat(json.at("/component_health/hooks/status").asText()).isEqualTo("RED");
            assertThat(json.at("/component_health/hooks/details/decided_by").isTextual()).isTrue();
        }
    }
}
