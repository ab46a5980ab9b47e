package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.record.Stage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timing map of {@link MonitorStats} covers exactly the stages marked timed in {@link Stage}. */
class MonitorStatsTest {

    private static List<Stage> markedTimed() {
        return Arrays.stream(Stage.values()).filter(Stage::timed).toList();
    }

    @Test
    void timingHasAnEntryForEveryTimedStageAndNoOther() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            MonitorStats stats = monitor.getStats();

            assertThat(stats.timing().keySet()).containsExactlyElementsOf(markedTimed());
            assertThat(MonitorStats.TIMED).containsExactlyElementsOf(markedTimed());
        }
    }

    @Test
    void timingJsonHasATimesGroupForEveryTimedStage() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> timing = (Map<String, Object>) monitor.getStats().toMap().get("timing");

            for (Stage stage : markedTimed()) {
                assertThat(timing).containsKey(stage.key() + "_times");
            }
            assertThat(timing).doesNotContainKey(Stage.EVICTION.key() + "_times");
        }
    }

    @Test
    void anUntimedStageHasNoTiming() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            assertThatThrownBy(() -> monitor.getStats().timing(Stage.EVICTION))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("stage EVICTION is not timed");
        }
    }
}
