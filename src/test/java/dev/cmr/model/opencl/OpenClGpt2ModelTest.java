package dev.cmr.model.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.model.BlockListener;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.Gpt2Weights;
import dev.cmr.model.KvCache;
import dev.cmr.model.SeededInit;
import dev.cmr.model.SharpWeights;
import dev.cmr.model.TokenSampler;
import dev.cmr.model.hooks.HiddenStates;
import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.LayerMarkTag;
import dev.cmr.testing.OpenClTestDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The OpenCL backend against the CPU backend on the same weights, on a real OpenCL device. */
class OpenClGpt2ModelTest {
    private static final Gpt2Config SMALL = new Gpt2Config(37, 24, 16, 3, 4, 1e-5);


    private static int[] tokens(SplittableRandom random, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = random.nextInt(vocab);
        }
        return t;
    }

    private static void assertLogitsClose(float[][] actual, float[][] expected) {
        LogitAssertions.assertRowsClose(actual, expected, 1e-4);
    }

    @Test
    void demoSizeLogitsEqualTheCpuBackend() {
        Gpt2Weights weights = SeededInit.weights(Gpt2Config.demo(), 42);
        int[] input = tokens(new SplittableRandom(1), 32, Gpt2Config.demo().vocabSize());
        try (Gpt2Model cpu = new Gpt2Model(weights);
             OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels())) {
            assertLogitsClose(cl.logits(input), cpu.logits(input));
        }
    }

    @Test
    void smallSharpModelLogitsEqualTheCpuBackend() {
        Gpt2Weights weights = SharpWeights.of(SMALL, 3);
        try (Gpt2Model cpu = new Gpt2Model(weights);
             OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels())) {
            SplittableRandom random = new SplittableRandom(4);
            for (int n : new int[] {1, 5, 17, 24}) {
                int[] input = tokens(random, n, SMALL.vocabSize());
                assertLogitsClose(cl.logits(input), cpu.logits(input));
            }
        }
    }

    @Test
    void incrementalDecodingWithTheDeviceKvCacheEqualsTheCpuBackend() {
        Gpt2Weights weights = SeededInit.weights(Gpt2Config.demo(), 7);
        SplittableRandom random = new SplittableRandom(8);
        try (Gpt2Model cpu = new Gpt2Model(weights);
             OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels());
             KvCache cpuCache = cpu.newCache(); KvCache clCache = cl.newCache()) {
            for (int chunk : new int[] {20, 7, 1, 1, 33, 1}) {
                int[] input = tokens(random, chunk, Gpt2Config.demo().vocabSize());
                assertLogitsClose(cl.forward(input, clCache, BlockListener.NONE),
                        cpu.forward(input, cpuCache, BlockListener.NONE));
            }
            assertThat(clCache.length()).isEqualTo(cpuCache.length()).isEqualTo(63);
        }
    }

    @Test
    void incrementalLogitsEqualAFullPassOnTheDevice() {
        Gpt2Weights weights = SharpWeights.of(SMALL, 5);
        int[] all = {1, 2, 3, 4, 5, 6, 7};
        try (OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels());
             KvCache cache = cl.newCache()) {
            float[][] full = cl.logits(all);
            cl.forward(new int[] {1, 2, 3}, cache, BlockListener.NONE);
            float[][] rest = cl.forward(new int[] {4, 5, 6, 7}, cache, BlockListener.NONE);
            assertLogitsClose(rest, java.util.Arrays.copyOfRange(full, 3, 7));
        }
    }

    @Test
    void greedyGenerationMatchesTheCpuBackend() {
        Gpt2Weights weights = SharpWeights.of(SMALL, 6);
        try (Gpt2Model cpu = new Gpt2Model(weights);
             OpenClGpt2Model cl = OpenClGpt2Model.seeded(SMALL, 0, OpenClTestDevices.device());
             OpenClGpt2Model same = new OpenClGpt2Model(weights, OpenClTestDevices.kernels())) {
            assertThat(cl.description()).isEqualTo("opencl: " + OpenClTestDevices.device());
            int[] prompt = {4, 8, 15, 16};
            assertThat(same.generate(prompt, 12, TokenSampler.greedy(), -1))
                    .containsExactly(cpu.generate(prompt, 12, TokenSampler.greedy(), -1));
        }
    }

    /** Records what a device backend hands the listener, and optionally changes one layer's states. */
    private static final class Probe implements BlockListener {
        final boolean[] wanted;
        final int modifyLayer;
        final boolean timeSync;
        final List<String> events = new ArrayList<>();
        final float[][][] hidden;
        final float[][] attention;
        final long[] syncNanos;

        Probe(int layers, boolean[] wanted, int modifyLayer, boolean timeSync) {
            this.wanted = wanted;
            this.modifyLayer = modifyLayer;
            this.timeSync = timeSync;
            hidden = new float[layers][][];
            attention = new float[layers][];
            syncNanos = new long[layers];
        }

        @Override
        public void beforeBlock(int layer) {
            events.add("before " + layer);
        }

        @Override
        public boolean wantsHiddenStates(int layer) {
            return wanted[layer];
        }

        @Override
        public boolean wantsAttention(int layer) {
            return wanted[layer];
        }

        @Override
        public boolean wantsSyncWaits() {
            return timeSync;
        }

        @Override
        public void syncWait(int layer, long startNanos, long endNanos) {
            events.add("sync " + layer);
            syncNanos[layer] += endNanos - startNanos;
        }

        @Override
        public void afterBlock(int layer, HiddenStates states, float[] received) {
            events.add("after " + layer + (states == null ? " without states" : " with states"));
            if (states != null) {
                hidden[layer] = states.toArray();
                attention[layer] = received;
                if (layer == modifyLayer) {
                    for (int t = 0; t < states.positions(); t++) {
                        for (int j = 0; j < states.hiddenSize(); j++) {
                            states.set(t, j, states.get(t, j) * 0.5f + 0.25f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void onlyLayersTheListenerAsksForAreReadBackAndOnlyTheirReadsAreTimed() {
        Gpt2Weights weights = SharpWeights.of(SMALL, 9);
        int[] input = {3, 14, 15, 9, 26, 5};
        boolean[] wanted = {false, true, false};
        try (Gpt2Model cpu = new Gpt2Model(weights);
             OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels())) {
            Probe onDevice = new Probe(3, wanted, -1, true);
            Probe onHost = new Probe(3, wanted, -1, false);
            try (KvCache c1 = cl.newCache(); KvCache c2 = cpu.newCache()) {
                cl.forward(input, c1, onDevice);
                cpu.forward(input, c2, onHost);
            }
            assertThat(onDevice.events).containsExactly("before 0", "after 0 without states", "before 1", "sync 1",
                    "after 1 with states", "before 2", "after 2 without states");
            assertThat(onDevice.syncNanos[1]).as("the blocking read of layer 1 took host time").isPositive();
            assertThat(onDevice.syncNanos[0]).isZero();
            assertThat(onDevice.syncNanos[2]).isZero();
            assertLogitsClose(onDevice.hidden[1], onHost.hidden[1]);
            assertLogitsClose(new float[][] {onDevice.attention[1]}, new float[][] {onHost.attention[1]});

            Probe untimed = new Probe(3, wanted, -1, false);
            try (KvCache c = cl.newCache()) {
                cl.forward(input, c, untimed);
            }
            assertThat(untimed.events).as("no sync waits reported unless asked").noneMatch(e -> e.startsWith("sync"));
        }
    }

    @Test
    void hiddenStatesTheListenerChangesAreWrittenBackToTheDevice() {
        Gpt2Weights weights = SharpWeights.of(SMALL, 10);
        int[] input = {7, 1, 30, 2, 2, 11, 36};
        boolean[] wanted = {false, true, false};
        try (Gpt2Model cpu = new Gpt2Model(weights);
             OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels());
             KvCache c1 = cl.newCache(); KvCache c2 = cpu.newCache()) {
            float[][] changedOnDevice = cl.forward(input, c1, new Probe(3, wanted, 1, true));
            float[][] changedOnHost = cpu.forward(input, c2, new Probe(3, wanted, 1, false));
            assertLogitsClose(changedOnDevice, changedOnHost);
            float[][] unchanged = cl.logits(input);
            assertThat(changedOnDevice[6]).as("the change reached the later layers").isNotEqualTo(unchanged[6]);
        }
    }

    @Test
    void everyLayerOfEveryPassGetsAStartAndAnEndMarkInOrderWithDeviceTimeBetween() {
        Gpt2Weights weights = SeededInit.weights(SMALL, 12);
        try (OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels());
             ProfilingTestTimeline timeline = new ProfilingTestTimeline()) {
            cl.logits(new int[] {1, 2});
            cl.setDeviceTimeline(timeline);
            int passes = 4;
            try (KvCache cache = cl.newCache()) {
                for (int p = 0; p < passes; p++) {
                    cl.forward(new int[] {3, 4, 5}, cache, new Probe(3, new boolean[] {true, false, true}, -1, true));
                }
            }
            cl.setDeviceTimeline(null);
            cl.logits(new int[] {1, 2}); // no marks any more
            OpenClTestDevices.kernels().finish();

            DeviceMarkBatch batch = new DeviceMarkBatch(1000);
            int n = timeline.drain(batch);
            assertThat(n).isEqualTo(passes * SMALL.layers() * 2);
            assertThat(timeline.failedMarks()).isZero();
            int i = 0;
            long previous = Long.MIN_VALUE;
            // Pass numbers count from 1 here: pass 0 was the unmarked one before the timeline was set.
            for (int pass = 1; pass <= passes; pass++) {
                for (int layer = 0; layer < SMALL.layers(); layer++) {
                    assertThat(batch.tag(i)).isEqualTo(LayerMarkTag.start(pass, layer));
                    assertThat(batch.tag(i + 1)).isEqualTo(LayerMarkTag.end(pass, layer));
                    long start = batch.deviceNanos(i);
                    long end = batch.deviceNanos(i + 1);
                    assertThat(start).as("marks resolve in queue order").isGreaterThanOrEqualTo(previous);
                    assertThat(end - start).as("device time of pass %d layer %d", pass, layer).isPositive();
                    previous = end;
                    i += 2;
                }
            }
        }
    }

    @Test
    void aCacheFromAnotherBackendIsRejectedByName() {
        Gpt2Weights weights = SeededInit.weights(SMALL, 1);
        try (Gpt2Model cpu = new Gpt2Model(weights);
             OpenClGpt2Model cl = new OpenClGpt2Model(weights, OpenClTestDevices.kernels());
             KvCache hostCache = cpu.newCache(); KvCache deviceCache = cl.newCache()) {
            assertThatThrownBy(() -> cl.forward(new int[] {1}, hostCache, BlockListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cache was made by another backend, not by this OpenCL model");
            assertThatThrownBy(() -> cpu.forward(new int[] {1}, deviceCache, BlockListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cache was made by another backend, not by this CPU model");
        }
    }

    @Test
    void badTokensAndClosedModelsFailWithClearErrors() {
        OpenClGpt2Model cl = new OpenClGpt2Model(SeededInit.weights(SMALL, 1), OpenClTestDevices.kernels());
        assertThatThrownBy(() -> cl.logits(new int[] {1, 37})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokenIds[1] must be in [0, 37), was 37");
        assertThatThrownBy(() -> cl.logits(new int[25])).hasMessage("sequence of 25 positions exceeds n_positions 24");
        cl.close();
        cl.close();
        assertThatThrownBy(() -> cl.logits(new int[] {1})).isInstanceOf(IllegalStateException.class)
                .hasMessage("model is closed");
    }
}
