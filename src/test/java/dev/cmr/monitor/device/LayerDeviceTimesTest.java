package dev.cmr.monitor.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerDeviceTimesTest {
    private final ScriptedTimeline timeline = new ScriptedTimeline();
    private final List<long[]> recorded = new ArrayList<>();
    private final LayerDeviceTimes times = new LayerDeviceTimes(timeline,
            (layer, nanos) -> recorded.add(new long[] {layer, nanos}), 4, 3);

    @Test
    void pairsStartAndEndOfTheSamePassAndLayerAcrossBatchesAndDrains() {
        for (int layer = 0; layer < 3; layer++) { // 6 marks through a batch of 4: two rounds in one drain
            timeline.resolve(LayerMarkTag.start(7, layer), 1_000 + layer * 100);
            timeline.resolve(LayerMarkTag.end(7, layer), 1_050 + layer * 100 + layer);
        }
        timeline.resolve(LayerMarkTag.start(8, 0), 5_000);
        assertThat(times.drain()).isEqualTo(3);
        assertThat(times.pendingStarts()).isEqualTo(1);

        timeline.resolve(LayerMarkTag.end(8, 0), 5_400);
        assertThat(times.drain()).isEqualTo(1);

        assertThat(recorded).containsExactly(new long[] {0, 50}, new long[] {1, 51}, new long[] {2, 52},
                new long[] {0, 400});
        DeviceStats stats = times.stats();
        assertThat(stats.resolvedMarks()).isEqualTo(8);
        assertThat(stats.layerTimes()).isEqualTo(4);
        assertThat(stats.unmatchedMarks()).isZero();
        assertThat(stats.clockErrorBoundNanos()).isEqualTo(500);
    }

    @Test
    void kernelMarksBetweenALayersMarksGiveNoLayerTimeAndEveryBatchReachesTheMarkSink() {
        List<Long> seen = new ArrayList<>();
        LayerDeviceTimes withSink = new LayerDeviceTimes(timeline,
                (layer, nanos) -> recorded.add(new long[] {layer, nanos}), batch -> {
                    for (int i = 0; i < batch.size(); i++) {
                        seen.add(batch.tag(i));
                    }
                }, 4, 3);
        timeline.resolve(LayerMarkTag.start(2, 1), 1_000);
        for (int k = 0; k < 4; k++) {
            timeline.resolve(KernelMarkTag.of(2, 1, 0, k), 1_100 + k);
        }
        timeline.resolve(LayerMarkTag.end(2, 1), 1_500);

        assertThat(withSink.drain()).isEqualTo(1);
        assertThat(recorded).containsExactly(new long[] {1, 500});
        assertThat(withSink.stats().unmatchedMarks()).as("kernel marks are not starts").isZero();
        assertThat(withSink.pendingStarts()).isZero();
        assertThat(withSink.stats().resolvedMarks()).isEqualTo(6);
        assertThat(seen).hasSize(6).startsWith(LayerMarkTag.start(2, 1)).endsWith(LayerMarkTag.end(2, 1));
    }

    @Test
    void endWithoutStartAndRepeatedStartAreCountedAsUnmatched() {
        timeline.resolve(LayerMarkTag.end(1, 4), 900);
        timeline.resolve(LayerMarkTag.start(2, 4), 1_000);
        timeline.resolve(LayerMarkTag.start(2, 4), 1_100);
        timeline.resolve(LayerMarkTag.end(2, 4), 1_300);

        assertThat(times.drain()).isEqualTo(1);
        assertThat(recorded).containsExactly(new long[] {4, 200});
        assertThat(times.stats().unmatchedMarks()).isEqualTo(2);
    }

    @Test
    void pendingStartsAreBoundedByDroppingTheOldest() {
        for (int pass = 0; pass < 5; pass++) {
            timeline.resolve(LayerMarkTag.start(pass, 0), pass * 1_000L);
        }
        times.drain();
        assertThat(times.pendingStarts()).isEqualTo(3);
        assertThat(times.stats().unmatchedMarks()).isEqualTo(2);

        timeline.resolve(LayerMarkTag.end(0, 0), 10); // its start was the oldest, already given up
        timeline.resolve(LayerMarkTag.end(4, 0), 4_250);
        times.drain();
        assertThat(recorded).containsExactly(new long[] {0, 250});
        assertThat(times.stats().unmatchedMarks()).isEqualTo(3);
    }

    @Test
    void endBeforeStartIsCountedAsInvertedAndNotRecorded() {
        timeline.resolve(LayerMarkTag.start(3, 1), 2_000);
        timeline.resolve(LayerMarkTag.end(3, 1), 1_999);
        times.drain();
        assertThat(recorded).isEmpty();
        assertThat(times.stats().invertedMarks()).isEqualTo(1);
    }

    @Test
    void statsCarryTheTimelinesLossesAndLastError() {
        DeviceStats stats = times.stats();
        assertThat(stats.toMap()).containsEntry("backend", "scripted").containsEntry("dropped_marks", 3L)
                .containsEntry("failed_marks", 1L).containsEntry("clock_error_bound_ns", -1L)
                .containsEntry("last_error", "clEnqueueMarkerWithWaitList: CL_INVALID_COMMAND_QUEUE (-36)");
    }

    @Test
    void layerMarkTagsRoundTripPassLayerAndBoundary() {
        long start = LayerMarkTag.start(123_456_789L, LayerMarkTag.MAX_LAYER);
        long end = LayerMarkTag.end(123_456_789L, LayerMarkTag.MAX_LAYER);
        assertThat(LayerMarkTag.pass(end)).isEqualTo(123_456_789L);
        assertThat(LayerMarkTag.layer(end)).isEqualTo(LayerMarkTag.MAX_LAYER);
        assertThat(LayerMarkTag.isEnd(end)).isTrue();
        assertThat(LayerMarkTag.isEnd(start)).isFalse();
        assertThat(end & ~1L).isEqualTo(start);
    }

    @Test
    void rejectsMissingCollaboratorsByName() {
        assertThatThrownBy(() -> new LayerDeviceTimes(null, (l, n) -> { }, 4, 4))
                .hasMessage("timeline must not be null");
        assertThatThrownBy(() -> new LayerDeviceTimes(timeline, (l, n) -> { }, 4, 0))
                .hasMessage("maxPendingStarts must be >= 1, was 0");
        assertThatThrownBy(() -> new DeviceMarkBatch(0)).hasMessage("capacity must be >= 1, was 0");
    }
}
