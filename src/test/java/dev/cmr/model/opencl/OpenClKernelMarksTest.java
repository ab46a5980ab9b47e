package dev.cmr.model.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.BlockListener;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.KvCache;
import dev.cmr.model.SeededInit;
import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.KernelMarkTag;
import dev.cmr.monitor.device.LayerMarkTag;
import dev.cmr.testing.OpenClTestDevices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-kernel marks of the OpenCL backend, asked for per pass by the listener, on the real OpenCL device. */
class OpenClKernelMarksTest {
    private static final Gpt2Config SMALL = new Gpt2Config(37, 24, 16, 2, 4, 1e-5);
    private static final List<String> BLOCK_KERNELS = List.of("layer_norm", "matmul", "kv_store", "attention",
            "matmul", "add", "layer_norm", "matmul", "gelu", "matmul", "add");

    /** Wants kernel marks, and attention (one more kernel) at {@code attentionLayer}. */
    private record KernelMarks(boolean wanted, int attentionLayer) implements BlockListener {
        @Override
        public boolean wantsKernelMarks() {
            return wanted;
        }

        @Override
        public boolean wantsAttention(int layer) {
            return layer == attentionLayer;
        }

        @Override
        public boolean wantsHiddenStates(int layer) {
            return layer == attentionLayer;
        }
    }

    private static DeviceMarkBatch drain(ProfilingTestTimeline timeline) {
        OpenClTestDevices.kernels().finish();
        DeviceMarkBatch batch = new DeviceMarkBatch(1000);
        timeline.drain(batch);
        return batch;
    }

    @Test
    void aPassThatWantsKernelMarksMarksEveryKernelByNameInOrderBetweenItsLayerMarks() {
        try (OpenClGpt2Model cl = new OpenClGpt2Model(SeededInit.weights(SMALL, 2), OpenClTestDevices.kernels());
             ProfilingTestTimeline timeline = new ProfilingTestTimeline();
             KvCache cache = cl.newCache()) {
            cl.setDeviceTimeline(timeline);
            cl.forward(new int[] {3, 4, 5}, cache, new KernelMarks(true, 1));
            DeviceMarkBatch batch = drain(timeline);

            int i = 0;
            long previous = Long.MIN_VALUE;
            for (int layer = 0; layer < SMALL.layers(); layer++) {
                List<String> expected = new ArrayList<>(BLOCK_KERNELS);
                if (layer == 1) {
                    expected.add(4, "attention_received");
                }
                assertThat(batch.tag(i++)).isEqualTo(LayerMarkTag.start(0, layer));
                for (int k = 0; k < expected.size(); k++) {
                    long tag = batch.tag(i);
                    assertThat(KernelMarkTag.isKernel(tag)).as("mark %d of layer %d", k, layer).isTrue();
                    assertThat(KernelMarkTag.layer(tag)).isEqualTo(layer);
                    assertThat(KernelMarkTag.passLow32(tag)).isZero();
                    assertThat(KernelMarkTag.ordinal(tag)).isEqualTo(k);
                    assertThat(KernelMarkTag.kernelName(KernelMarkTag.kernelId(tag))).isEqualTo(expected.get(k));
                    assertThat(batch.deviceNanos(i)).as("in queue order").isGreaterThanOrEqualTo(previous);
                    previous = batch.deviceNanos(i);
                    i++;
                }
                assertThat(batch.tag(i++)).isEqualTo(LayerMarkTag.end(0, layer));
            }
            assertThat(batch.size()).isEqualTo(i).isEqualTo(2 * 13 + 1);
        }
    }

    @Test
    void aPassThatDoesNotWantKernelMarksMarksOnlyLayerBoundaries() {
        try (OpenClGpt2Model cl = new OpenClGpt2Model(SeededInit.weights(SMALL, 2), OpenClTestDevices.kernels());
             ProfilingTestTimeline timeline = new ProfilingTestTimeline();
             KvCache cache = cl.newCache()) {
            cl.setDeviceTimeline(timeline);
            cl.forward(new int[] {3, 4, 5}, cache, new KernelMarks(true, -1));
            cl.forward(new int[] {6}, cache, new KernelMarks(false, -1));
            DeviceMarkBatch batch = drain(timeline);

            List<Long> second = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (!KernelMarkTag.isKernel(batch.tag(i)) && LayerMarkTag.pass(batch.tag(i)) == 1) {
                    second.add(batch.tag(i));
                }
            }
            assertThat(batch.size()).isEqualTo(2 * 13 + 2 * 2);
            assertThat(second).containsExactly(LayerMarkTag.start(1, 0), LayerMarkTag.end(1, 0),
                    LayerMarkTag.start(1, 1), LayerMarkTag.end(1, 1));
        }
    }
}
