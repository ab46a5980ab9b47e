package dev.cmr.monitor.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CopyOwnTimesTest {
    private final Recording recording = new Recording(new SlotLayout(2));

    @Test
    void copiesTheCallingThreadsCountAndSumPerStageAndLayer() {
        recording.recordLayer(1, 300);
        recording.recordLayer(1, 200);
        recording.recordSyncWait(0, 70);
        recording.recordCapture(0, 3, 2, 40);
        long[] into = new long[3 * 2 * 2];

        recording.copyOwnTimes(List.of(Stage.LAYER, Stage.SYNC_WAIT, Stage.CAPTURE), into);

        assertThat(into).containsExactly(
                0, 0, 2, 500,   // LAYER: layer 0, layer 1 (count, sum)
                1, 70, 0, 0,    // SYNC_WAIT
                1, 40, 0, 0);   // CAPTURE
    }

    @Test
    void anotherThreadsRecordsAreNotCopied() throws InterruptedException {
        Thread other = new Thread(() -> recording.recordLayer(0, 999));
        other.start();
        other.join();
        long[] into = new long[2 * 2];

        recording.copyOwnTimes(List.of(Stage.LAYER), into);

        assertThat(into).containsOnly(0);
        assertThat(recording.recorders()).hasSize(2); // the other thread's, and ours, registered by the copy
    }

    @Test
    void refusesForwardAndAShortArray() {
        assertThatThrownBy(() -> recording.copyOwnTimes(List.of(Stage.FORWARD), new long[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forward");
        assertThatThrownBy(() -> recording.copyOwnTimes(List.of(Stage.LAYER, Stage.DEVICE), new long[7]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 8 longs");
    }
}
