package dev.cmr.monitor.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slot layout's names: each stage's fields are distinct and lie inside the slot, after COUNT and SUM. */
class SlotLayoutTest {

    @Test
    void eachStagesFieldsAreDistinctAndBetweenSumAndTheSlotsEnd() {
        List<int[]> stageFields = List.of(
                new int[] {SlotLayout.CAPTURE_STATES_CAPTURED, SlotLayout.CAPTURE_STATES_STORED},
                new int[] {SlotLayout.RECONSTRUCTION_MEMORIES_USED, SlotLayout.RECONSTRUCTION_QUALITY_SUM_MILLIONTHS,
                        SlotLayout.RECONSTRUCTION_QUALITY_SAMPLES},
                new int[] {SlotLayout.RETRIEVAL_CANDIDATES, SlotLayout.RETRIEVAL_RETURNED,
                        SlotLayout.RETRIEVAL_CACHE_HITS},
                new int[] {SlotLayout.EVICTION_ENTRIES});

        for (int[] fields : stageFields) {
            assertThat(Arrays.stream(fields).distinct().count()).isEqualTo(fields.length);
            for (int field : fields) {
                assertThat(field).isGreaterThan(SlotLayout.SUM).isLessThan(SlotLayout.WIDTH);
            }
        }
    }

    @Test
    void everyRejectReasonHasAFieldInTheRejectSlot() {
        assertThat(RejectReason.values().length).isLessThanOrEqualTo(SlotLayout.WIDTH);
    }

    @Test
    void timedStagesAreTheStagesMarkedTimedInDeclarationOrder() {
        List<Stage> marked = Arrays.stream(Stage.values()).filter(Stage::timed).toList();

        assertThat(Stage.timedStages()).containsExactlyElementsOf(marked);
        assertThat(Stage.timedStages()).doesNotContain(Stage.EVICTION).contains(Stage.FORWARD);
    }

    @Test
    void forwardIsTheLastStageBecauseEveryStageBeforeItIsPerLayer() {
        SlotLayout layout = new SlotLayout(3);
        Stage[] stages = Stage.values();

        assertThat(stages[stages.length - 1]).isEqualTo(Stage.FORWARD);
        assertThat(layout.stageOf(layout.forwardSlot())).isEqualTo(Stage.FORWARD);
        assertThat(layout.isTimed(layout.slot(Stage.EVICTION, 2))).isFalse();
        assertThat(layout.isTimed(layout.rejectSlot())).isFalse();
    }
}
