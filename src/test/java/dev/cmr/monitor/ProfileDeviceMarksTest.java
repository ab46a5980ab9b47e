package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.DeviceTimeline;
import dev.cmr.monitor.device.LayerMarkTag;
import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.DeviceSpan;
import dev.cmr.monitor.profile.PassTrace;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** The monitor hands an attached timeline's marks to its profiled blocks, draining before it reads the results. */
class ProfileDeviceMarksTest {
    /** Resolves what the test queues, as an {@code opencl} timeline would. */
    private static final class QueuedMarks implements DeviceTimeline {
        final ArrayDeque<long[]> resolved = new ArrayDeque<>();

        @Override
        public String backend() {
            return "opencl";
        }

        @Override
        public boolean mark(long queueHandle, long tag) {
            return false;
        }

        @Override
        public int drain(DeviceMarkBatch into) {
            into.clear();
            while (!resolved.isEmpty() && into.size() < into.capacity()) {
                long[] m = resolved.poll();
                into.add(m[0], m[1], m[2]);
            }
            into.errorBoundNanos(25);
            return into.size();
        }

        @Override
        public long droppedMarks() {
            return 0;
        }

        @Override
        public long failedMarks() {
            return 0;
        }

        @Override
        public String lastError() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void marksResolvedBeforeTheResultsAreReadBecomeTheBlocksDeviceSpansWithTheTimelinesBackend() {
        QueuedMarks timeline = new QueuedMarks();
        MonitoringConfig manual = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(manual)) {
            monitor.attachDeviceTimeline(timeline);
            monitor.enableProfiling();
            long enqueued;
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                long start = System.nanoTime();
                enqueued = System.nanoTime();
                monitor.recordLayerSpan(0, start, System.nanoTime());
            }
            timeline.resolved.add(new long[] {LayerMarkTag.start(0, 0), enqueued + 1_000, enqueued});
            timeline.resolved.add(new long[] {LayerMarkTag.end(0, 0), enqueued + 9_000, enqueued + 10});
            monitor.disableProfiling(); // marks enqueued while profiling was on still count

            PassTrace pass = (PassTrace) monitor.profileTraces().get(0).passes().get(0);
            assertThat(pass.deviceSpans()).containsExactly(
                    new DeviceSpan(0, 0, null, enqueued, enqueued + 1_000, enqueued + 9_000));
            assertThat(pass.clockErrorBoundNanos()).isEqualTo(25);
            assertThat(monitor.getProfileResults().execution("forward").backend()).isEqualTo(Backend.OPENCL);
            assertThat(monitor.getProfileResults().execution("forward").layer(0).deviceNanos()).isEqualTo(8_000.0);
        }
    }
}
