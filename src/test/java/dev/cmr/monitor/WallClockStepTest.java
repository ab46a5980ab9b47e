package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.AlertState;
import dev.cmr.monitor.alert.Severity;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A wall clock set back and forward by hours while the monitor runs changes nothing it measures: two monitors see
 * the same records and the same monotonic clock, one with a steady wall clock, one whose wall clock steps back 3 h
 * and later forward 5 h; interval lengths, live window rates, health metrics and an alert with a {@code for:} hold
 * time come out the same, tick by tick.
 */
class WallClockStepTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final int TICKS = 12;
    private static final AlertRule LOW_EFFICIENCY = AlertRule.below("low capture efficiency",
            "memory_buffer.capture_efficiency", 0.5, Severity.WARNING).withFor(Duration.ofSeconds(3));

    /** What one tick of a run shows: everything a wall-clock step must not change. */
    private record Tick(long intervalMillis, int liveIntervals, double liveWindowSeconds, Double forwardsPerSecond,
                        Double capturesPerSecond, Map<String, Double> healthMetrics, AlertState alert,
                        List<String> notifications) {
    }

    private static List<Tick> run(boolean stepWallClock) {
        RealTimeMonitoringTest.ManualClock wall = new RealTimeMonitoringTest.ManualClock();
        AtomicLong nanos = new AtomicLong(5 * SECOND);
        // The collector never fires during the run (one hour); each tick closes its interval by hand.
        MonitoringConfig config = MonitoringConfig.builder().metricCollectionInterval(3600).liveWindow(3600)
                .enableResourceSampling(false).alertRules(List.of(LOW_EFFICIENCY)).build();
        List<Tick> ticks = new ArrayList<>();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config, wall, nanos::get)) {
            List<String> notified = new ArrayList<>();
            monitor.alerts().addListener(n -> notified.add(n.status() + " " + n.ruleName()));
            for (int tick = 0; tick < TICKS; tick++) {
                for (int i = 0; i <= tick; i++) {
                    monitor.recordForward(2_000_000L);
                    // Nothing stored from tick 2 on: the window's efficiency falls to 9 / 30 at tick 3.
                    monitor.recordCapture(0, 3, tick >= 2 ? 0 : 3, 100_000L);
                }
                nanos.addAndGet(SECOND);
                wall.millis.addAndGet(1000);
                if (stepWallClock && tick == 3) {
                    wall.millis.addAndGet(-3 * HOUR_MILLIS);
                }
                if (stepWallClock && tick == 7) {
                    wall.millis.addAndGet(5 * HOUR_MILLIS);
                }
                IntervalSnapshot interval = monitor.collectInterval();
                LiveStats live = monitor.getLiveStats();
                HealthReport health = monitor.evaluateHealth();
                ticks.add(new Tick(interval.endEpochMillis() - interval.startEpochMillis(), live.intervals(),
                        live.windowSeconds(), live.forwardsPerSecond(),
                        live.stage(dev.cmr.monitor.record.Stage.CAPTURE).perSecond(),
                        new TreeMap<>(health.metrics()), monitor.alerts().state(LOW_EFFICIENCY.name()),
                        List.copyOf(notified)));
            }
        }
        return ticks;
    }

    @Test
    void wallClockStepsMoveNoIntervalRateHealthMetricOrAlertHoldTime() {
        List<Tick> steady = run(false);
        List<Tick> stepped = run(true);

        // The steady run is what a monotonic monitor must show: 1 s intervals, and the alert firing 3 s after
        // its condition first held (tick 3 pending, tick 6 firing).
        assertThat(steady).extracting(Tick::intervalMillis).containsOnly(1000L);
        assertThat(steady.get(2).alert()).isEqualTo(AlertState.INACTIVE);
        assertThat(steady.get(3).alert()).isEqualTo(AlertState.PENDING);
        assertThat(steady.get(5).alert()).isEqualTo(AlertState.PENDING);
        assertThat(steady.get(6).alert()).isEqualTo(AlertState.FIRING);
        for (int tick = 0; tick < TICKS; tick++) {
            assertThat(stepped.get(tick)).as("tick %d with the wall clock stepped", tick).isEqualTo(steady.get(tick));
        }
    }
}
