package dev.cmr.monitor.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoDeviceTimelineTest {
    @Test
    void takesNoMarksResolvesNothingAndCountsNothingAsLost() {
        DeviceTimeline none = NoDeviceTimeline.INSTANCE;
        DeviceMarkBatch batch = new DeviceMarkBatch(4);
        batch.add(1, 2, 3);
        assertThat(none.backend()).isEqualTo("none");
        assertThat(none.mark(123, 1)).isFalse();
        assertThat(none.drain(batch)).isZero();
        assertThat(batch.size()).as("drain clears the batch").isZero();
        assertThat(none.droppedMarks()).isZero();
        assertThat(none.failedMarks()).isZero();
        assertThat(none.lastError()).isNull();
        none.close();
    }
}
