package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.model.opencl.OpenClGpt2Model;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.OpenClTimeline;
import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.KernelProfile;
import dev.cmr.monitor.profile.LayerProfile;
import dev.cmr.testing.OpenClTestDevices;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reference model profiled end to end: FullCmrModel over the OpenCL backend on the real OpenCL device gives every
 * layer a whole-layer device span and kernel spans by name; over the CPU backend, no device numbers at all.
 */
class ProfiledModelOnOpenClTest {
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 64, 3, 4, 1e-5);
    private static final int CAPTURE_LAYER = 1;
    private static final int PASSES = 4;
    private static final MonitoringConfig MANUAL = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).build();

    private static FullCmrModel cmrModel(Gpt2Backend backend) {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(64).maxTotalEntries(128).build();
        return new FullCmrModel(backend, new CmrConfig(Set.of(CAPTURE_LAYER), Set.of(), memory));
    }

    private static int[] tokens(int pass) {
        int[] t = new int[24];
        for (int i = 0; i < t.length; i++) {
            t[i] = (pass * 31 + i * 7) % 256;
        }
        return t;
    }

    @Test
    void aProfiledOpenClPassGivesEveryLayerADeviceSpanAndKernelSpansByName() throws Exception {
        OpenClGpt2Model backend = new OpenClGpt2Model(SeededInit.weights(CONFIG, 3), OpenClTestDevices.kernels());
        try (FullCmrModel cmr = cmrModel(backend);
             OpenClTimeline timeline = OpenClTimeline.open(backend.queueHandle(), JournalSettings.defaults());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MANUAL)) {
            backend.setDeviceTimeline(timeline);
            monitor.attachDeviceTimeline(timeline);
            cmr.attach(monitor);
            cmr.forward(tokens(99)); // not profiled: layer marks only
            long unprofiledMarks = timeline.enqueuedMarks();
            monitor.enableProfiling();
            for (int p = 0; p < PASSES; p++) {
                try (ProfileBlock block = monitor.profileExecution("forward")) {
                    cmr.forward(tokens(p));
                }
            }
            awaitMarks(timeline);
            ExecutionProfile profile = monitor.getProfileResults().execution("forward");

            assertThat(unprofiledMarks).as("2 layer marks per layer outside profiling").isEqualTo(2L * CONFIG.layers());
            // 11 kernels per layer, one more (attention received) at the capture layer, and 2 layer marks each.
            assertThat(timeline.enqueuedMarks() - unprofiledMarks)
                    .isEqualTo(PASSES * (13L * CONFIG.layers() + 1));
            assertThat(timeline.droppedMarks()).isZero();
            assertThat(profile.backend()).isEqualTo(Backend.OPENCL);
            assertThat(profile.passes()).isEqualTo(PASSES);
            assertThat(profile.clockErrorBoundNanos()).isNotNull();
            for (int layer = 0; layer < CONFIG.layers(); layer++) {
                LayerProfile l = profile.layer(layer);
                assertThat(l.deviceNanos()).as("layer %d device", layer).isNotNull().isPositive();
                assertThat(l.launchDelayNanos()).as("layer %d launch delay", layer).isNotNull();
                int on = layer;
                Map<String, Long> counts = profile.kernels().stream().filter(k -> k.layer() == on)
                        .collect(Collectors.toMap(KernelProfile::kernel, KernelProfile::count));
                Map<String, Long> expected = new java.util.TreeMap<>(Map.of("layer_norm", 2L * PASSES,
                        "matmul", 4L * PASSES, "kv_store", (long) PASSES, "attention", (long) PASSES,
                        "gelu", (long) PASSES, "add", 2L * PASSES));
                if (layer == CAPTURE_LAYER) {
                    expected.put("attention_received", (long) PASSES);
                }
                assertThat(counts).as("kernels of layer %d", layer).isEqualTo(expected);
                double kernelSum = profile.kernels().stream().filter(k -> k.layer() == on)
                        .mapToDouble(KernelProfile::deviceNanos).sum();
                // Kernel spans tile the layer from its start mark to its last kernel mark, right before its end mark.
                assertThat(kernelSum).as("kernel device times of layer %d vs its device time", layer)
                        .isBetween(0.9 * l.deviceNanos(), 1.0001 * l.deviceNanos());
            }
        }
    }

    @Test
    void aProfiledCpuPassHasBackendCpuAndNoDeviceNumbers() {
        try (FullCmrModel cmr = cmrModel(new Gpt2Model(SeededInit.weights(CONFIG, 3)));
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MANUAL)) {
            cmr.attach(monitor);
            monitor.enableProfiling();
            for (int p = 0; p < PASSES; p++) {
                try (ProfileBlock block = monitor.profileExecution("forward")) {
                    cmr.forward(tokens(p));
                }
            }
            ExecutionProfile profile = monitor.getProfileResults().execution("forward");

            assertThat(profile.backend()).isEqualTo(Backend.CPU);
            assertThat(profile.deviceBusyRatio()).isNull();
            assertThat(profile.clockErrorBoundNanos()).isNull();
            assertThat(profile.kernels()).isEmpty();
            assertThat(profile.layers()).hasSize(CONFIG.layers());
            for (LayerProfile l : profile.layers()) {
                assertThat(l.deviceNanos()).isNull();
                assertThat(l.launchDelayNanos()).isNull();
                assertThat(l.hostNanos()).isPositive();
                assertThat(l.reason()).contains("backend cpu");
            }
        }
    }

    private static void awaitMarks(OpenClTimeline timeline) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (timeline.resolvedMarks() < timeline.enqueuedMarks() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(timeline.resolvedMarks()).as("resolved marks").isEqualTo(timeline.enqueuedMarks());
    }
}
