package dev.cmr.model.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HiddenStatesTest {
    @Test
    void copyOfHoldsACopyAndStartsWithNoModifications() {
        float[][] rows = {{1, 2}, {3, 4}};
        HiddenStates states = HiddenStates.copyOf(rows, 5);
        rows[0][0] = 99;

        assertThat(states.get(0, 0)).isEqualTo(1f);
        assertThat(states.positions()).isEqualTo(2);
        assertThat(states.hiddenSize()).isEqualTo(2);
        assertThat(states.startPosition()).isEqualTo(5);
        assertThat(states.modificationCount()).isZero();
    }

    @Test
    void everyWriteBumpsTheModificationCountAndReadsDoNot() {
        HiddenStates states = HiddenStates.copyOf(new float[][] {{1, 2}, {3, 4}}, 0);
        states.get(1, 1);
        states.row(0);
        states.toArray();
        assertThat(states.modificationCount()).isZero();

        states.set(1, 1, 4f);
        assertThat(states.modificationCount()).isEqualTo(1);
        states.setAll(new float[][] {{0, 0}, {0, 0}});
        assertThat(states.modificationCount()).isGreaterThan(1);
    }

    @Test
    void copyOfRejectsAnEmptyMatrix() {
        assertThatThrownBy(() -> HiddenStates.copyOf(new float[0][], 0)).hasMessage("rows must be a non-empty matrix");
    }
}
