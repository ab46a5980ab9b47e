package dev.cmr.bench;

import dev.cmr.model.CmrConfig;
import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.Gpt2Weights;
import dev.cmr.model.SeededInit;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.model.opencl.OpenClGpt2Model;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.OpenClTimeline;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The demo's CMR set-up the forward-pass harnesses (ProfilingOverhead, ProfileFootprint) share: demo config, seeded
 * weights, capture at layers 1 and 3 and reweave at 4 and 5, the demo's memory and monitoring config, 32-token
 * passes of seeded tokens, and on OpenCL the demo's device timeline.
 */
final class DemoSetup {
    static final int CHUNK = 32;
    static final Gpt2Config CONFIG = Gpt2Config.demo();

    private DemoSetup() {
    }

    static CmrConfig cmrConfig() {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(48).maxTotalEntries(160)
                .relevanceThreshold(0.7).memoryWeight(0.3).build();
        return new CmrConfig(Set.of(1, 3), Set.of(4, 5), memory);
    }

    /** The demo's collection interval (marks are drained once per interval); no alert output in a benchmark. */
    static MonitoringConfig monitoring() {
        return MonitoringConfig.builder().metricCollectionInterval(0.25).enableAlerts(false).build();
    }

    static Gpt2Backend backend(boolean openCl) {
        Gpt2Weights weights = SeededInit.weights(CONFIG, 42);
        return openCl ? new OpenClGpt2Model(weights, OpenClDevice.first()) : new Gpt2Model(weights);
    }

    /** {@code count} sequences of one context's passes of {@link #CHUNK} seeded tokens each. */
    static int[][][] sequences(int count) {
        SplittableRandom random = new SplittableRandom(7);
        int[][][] sequences = new int[count][CONFIG.contextLength() / CHUNK][CHUNK];
        for (int[][] sequence : sequences) {
            for (int[] chunk : sequence) {
                for (int i = 0; i < CHUNK; i++) {
                    chunk[i] = random.nextInt(256);
                }
            }
        }
        return sequences;
    }

    /** On OpenCL, the demo's timeline bound to the backend and attached to the monitor; null on the CPU. */
    static OpenClTimeline bindTimeline(Gpt2Backend backend, CmrPerformanceMonitor monitor) {
        if (!(backend instanceof OpenClGpt2Model gpu)) {
            return null;
        }
        OpenClTimeline timeline = OpenClTimeline.open(gpu.queueHandle(), JournalSettings.defaults());
        gpu.setDeviceTimeline(timeline);
        monitor.attachDeviceTimeline(timeline);
        return timeline;
    }

    /** Unbinds and closes what {@link #bindTimeline} bound, after printing its counts; null does nothing. */
    static void unbindTimeline(Gpt2Backend backend, CmrPerformanceMonitor monitor, OpenClTimeline timeline) {
        if (timeline == null) {
            return;
        }
        ((OpenClGpt2Model) backend).setDeviceTimeline(null);
        monitor.attachDeviceTimeline(null);
        System.out.printf("timeline: %d marks enqueued, %d resolved, %d dropped, %d failed%n",
                timeline.enqueuedMarks(), timeline.resolvedMarks(), timeline.droppedMarks(), timeline.failedMarks());
        timeline.close();
    }
}
