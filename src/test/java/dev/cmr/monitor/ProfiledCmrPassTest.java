package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.KvCache;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.HostSpan;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfiledPass;
import dev.cmr.monitor.profile.StageProfile;
import dev.cmr.monitor.record.Stage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The reference runtime's records reach a profiled block as spans: one CPU pass gives a timeline per layer. */
class ProfiledCmrPassTest {
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 32, 4, 4, 1e-5);
    private static final Set<Integer> TARGETS = Set.of(0, 2);
    private static final Set<Integer> INTERVENTIONS = Set.of(1, 3);

    @Test
    void aCpuPassInsideABlockGivesLayerAndStageSpansForEveryLayer() {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(64).relevanceThreshold(0.0).build();
        try (FullCmrModel cmr = new FullCmrModel(Gpt2Model.seeded(CONFIG, 11),
                new CmrConfig(TARGETS, INTERVENTIONS, memory));
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MonitoringConfig.builder()
                     .metricCollectionInterval(3600).enableResourceSampling(false).profileMemory(true).build());
             KvCache cache = cmr.newCache()) {
            cmr.attach(monitor);
            cmr.forward(new int[] {72, 101, 108, 108, 111}, cache); // fills the memory that layers 1 and 3 retrieve
            monitor.enableProfiling();
            long before = System.nanoTime();
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                cmr.forward(new int[] {32, 119, 111}, cache);
            }
            long after = System.nanoTime();

            List<ProfiledPass> passes = MonitorInternals.profiledPasses(monitor, "forward");
            assertThat(passes).singleElement().isInstanceOf(PassTrace.class);
            PassTrace pass = (PassTrace) passes.get(0);
            Map<Stage, List<HostSpan>> byStage = pass.hostSpans().stream()
                    .collect(Collectors.groupingBy(HostSpan::stage));
            assertThat(byStage.get(Stage.LAYER)).extracting(HostSpan::layer).containsExactly(0, 1, 2, 3);
            assertThat(byStage.get(Stage.CAPTURE)).extracting(HostSpan::layer).containsExactly(0, 2);
            assertThat(byStage.get(Stage.RETRIEVAL)).extracting(HostSpan::layer).containsExactly(1, 3);
            assertThat(byStage.get(Stage.RECONSTRUCTION)).extracting(HostSpan::layer).containsExactly(1, 3);
            assertThat(pass.syncWaits()).as("the CPU backend has no device calls").isEmpty();
            for (HostSpan span : pass.hostSpans()) {
                assertThat(span.threadId()).isEqualTo(Thread.currentThread().getId());
                assertThat(span.startNanos()).isBetween(before, after);
                assertThat(span.endNanos()).isBetween(span.startNanos(), after);
                assertThat(span.allocatedBytes()).isNotNull();
                if (span.stage() != Stage.LAYER) {
                    HostSpan layer = byStage.get(Stage.LAYER).get(span.layer());
                    assertThat(span.startNanos()).as("a stage lies inside its layer")
                            .isBetween(layer.startNanos(), layer.endNanos());
                    assertThat(span.endNanos()).isBetween(layer.startNanos(), layer.endNanos());
                }
            }

            ExecutionProfile forward = monitor.getProfileResults().execution("forward");
            assertThat(forward.partition()).as("timestamps give the pass partition").isNotNull();
            assertThat(forward.layers()).hasSize(4).allSatisfy(l -> {
                assertThat(l.hostNanos()).isPositive();
                assertThat(l.deviceNanos()).as("no device on the CPU backend").isNull();
                assertThat(l.allocatedBytes()).isNotNull();
            });
            assertThat(forward.stages()).extracting(StageProfile::layer, StageProfile::stage).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, Stage.CAPTURE),
                    org.assertj.core.groups.Tuple.tuple(1, Stage.RECONSTRUCTION),
                    org.assertj.core.groups.Tuple.tuple(1, Stage.RETRIEVAL),
                    org.assertj.core.groups.Tuple.tuple(2, Stage.CAPTURE),
                    org.assertj.core.groups.Tuple.tuple(3, Stage.RECONSTRUCTION),
                    org.assertj.core.groups.Tuple.tuple(3, Stage.RETRIEVAL));
        }
    }
}
