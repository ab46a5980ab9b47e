package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.model.opencl.LogitAssertions;
import dev.cmr.model.opencl.OpenClGpt2Model;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.LatencySummary;
import dev.cmr.testing.OpenClTestDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The CMR model on the OpenCL backend against the same model on the CPU backend, both monitored. */
class FullCmrModelOnOpenClTest {
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 32, 4, 4, 1e-5);
    private static final Set<Integer> TARGETS = Set.of(0, 2);
    private static final Set<Integer> INTERVENTIONS = Set.of(1, 3);

    private static CmrConfig cmrConfig() {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(12).maxTotalEntries(20)
                .relevanceThreshold(0.3).memoryWeight(0.5).build();
        return new CmrConfig(TARGETS, INTERVENTIONS, memory);
    }

    private record Run(List<float[][]> logits, int[] generated) {
    }

    /** The same workload on either backend: chunked sequences through a cache, then greedy generation. */
    private static Run run(FullCmrModel cmr) {
        List<float[][]> logits = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int s = 0; s < 4; s++) {
            try (KvCache cache = cmr.newCache()) {
                for (int chunk = 0; chunk < 3; chunk++) {
                    int[] tokens = new int[6 + random.nextInt(8)];
                    for (int i = 0; i < tokens.length; i++) {
                        tokens[i] = random.nextInt(256);
                    }
                    logits.add(cmr.forward(tokens, cache));
                }
            }
        }
        return new Run(logits, cmr.generate(new int[] {72, 105}, 5, TokenSampler.greedy(), -1));
    }

    @Test
    void cmrOnOpenClEqualsCmrOnCpuInLogitsAndInEveryMonitorCount() {
        Gpt2Weights weights = SeededInit.weights(CONFIG, 11);
        try (FullCmrModel onCpu = new FullCmrModel(new Gpt2Model(weights), cmrConfig());
             FullCmrModel onDevice = new FullCmrModel(new OpenClGpt2Model(weights, OpenClTestDevices.kernels()),
                     cmrConfig());
             CmrPerformanceMonitor cpuMonitor = new CmrPerformanceMonitor();
             CmrPerformanceMonitor deviceMonitor = new CmrPerformanceMonitor()) {
            onCpu.attach(cpuMonitor);
            onDevice.attach(deviceMonitor);
            Run expected = run(onCpu);
            Run actual = run(onDevice);
            assertThat(actual.logits()).hasSameSizeAs(expected.logits());
            for (int p = 0; p < expected.logits().size(); p++) {
                LogitAssertions.assertRowsClose(actual.logits().get(p), expected.logits().get(p), 1e-4);
            }
            assertThat(actual.generated()).as("greedy tokens").containsExactly(expected.generated());

            MonitorStats cpu = cpuMonitor.getStats();
            MonitorStats device = deviceMonitor.getStats();
            assertThat(cpu.totalReconstructions()).as("reweaving really happened").isPositive();
            assertThat(cpu.buffer().evictionCount()).as("and evictions").isPositive();
            assertThat(device.totalForwards()).isEqualTo(cpu.totalForwards());
            assertThat(device.totalCaptures()).isEqualTo(cpu.totalCaptures());
            assertThat(device.statesCapturedPerLayer()).isEqualTo(cpu.statesCapturedPerLayer());
            assertThat(device.statesStoredPerLayer()).isEqualTo(cpu.statesStoredPerLayer());
            assertThat(device.reconstructionsPerLayer()).isEqualTo(cpu.reconstructionsPerLayer());
            assertThat(device.totalReconstructions()).isEqualTo(cpu.totalReconstructions());
            assertThat(device.retrieval().totalRetrievals()).isEqualTo(cpu.retrieval().totalRetrievals());
            assertThat(device.retrieval().returned()).isEqualTo(cpu.retrieval().returned());
            assertThat(device.retrieval().cacheHits()).isEqualTo(cpu.retrieval().cacheHits());
            assertThat(device.buffer().evictionCount()).isEqualTo(cpu.buffer().evictionCount());
            assertThat(device.buffer().totalEntries()).isEqualTo(cpu.buffer().totalEntries());
            assertThat(device.timing(Stage.LAYER).perLayer().keySet())
                    .isEqualTo(cpu.timing(Stage.LAYER).perLayer().keySet());
            assertThat(device.totalRejected()).isZero();
        }
    }

    @Test
    void syncWaitIsRecordedOnlyForCaptureAndInterventionLayersOnTheDevice() {
        Gpt2Weights weights = SeededInit.weights(CONFIG, 13);
        try (FullCmrModel onCpu = new FullCmrModel(new Gpt2Model(weights), cmrConfig());
             FullCmrModel onDevice = new FullCmrModel(new OpenClGpt2Model(weights, OpenClTestDevices.kernels()),
                     cmrConfig());
             CmrPerformanceMonitor cpuMonitor = new CmrPerformanceMonitor();
             CmrPerformanceMonitor deviceMonitor = new CmrPerformanceMonitor()) {
            onDevice.forward(new int[] {1, 2, 3}); // detached: nothing to record, and nothing recorded later
            onCpu.attach(cpuMonitor);
            onDevice.attach(deviceMonitor);
            int passes = 6;
            for (int p = 0; p < passes; p++) {
                onCpu.forward(new int[] {10 + p, 20, 30, 40});
                onDevice.forward(new int[] {10 + p, 20, 30, 40});
            }
            Set<Integer> readBack = new TreeSet<>(TARGETS);
            readBack.addAll(INTERVENTIONS);
            var syncWait = deviceMonitor.getStats().timing(Stage.SYNC_WAIT).perLayer();
            assertThat(syncWait.keySet()).isEqualTo(readBack);
            for (LatencySummary layer : syncWait.values()) {
                assertThat(layer.count()).as("one blocking read per read-back layer per pass").isEqualTo(passes);
                assertThat(layer.totalNanos()).isPositive();
            }
            assertThat(cpuMonitor.getStats().timing(Stage.SYNC_WAIT).perLayer())
                    .as("the CPU backend never waits on a device").isEmpty();

            // Without capture or reweave, no layer leaves the device.
            onDevice.setMemoryEnabled(false);
            onDevice.setReconstructionEnabled(false);
            deviceMonitor.reset();
            onDevice.forward(new int[] {5, 6, 7});
            assertThat(deviceMonitor.getStats().timing(Stage.SYNC_WAIT).perLayer()).isEmpty();
            assertThat(deviceMonitor.getStats().timing(Stage.LAYER).perLayer()).containsOnlyKeys(0, 1, 2, 3);
        }
    }
}
