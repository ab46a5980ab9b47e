package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.alert.AlertNotification;
import dev.cmr.monitor.engine.SnapshotService;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.profile.ProfiledPass;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalListener;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The listener seams exporters attach to: intervals, alert notifications, profiled passes. */
class ListenerSeamsTest {
    private static final MonitoringConfig CONFIG = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).alertChannels(List.of("log")).build();

    @Test
    void intervalListenersGetEachIntervalWithHistogramsThatAddUpToItsCounts() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            List<IntervalSnapshot> seen = new CopyOnWriteArrayList<>();
            List<Map<Stage, Histogram>> histograms = new CopyOnWriteArrayList<>();
            monitor.addIntervalListener((interval, h) -> {
                seen.add(interval);
                histograms.add(h);
            });
            for (int i = 0; i < 40; i++) {
                monitor.recordLayer(i % 3, 1_000L + i);
            }
            IntervalSnapshot first = monitor.collectInterval();
            monitor.recordCapture(0, 2, 5_000L);
            IntervalSnapshot second = monitor.collectInterval();

            assertThat(seen).containsExactly(first, second);
            assertThat(histograms.get(0)).containsOnlyKeys(Stage.LAYER);
            assertThat(histograms.get(0).get(Stage.LAYER).getTotalCount()).isEqualTo(40);
            assertThat(histograms.get(0).get(Stage.LAYER).getValueAtPercentile(99.0))
                    .isEqualTo(first.layer().p99Nanos());
            assertThat(histograms.get(1)).containsOnlyKeys(Stage.CAPTURE);
            assertThat(histograms.get(1).get(Stage.CAPTURE).getStartTimeStamp())
                    .isEqualTo(second.startEpochMillis());
        }
    }

    @Test
    void listenersThatWantNoHistogramsGetNoneAndAThrowingListenerIsCounted() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            List<Map<Stage, Histogram>> got = new CopyOnWriteArrayList<>();
            monitor.addIntervalListener(new IntervalListener() {
                @Override
                public void intervalClosed(IntervalSnapshot interval, Map<Stage, Histogram> histograms) {
                    got.add(histograms);
                }

                @Override
                public boolean wantsHistograms() {
                    return false;
                }
            });
            monitor.addIntervalListener(new IntervalListener() {
                @Override
                public void intervalClosed(IntervalSnapshot interval, Map<Stage, Histogram> histograms) {
                    throw new IllegalStateException("listener broke");
                }

                @Override
                public boolean wantsHistograms() {
                    return false;
                }
            });
            monitor.recordLayer(0, 1_000L);
            monitor.collectInterval();

            assertThat(got).singleElement().satisfies(h -> assertThat(h).isEmpty());
            assertThat(monitor.getStats().errorsByComponent()).containsKey(SnapshotService.LISTENER_COMPONENT);
            assertThat(monitor.getStats().lastErrors().get(SnapshotService.LISTENER_COMPONENT).message())
                    .isEqualTo("listener broke");
        }
    }

    @Test
    void alertListenersSeeNotificationsWithoutACallbackChannel() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            List<AlertNotification> seen = new CopyOnWriteArrayList<>();
            monitor.alerts().addListener(seen::add);
            monitor.alerts().addListener(n -> {
                throw new IllegalStateException("broken listener");
            });
            monitor.recordForward(1_000_000L);
            for (int i = 0; i < 5; i++) {
                monitor.recordError("retrieval", new IllegalStateException("index gone"));
            }
            monitor.collectInterval();
            monitor.evaluateHealth();

            assertThat(seen).isNotEmpty().allSatisfy(n -> assertThat(n.status())
                    .isEqualTo(AlertNotification.Status.FIRING));
            assertThat(monitor.alerts().listenerFailures()).isEqualTo(seen.size());
            assertThat(monitor.alerts().channelStats()).extracting(c -> c.name()).doesNotContain("listener");
        }
    }

    @Test
    void passListenersGetEachKeptPassOnTheClosingThreadButNotWarmupOrNoOpBlocks() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            monitor.addPassListener((block, pass) -> seen.add(block + "@" + Thread.currentThread().getName()
                    + ":" + layers(pass)));
            try (ProfileBlock off = monitor.profileExecution("off")) {
                monitor.recordLayer(0, 1_000L);
            }
            monitor.enableProfiling();
            monitor.setProfileSchedule(new ProfileSchedule(0, 1, 1, 1));
            try (ProfileBlock warm = monitor.profileExecution("warm")) {
                monitor.recordLayer(0, 1_000L);
            }
            try (ProfileBlock kept = monitor.profileExecution(null)) {
                monitor.recordLayer(2, 1_000L);
            }

            assertThat(seen).containsExactly("unknown@" + Thread.currentThread().getName() + ":[2]");
        }
    }

    private static Object layers(ProfiledPass pass) {
        return ((PassDurations) pass).layers().keySet();
    }
}
