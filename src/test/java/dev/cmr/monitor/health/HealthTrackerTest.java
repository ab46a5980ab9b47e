package dev.cmr.monitor.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {
    private static final HealthPolicy POLICY = new HealthPolicy(0.1, 0.5, 0.05, 2.0);
    private static final long WINDOW = 60_000;

    private final List<String> sinkErrors = new ArrayList<>();
    private final HealthTracker tracker = new HealthTracker(new HealthEvaluator(POLICY), WINDOW, 3, 0,
            (component, error) -> sinkErrors.add(component));

    /** A sample at {@code atMillis} with cumulative forwards and hook errors. */
    private static HealthSample sample(long atMillis, long forwards, long hookErrors) {
        IntervalWindow recent = IntervalWindow.of(List.of(
                Intervals.between(atMillis - 1000, atMillis).stage(Stage.FORWARD, 1, 1_000_000L).build()));
        return new HealthSample(atMillis, recent, IntervalWindow.of(List.of()), null, Map.of("hooks", hookErrors), 0,
                0, 0, forwards, forwards * 1_000_000L, null, null, null);
    }

    @Test
    void historyKeepsOnlyTheNewestReports() {
        for (int i = 1; i <= 5; i++) {
            tracker.evaluate(sample(i * 1000L, i, 0));
        }

        List<HealthReport> history = tracker.history();
        assertThat(history).hasSize(3);
        assertThat(history).extracting(HealthReport::timestampEpochMillis).containsExactly(3000L, 4000L, 5000L);
        assertThat(tracker.latest()).isSameAs(history.get(2));
    }

    @Test
    void hookErrorRateCoversOnlyTheWindowNotTheWholeRun() {
        // A burst of 50 hook errors in the first 100 passes, then 1000 clean passes over the next two minutes.
        HealthReport burst = tracker.evaluate(sample(10_000, 100, 50));
        tracker.evaluate(sample(70_000, 600, 50));
        HealthReport later = tracker.evaluate(sample(140_000, 1100, 50));

        assertThat(burst.component("hooks").status()).isEqualTo(HealthStatus.RED);
        assertThat(burst.metrics().get("hooks.error_rate")).isEqualTo(0.5);
        // The window's base is the sample at 70 s (the newest at least 60 s old): 0 errors in 500 passes.
        assertThat(later.metrics().get("hooks.error_rate")).isZero();
        assertThat(later.component("hooks").status()).isEqualTo(HealthStatus.GREEN);
        assertThat(later.component("hooks").details()).containsEntry("forward_passes", 500L)
                .containsEntry("window_seconds", 70.0);
    }

    @Test
    void everyListenerSeesEveryReportAndAThrowingOneIsCountedNotFatal() {
        List<HealthReport> seen = new ArrayList<>();
        tracker.addListener(r -> {
            throw new IllegalStateException("listener bug");
        });
        tracker.addListener(seen::add);

        HealthReport first = tracker.evaluate(sample(1000, 1, 0));
        HealthReport second = tracker.evaluate(sample(2000, 2, 0));

        assertThat(seen).containsExactly(first, second);
        assertThat(sinkErrors).containsExactly("health_listener", "health_listener");
    }

    @Test
    void resetForgetsReportsAndWindowedCounts() {
        tracker.evaluate(sample(1000, 100, 50));

        tracker.reset(2000);
        HealthReport after = tracker.evaluate(sample(3000, 10, 0));

        assertThat(tracker.history()).containsExactly(after);
        assertThat(after.component("hooks").details()).containsEntry("forward_passes", 10L)
                .containsEntry("hook_errors", 0L);
    }
}
