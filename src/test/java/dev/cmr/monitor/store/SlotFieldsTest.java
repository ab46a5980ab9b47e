package dev.cmr.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.RejectReason;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each value the record path takes lands in the slot field {@link SlotLayout} names for it: the writers fill stage
 * fields by position, the readers decode them by name, and this ties the two together.
 */
class SlotFieldsTest {
    private final Recording recording = new Recording(new SlotLayout(4));
    private final Aggregator aggregator = new Aggregator(recording, System::nanoTime, 0L);

    @Test
    void everyRecordedValueIsReadBackUnderItsName() {
        recording.recordCapture(1, 7, 5, 100);
        recording.recordReconstruction(2, 3, 200, 0.25);
        recording.recordReconstruction(2, 4, 300, Double.NaN);
        recording.recordRetrieval(3, 9, 4, true, 400);
        recording.recordRetrieval(3, 6, 2, false, 500);
        recording.recordEviction(0, 11);

        CumulativeSnapshot s = aggregator.refresh();

        assertThat(fields(s, Stage.CAPTURE, 1, SlotLayout.COUNT, SlotLayout.SUM,
                SlotLayout.CAPTURE_STATES_CAPTURED, SlotLayout.CAPTURE_STATES_STORED))
                .containsExactly(1, 100, 7, 5);
        assertThat(fields(s, Stage.RECONSTRUCTION, 2, SlotLayout.COUNT, SlotLayout.SUM,
                SlotLayout.RECONSTRUCTION_MEMORIES_USED, SlotLayout.RECONSTRUCTION_QUALITY_SUM_MILLIONTHS,
                SlotLayout.RECONSTRUCTION_QUALITY_SAMPLES))
                .containsExactly(2, 500, 7, 250_000, 1);
        assertThat(fields(s, Stage.RETRIEVAL, 3, SlotLayout.COUNT, SlotLayout.SUM,
                SlotLayout.RETRIEVAL_CANDIDATES, SlotLayout.RETRIEVAL_RETURNED, SlotLayout.RETRIEVAL_CACHE_HITS))
                .containsExactly(2, 900, 15, 6, 1);
        assertThat(fields(s, Stage.EVICTION, 0, SlotLayout.COUNT, SlotLayout.SUM, SlotLayout.EVICTION_ENTRIES))
                .containsExactly(1, 0, 11);
    }

    /** The values of {@code names} in the (stage, layer) slot, in the order given. */
    private static long[] fields(CumulativeSnapshot s, Stage stage, int layer, int... names) {
        long[] values = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = s.counter(stage, layer, names[i]);
        }
        return values;
    }

    @Test
    void aClosedIntervalReportsTheNamedFields() {
        recording.recordCapture(0, 7, 5, 100);
        recording.recordReconstruction(1, 3, 200, 0.5);
        recording.recordRetrieval(2, 9, 4, true, 400);
        recording.recordRetrieval(2, 6, 2, false, 500);
        recording.recordEviction(3, 11);
        recording.recordCapture(0, 1, 2, 100);

        IntervalSnapshot interval = aggregator.closeInterval(1_000L, 0L, null, Map.of());

        assertThat(interval.statesCaptured()).isEqualTo(7);
        assertThat(interval.statesStored()).isEqualTo(5);
        assertThat(interval.memoriesUsed()).isEqualTo(3);
        assertThat(interval.cacheHits()).isEqualTo(1);
        assertThat(interval.evictions()).isEqualTo(11);
        assertThat(interval.rejected()).isEqualTo(1);
    }

    @Test
    void eachRejectReasonCountsInItsOwnField() {
        recording.recordCapture(9, 1, 1, 100);
        recording.recordCapture(0, 1, 1, -1);
        recording.recordCapture(0, 1, 1, -1);
        recording.recordEviction(0, -1);
        recording.recordCapture(0, 1, 2, 100);
        recording.recordReconstruction(0, 1, 100, 1.5);

        CumulativeSnapshot s = aggregator.refresh();

        assertThat(s.rejected(RejectReason.LAYER_OUT_OF_RANGE)).isEqualTo(1);
        assertThat(s.rejected(RejectReason.NEGATIVE_DURATION)).isEqualTo(2);
        assertThat(s.rejected(RejectReason.NEGATIVE_COUNT)).isEqualTo(1);
        assertThat(s.rejected(RejectReason.INCONSISTENT_COUNTS)).isEqualTo(1);
        assertThat(s.rejected(RejectReason.INVALID_QUALITY)).isEqualTo(1);
    }
}
