package dev.cmr.monitor.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import org.junit.jupiter.api.Test;

class MonitorDeviceTimesTest {
    @Test
    void attachedTimelineFeedsTheDeviceStagePerLayerAtEachSnapshot() {
        ScriptedTimeline timeline = new ScriptedTimeline();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            monitor.attachDeviceTimeline(timeline);
            timeline.resolve(LayerMarkTag.start(1, 0), 10_000);
            timeline.resolve(LayerMarkTag.end(1, 0), 40_000);
            timeline.resolve(LayerMarkTag.start(1, 1), 40_000);

            MonitorStats stats = monitor.getStats();
            assertThat(stats.timing(Stage.DEVICE).perLayer()).containsOnlyKeys(0);
            assertThat(stats.timing(Stage.DEVICE).overall().totalNanos()).isEqualTo(30_000);
            assertThat(stats.device().layerTimes()).isEqualTo(1);
            assertThat(stats.toMap()).containsKey("device");

            timeline.resolve(LayerMarkTag.end(1, 1), 45_000);
            IntervalSnapshot interval = monitor.collectInterval();
            assertThat(interval.device().count()).isEqualTo(2);
            assertThat(monitor.getStats().timing(Stage.DEVICE).perLayer()).containsOnlyKeys(0, 1);

            monitor.attachDeviceTimeline(null);
            assertThat(monitor.getStats().device()).isNull();
            assertThat(monitor.getStats().toMap()).doesNotContainKey("device");
        }
    }

    @Test
    void marksResolvedBeforeTheResultsAreReadBecomeTheProfiledBlocksDeviceSpansWithTheTimelinesBackend() {
        ScriptedTimeline timeline = new ScriptedTimeline(); // queued 1 us before the device reached each mark
        timeline.backend = "opencl";
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
            timeline.resolve(LayerMarkTag.start(0, 0), enqueued + 1_000);
            timeline.resolve(LayerMarkTag.end(0, 0), enqueued + 9_000);
            monitor.disableProfiling(); // marks enqueued while profiling was on still count

            ExecutionProfile profile = monitor.getProfileResults().execution("forward");
            assertThat(profile.backend()).isEqualTo(Backend.OPENCL);
            assertThat(profile.layer(0).deviceNanos()).isEqualTo(8_000.0);
            assertThat(profile.layer(0).launchDelayNanos()).isEqualTo(1_000.0);
            assertThat(profile.clockErrorBoundNanos()).isEqualTo(500);
        }
    }
}
