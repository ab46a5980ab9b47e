package dev.cmr.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.ExecutionTrace;
import dev.cmr.monitor.profile.LayerDurations;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.profile.ProfiledPass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSessionsTest {
    private static PassDurations pass(long wall) {
        return new PassDurations(wall, Map.of(0, LayerDurations.of(wall, 0, null)));
    }

    @Test
    void beyondTheBoundTheOldestPassesAreDroppedAndCounted() {
        ProfileSessions sessions = new ProfileSessions(3);
        sessions.enable();
        for (long wall = 1; wall <= 5; wall++) {
            sessions.add("forward", sessions.session(), pass(wall));
        }

        ExecutionTrace trace = sessions.traces().get(0);
        assertThat(trace.passes()).extracting(ProfiledPass::wallNanos).containsExactly(3L, 4L, 5L);
        assertThat(trace.droppedSpans()).isEqualTo(2);
        assertThat(sessions.results().execution("forward").droppedSpans()).isEqualTo(2);
        assertThat(sessions.results().execution("forward").wallNanos()).isEqualTo(4.0);
    }

    @Test
    void spansABlockCouldNotKeepAddToTheDroppedCountWithDroppedPasses() {
        ProfileSessions sessions = new ProfileSessions(1);
        sessions.add("forward", sessions.session(), pass(1), 40, 0, 1);
        sessions.add("forward", sessions.session(), pass(2), 2, 1, 3);

        assertThat(sessions.traces().get(0).droppedSpans()).isEqualTo(40 + 2 + 1);
    }

    @Test
    void theDefaultBoundIsTenThousandPassesPerName() {
        assertThat(ProfileSessions.MAX_PASSES_PER_NAME).isEqualTo(10_000);
        ProfileSessions sessions = new ProfileSessions();
        for (long wall = 0; wall < 10_001; wall++) {
            sessions.add("forward", sessions.session(), pass(wall));
        }
        ExecutionTrace trace = sessions.traces().get(0);
        assertThat(trace.passes()).hasSize(10_000);
        assertThat(trace.passes().get(0).wallNanos()).isEqualTo(1);
        assertThat(trace.droppedSpans()).isEqualTo(1);
    }

    @Test
    void aPassOpenedInAnEarlierSessionIsDropped() {
        ProfileSessions sessions = new ProfileSessions();
        sessions.enable();
        long opened = sessions.session();
        sessions.reset();

        sessions.add("forward", opened, pass(1));

        assertThat(sessions.traces()).isEmpty();
    }

    @Test
    void tracesHaveBackendNoneAndNoResourceSamples() {
        ProfileSessions sessions = new ProfileSessions();
        sessions.add("forward", sessions.session(), pass(1));

        ExecutionTrace trace = sessions.traces().get(0);
        assertThat(trace.backend()).isEqualTo(Backend.NONE);
        assertThat(trace.resourceSamples()).isEmpty();
        assertThat(trace.throttled()).isFalse();
    }

    @Test
    void anExecutionGetsTheResourceSamplesOverItsPassesWindow() {
        ProfileSessions sessions = new ProfileSessions();
        long[] asked = new long[2];
        sessions.resources((from, to) -> {
            asked[0] = from;
            asked[1] = to;
            return Map.of("host.system_cpu_percent", List.of(new double[] {from, 50}, new double[] {to, 70}));
        });
        sessions.add("forward", sessions.session(), pass(5), 0, 1_000, 1_005);
        sessions.add("forward", sessions.session(), pass(7), 0, 2_000, 2_007);

        ExecutionTrace trace = sessions.traces().get(0);

        assertThat(asked).containsExactly(1_000, 2_007);
        assertThat(trace.resourceSamples().get("host.system_cpu_percent")).hasSize(2);
        assertThat(trace.throttled()).isFalse();
    }

    @Test
    void aClockEventReasonOtherThanIdleInsideTheWindowMarksTheExecutionThrottled() {
        ProfileSessions sessions = new ProfileSessions();
        double idle = 0x1;
        double powerCap = 0x4;
        sessions.resources((from, to) -> Map.of("nvml0.gpu_clock_event_reasons",
                List.of(new double[] {from - 10, powerCap}, new double[] {from + 1, idle},
                        new double[] {to + 10, powerCap})));
        sessions.add("idle-around", sessions.session(), pass(5), 0, 1_000, 1_005);
        assertThat(sessions.traces().get(0).throttled())
                .as("a slowdown seen only before and after the window did not provably overlap it").isFalse();

        sessions.resources((from, to) -> Map.of("nvml0.gpu_clock_event_reasons",
                List.of(new double[] {from + 1, powerCap + idle})));
        assertThat(sessions.traces().get(0).throttled()).isTrue();
    }

    @Test
    void passesWithoutAWindowGetNoResourceSamples() {
        ProfileSessions sessions = new ProfileSessions();
        sessions.resources((from, to) -> {
            throw new AssertionError("asked for a window no pass gave");
        });
        sessions.add("forward", sessions.session(), pass(5));

        assertThat(sessions.traces().get(0).resourceSamples()).isEmpty();
    }
}
