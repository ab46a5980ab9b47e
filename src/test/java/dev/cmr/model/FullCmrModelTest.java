package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.hooks.HookKind;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.Stage;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FullCmrModelTest {
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 32, 4, 4, 1e-5);
    private static final Set<Integer> TARGETS = Set.of(0, 2);
    private static final Set<Integer> INTERVENTIONS = Set.of(1, 3);

    private static FullCmrModel model(MemoryConfig memory) {
        return new FullCmrModel(Gpt2Model.seeded(CONFIG, 11), new CmrConfig(TARGETS, INTERVENTIONS, memory));
    }

    /** Small capacity so that evictions happen; a low threshold so that captures store states. */
    private static MemoryConfig smallMemory() {
        return MemoryConfig.builder().maxEntriesPerLayer(12).maxTotalEntries(20).relevanceThreshold(0.3).build();
    }

    private static int[] tokens(SplittableRandom random, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = random.nextInt(256);
        }
        return t;
    }

    @Test
    void monitorCountsEqualExactlyTheEventsTheRuntimeProduced() {
        try (FullCmrModel cmr = model(smallMemory());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            AtomicLong captures = new AtomicLong();
            AtomicLong storedSeen = new AtomicLong();
            AtomicLong retrievals = new AtomicLong();
            AtomicLong returned = new AtomicLong();
            AtomicLong reconstructions = new AtomicLong();
            cmr.hooks().register(HookKind.CAPTURE, "count captures", e -> {
                captures.incrementAndGet();
                storedSeen.addAndGet(e.memories().size());
            });
            cmr.hooks().register(HookKind.RETRIEVAL, "count retrievals", e -> {
                retrievals.incrementAndGet();
                returned.addAndGet(e.memories().size());
            });
            cmr.hooks().register(HookKind.RECONSTRUCTION, "count reconstructions", e -> reconstructions.incrementAndGet());

            SplittableRandom random = new SplittableRandom(5);
            int passes = 0;
            for (int s = 0; s < 6; s++) {
                try (KvCache cache = cmr.newCache()) {
                    for (int chunk = 0; chunk < 3; chunk++) {
                        cmr.forward(tokens(random, 8 + random.nextInt(8)), cache);
                        passes++;
                    }
                }
            }
            cmr.generate(new int[] {72, 105}, 5, TokenSampler.greedy(), -1);
            passes += 5;

            MonitorStats stats = monitor.getStats();
            assertThat(captures.get()).isEqualTo(passes * (long) TARGETS.size());
            assertThat(stats.totalCaptures()).isEqualTo(captures.get());
            assertThat(sum(stats.statesStoredPerLayer())).isEqualTo(storedSeen.get())
                    .isEqualTo(cmr.buffer().insertions()).isPositive();
            assertThat(stats.buffer().evictionCount()).isEqualTo(cmr.buffer().evictions()).isPositive();
            assertThat(stats.retrieval().totalRetrievals()).isEqualTo(retrievals.get())
                    .isEqualTo(passes * (long) INTERVENTIONS.size());
            assertThat(stats.retrieval().returned()).isEqualTo(returned.get());
            assertThat(stats.retrieval().cacheHits()).isEqualTo(cmr.retriever().cacheHits());
            assertThat(stats.totalReconstructions()).isEqualTo(reconstructions.get()).isPositive();
            assertThat(stats.totalForwards()).isEqualTo(passes);
            assertThat(stats.buffer().totalEntries()).isEqualTo(cmr.buffer().totalSize());

            assertThat(stats.statesCapturedPerLayer()).containsOnlyKeys(TARGETS);
            assertThat(stats.timing(Stage.CAPTURE).perLayer()).containsOnlyKeys(TARGETS);
            assertThat(stats.timing(Stage.RETRIEVAL).perLayer()).containsOnlyKeys(INTERVENTIONS);
            assertThat(stats.reconstructionsPerLayer()).containsOnlyKeys(INTERVENTIONS);
            assertThat(stats.timing(Stage.LAYER).perLayer()).containsOnlyKeys(0, 1, 2, 3);
            assertThat(stats.timing(Stage.LAYER).perLayer().get(0).count()).isEqualTo(passes);
            assertThat(stats.totalRejected()).isZero();
            assertThat(stats.efficiency().reconstructionQuality()).isBetween(0.0, 1.0);
            assertThat(stats.retrieval().retrievalQuality()).isNotNull().isBetween(0.0, 1.0);
            assertThat(stats.toMap()).extractingByKey("retrieval").asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("retrieval_quality");
        }
    }

    @Test
    void throwingHooksNeverBreakTheForwardPass() {
        SplittableRandom random = new SplittableRandom(9);
        int[][] inputs = {tokens(random, 10), tokens(random, 12), tokens(random, 9)};
        float[][][] expected = new float[inputs.length][][];
        try (FullCmrModel plain = model(smallMemory())) {
            for (int i = 0; i < inputs.length; i++) {
                expected[i] = plain.forward(inputs[i]);
            }
        }
        try (FullCmrModel cmr = model(smallMemory()); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            AtomicLong errorEvents = new AtomicLong();
            for (HookKind kind : HookKind.values()) {
                if (kind != HookKind.ERROR) {
                    cmr.hooks().register(kind, "broken " + kind, e -> {
                        throw new IllegalStateException("broken " + e.kind());
                    });
                }
            }
            cmr.hooks().register(HookKind.ERROR, "count errors", e -> errorEvents.incrementAndGet());

            for (int i = 0; i < inputs.length; i++) {
                float[][] logits = cmr.forward(inputs[i]);
                for (int t = 0; t < logits.length; t++) {
                    assertThat(logits[t]).containsExactly(expected[i][t]);
                }
            }
            long hookCalls = cmr.hooks().stats().stream().filter(s -> s.kind() != HookKind.ERROR)
                    .mapToLong(s -> s.calls()).sum();
            assertThat(hookCalls).isPositive();
            assertThat(errorEvents.get()).isEqualTo(hookCalls);
            MonitorStats stats = monitor.getStats();
            assertThat(stats.totalErrors()).isEqualTo(hookCalls);
            assertThat(stats.errorsByComponent()).containsKey("hook:broken CAPTURE");
            assertThat(stats.totalForwards()).isEqualTo(inputs.length);
        }
    }

    @Test
    void zeroMemoryWeightLeavesTheModelsOutputUnchanged() {
        MemoryConfig noWeight = MemoryConfig.builder().memoryWeight(0.0).relevanceThreshold(0.0).build();
        SplittableRandom random = new SplittableRandom(3);
        try (FullCmrModel cmr = model(noWeight); Gpt2Model plain = Gpt2Model.seeded(CONFIG, 11)) {
            for (int i = 0; i < 4; i++) {
                int[] input = tokens(random, 10);
                float[][] a = cmr.forward(input);
                float[][] b = plain.logits(input);
                for (int t = 0; t < a.length; t++) {
                    assertThat(a[t]).containsExactly(b[t]);
                }
            }
            assertThat(cmr.buffer().totalSize()).as("memory was captured, just not rewoven").isPositive();
        }
    }

    @Test
    void reconstructionChangesTheOutputOnceMemoriesExist() {
        MemoryConfig strong = MemoryConfig.builder().memoryWeight(0.8).relevanceThreshold(0.0).build();
        try (FullCmrModel cmr = model(strong); Gpt2Model plain = Gpt2Model.seeded(CONFIG, 11)) {
            int[] input = {72, 101, 108, 108, 111};
            cmr.forward(input);
            float[][] second = cmr.forward(input);
            assertThat(second[4]).isNotEqualTo(plain.logits(input)[4]);
        }
    }

    @Test
    void switchesTurnStagesOffAndDetachingStopsReporting() {
        try (FullCmrModel cmr = model(smallMemory()); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            cmr.attach(monitor);
            cmr.setMemoryEnabled(false);
            cmr.setReconstructionEnabled(false);
            cmr.forward(new int[] {1, 2, 3});
            MonitorStats off = monitor.getStats();
            assertThat(off.totalCaptures()).isZero();
            assertThat(off.retrieval().totalRetrievals()).isZero();
            assertThat(off.totalForwards()).isEqualTo(1);

            cmr.setMemoryEnabled(true);
            cmr.detach();
            cmr.forward(new int[] {1, 2, 3});
            assertThat(monitor.getStats().totalForwards()).isEqualTo(1);
            assertThat(cmr.buffer().insertions()).isPositive();
        }
    }

    @Test
    void attachingToAMonitorWithTooFewLayersFailsAtAttach() {
        try (FullCmrModel cmr = model(smallMemory());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().maxLayers(2).build())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cmr.attach(monitor))
                    .hasMessage("monitor max_layers (2) must be at least the model's n_layer (4)");
        }
    }

    @Test
    void attachingToASecondMonitorDetachesTheFirst() {
        try (FullCmrModel cmr = model(smallMemory());
             CmrPerformanceMonitor first = new CmrPerformanceMonitor();
             CmrPerformanceMonitor second = new CmrPerformanceMonitor()) {
            cmr.attach(first);
            cmr.attach(second);
            cmr.forward(new int[] {1, 2, 3});
            assertThat(first.getStats().totalForwards()).isZero();
            assertThat(first.getStats().buffer().totalEntries()).as("no longer its gauge").isNull();
            assertThat(second.getStats().totalForwards()).isEqualTo(1);
        }
    }

    @Test
    void aClosedModelRefusesPassesInsteadOfReadingFreedMemory() {
        FullCmrModel cmr = model(smallMemory());
        cmr.close();
        cmr.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cmr.forward(new int[] {1}))
                .isInstanceOf(IllegalStateException.class).hasMessage("model is closed");
    }

    private static long sum(java.util.Map<Integer, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
