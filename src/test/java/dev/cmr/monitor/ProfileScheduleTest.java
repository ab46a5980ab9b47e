package dev.cmr.monitor;

import static dev.cmr.monitor.ProfileSchedule.Step.ACTIVE;
import static dev.cmr.monitor.ProfileSchedule.Step.DONE;
import static dev.cmr.monitor.ProfileSchedule.Step.SKIP;
import static dev.cmr.monitor.ProfileSchedule.Step.WARMUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ProfileScheduleTest {
    private static List<ProfileSchedule.Step> steps(ProfileSchedule s, int n) {
        return LongStream.range(0, n).mapToObj(s::step).toList();
    }

    @Test
    void cyclesSkipThenWarmupThenActiveAndStopAfterTheRepeats() {
        assertThat(steps(new ProfileSchedule(2, 1, 2, 2), 12)).containsExactly(
                SKIP, SKIP, WARMUP, ACTIVE, ACTIVE,
                SKIP, SKIP, WARMUP, ACTIVE, ACTIVE,
                DONE, DONE);
    }

    @Test
    void zeroRepeatsCyclesForEver() {
        ProfileSchedule s = new ProfileSchedule(1, 0, 1, 0);
        assertThat(s.step(1_000_000_000_000L)).isEqualTo(SKIP);
        assertThat(s.step(1_000_000_000_001L)).isEqualTo(ACTIVE);
    }

    @Test
    void theLargestCountsNeitherOverflowNorStopEarly() {
        int max = Integer.MAX_VALUE;
        ProfileSchedule s = new ProfileSchedule(max, max, max, max);
        long cycle = 3L * max; // cycle * repeat is beyond a long
        assertThat(s.step(0)).isEqualTo(SKIP);
        assertThat(s.step(cycle * 5 + max)).isEqualTo(WARMUP);
        assertThat(s.step(cycle * 1_000_000 + 2L * max + 5)).isEqualTo(ACTIVE);
        ProfileSchedule fewer = new ProfileSchedule(max, max, max, 1_000);
        assertThat(fewer.step(cycle * 1_000 - 1)).isEqualTo(ACTIVE);
        assertThat(fewer.step(cycle * 1_000)).isEqualTo(DONE);
    }

    @Test
    void badCountsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new ProfileSchedule(-1, 0, 1, 0)).hasMessage("skip must be >= 0, was -1");
        assertThatThrownBy(() -> new ProfileSchedule(0, -2, 1, 0)).hasMessage("warmup must be >= 0, was -2");
        assertThatThrownBy(() -> new ProfileSchedule(0, 0, 0, 0)).hasMessageStartingWith("active must be >= 1");
        assertThatThrownBy(() -> new ProfileSchedule(0, 0, 1, -1)).hasMessage("repeat must be >= 0, was -1");
    }
}
