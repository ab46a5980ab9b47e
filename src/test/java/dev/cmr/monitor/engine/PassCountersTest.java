package dev.cmr.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.profile.LayerDurations;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassCountersTest {
    private final Recording recording = new Recording(new SlotLayout(3));

    @Test
    void theDifferenceOfTwoReadingsIsWhatTheThreadRecordedInBetween() {
        recording.recordLayer(0, 1_000);
        recording.recordCapture(0, 1, 1, 5);
        long[] start = PassCounters.read(recording);
        recording.recordLayer(0, 400);
        recording.recordSyncWait(0, 100);
        recording.recordCapture(0, 2, 1, 30);
        recording.recordRetrieval(0, 4, 2, true, 20);
        recording.recordReconstruction(0, 2, 10, 0.5);
        recording.recordEviction(2, 3); // counted, not timed: not a reason to list layer 2
        long[] end = PassCounters.read(recording);

        PassDurations pass = PassCounters.between(start, end, 3, 900);

        assertThat(pass.passNanos()).isEqualTo(900);
        assertThat(pass.layers()).containsOnlyKeys(0);
        assertThat(pass.layers().get(0)).isEqualTo(new LayerDurations(400, 100, null,
                Map.of(Stage.CAPTURE, 30L, Stage.RETRIEVAL, 20L, Stage.RECONSTRUCTION, 10L)));
    }

    @Test
    void oneDeviceRecordGivesEveryLayerOfThePassADeviceTime() {
        long[] start = PassCounters.read(recording);
        recording.recordLayer(0, 400);
        recording.recordDeviceTime(1, 700);
        long[] end = PassCounters.read(recording);

        PassDurations pass = PassCounters.between(start, end, 3, 2_000);

        assertThat(pass.layers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                0, LayerDurations.of(400, 0, 0L),
                1, LayerDurations.of(0, 0, 700L)));
    }

    @Test
    void aNegativeWallTimeCountsAsZero() {
        long[] reading = PassCounters.read(recording);

        assertThat(PassCounters.between(reading, reading, 3, -5).passNanos()).isZero();
        assertThat(PassCounters.between(reading, reading, 3, -5).layers()).isEmpty();
    }
}
