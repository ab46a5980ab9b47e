package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flat per-pass samples that compare reads: which keys exist, in which order, with which values. */
class ProfileSamplesTest {
    private static LayerSamples layerSamples(long host, Samples device, Samples launchDelay) {
        return new LayerSamples(Samples.of(host, host + 1), Samples.of(host - 10, host - 9), Samples.of(host - 30,
                host - 29), Samples.of(20, 20), device, launchDelay);
    }

    private static LayerProfile layer(int index, LayerSamples samples) {
        return new LayerProfile(index, 0, 0, 0, 0, null, null, 0, Verdict.HOST_BOUND, "hand-built", samples);
    }

    private static ExecutionProfile execution(String name, List<LayerProfile> layers, List<StageProfile> stages,
                                              List<KernelProfile> kernels) {
        return new ExecutionProfile(name, 2, Backend.OPENCL, 0, Samples.of(1_000, 1_100), Verdict.HOST_BOUND,
                "hand-built", null, null, null, null, layers, stages, kernels, Map.of(), 0, null);
    }

    /** Layer 0 with device and launch delay samples, layer 1 without; a stage and a kernel with samples, one without. */
    private static ProfileResults results() {
        ExecutionProfile forward = execution("forward", List.of(
                        layer(0, layerSamples(500, Samples.of(300, 310), Samples.of(7))),
                        layer(1, layerSamples(400, Samples.of(), Samples.of()))),
                List.of(new StageProfile(0, Stage.CAPTURE, 50, Samples.of(40, 60))),
                List.of(new KernelProfile(0, "matmul", 2, 250, Samples.of(240, 260)),
                        new KernelProfile(1, "gelu", 0, 0, Samples.of())));
        ExecutionProfile decode = execution("decode", List.of(), List.of(), List.of());
        return new ProfileResults(List.of(forward, decode));
    }

    @Test
    void namesEveryMetricByBlockLayerAndFieldInProfileOrder() {
        assertThat(ProfileSamples.of(results()).keySet()).containsExactly(
                "forward/wall_ns",
                "forward/layer 0/host_ns", "forward/layer 0/self_host_ns", "forward/layer 0/launch_ns",
                "forward/layer 0/sync_wait_ns", "forward/layer 0/device_ns", "forward/layer 0/launch_delay_ns",
                "forward/layer 1/host_ns", "forward/layer 1/self_host_ns", "forward/layer 1/launch_ns",
                "forward/layer 1/sync_wait_ns",
                "forward/layer 0/capture/self_ns",
                "forward/layer 0/kernel matmul/device_ns",
                "decode/wall_ns");
    }

    @Test
    void carriesEachMetricsSamplesInPassOrder() {
        Map<String, long[]> samples = ProfileSamples.of(results());

        assertThat(samples.get("forward/wall_ns")).containsExactly(1_000, 1_100);
        assertThat(samples.get("forward/layer 0/host_ns")).containsExactly(500, 501);
        assertThat(samples.get("forward/layer 0/self_host_ns")).containsExactly(490, 491);
        assertThat(samples.get("forward/layer 0/launch_ns")).containsExactly(470, 471);
        assertThat(samples.get("forward/layer 0/sync_wait_ns")).containsExactly(20, 20);
        assertThat(samples.get("forward/layer 0/device_ns")).containsExactly(300, 310);
        assertThat(samples.get("forward/layer 0/launch_delay_ns")).containsExactly(7);
        assertThat(samples.get("forward/layer 1/host_ns")).containsExactly(400, 401);
        assertThat(samples.get("forward/layer 0/capture/self_ns")).containsExactly(40, 60);
        assertThat(samples.get("forward/layer 0/kernel matmul/device_ns")).containsExactly(240, 260);
    }

    @Test
    void leavesOutDeviceLaunchDelayAndKernelMetricsWithoutSamples() {
        Map<String, long[]> samples = ProfileSamples.of(results());

        assertThat(samples).doesNotContainKeys("forward/layer 1/device_ns", "forward/layer 1/launch_delay_ns",
                "forward/layer 1/kernel gelu/device_ns");
    }

    @Test
    void returnsCopiesThatDoNotAlterTheResults() {
        ProfileResults results = results();
        ProfileSamples.of(results).get("forward/wall_ns")[0] = 0;

        assertThat(ProfileSamples.of(results).get("forward/wall_ns")).containsExactly(1_000, 1_100);
    }
}
