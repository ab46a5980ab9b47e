package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RelevanceScorerTest {
    private static final float[][] STATES = {
        {1, 1, 1, 1}, // variance 0
        {0, 2, 0, 2}, // variance 1
        {0, 4, 0, 4}, // variance 4
    };

    @Test
    void attentionBasedDividesByTheLargestAttention() {
        RelevanceScorer s = new RelevanceScorer(ScoringMethod.ATTENTION_BASED, 0.5);
        assertThat(s.score(STATES, new float[] {0.1f, 0.4f, 0.2f})).containsExactly(0.25f, 1f, 0.5f);
        assertThat(s.score(STATES, new float[] {0, 0, 0})).containsExactly(0f, 0f, 0f);
    }

    @Test
    void varianceBasedDividesEachPositionsVarianceByTheLargest() {
        RelevanceScorer s = new RelevanceScorer(ScoringMethod.VARIANCE_BASED, 0.5);
        assertThat(s.score(STATES, null)).containsExactly(0f, 0.25f, 1f);
        assertThat(s.score(new float[][] {{3, 3}, {-1, -1}}, null)).containsExactly(0f, 0f);
    }

    @Test
    void hybridAveragesAttentionAndVarianceScores() {
        RelevanceScorer s = new RelevanceScorer(ScoringMethod.HYBRID, 0.5);
        // attention -> 0.5, 0.25, 1; variance -> 0, 0.25, 1
        assertThat(s.score(STATES, new float[] {0.2f, 0.1f, 0.4f})).containsExactly(0.25f, 0.25f, 1f);
    }

    @Test
    void isRelevantIsScoreAtOrAboveTheThreshold() {
        RelevanceScorer s = new RelevanceScorer(MemoryConfig.defaults());
        assertThat(s.method()).isEqualTo(ScoringMethod.HYBRID);
        assertThat(s.isRelevant(0.5f)).isTrue();
        assertThat(s.isRelevant(1f)).isTrue();
        assertThat(s.isRelevant(Math.nextDown(0.5f))).isFalse();
    }

    @Test
    void attentionIsRequiredAndValidatedWhereUsed() {
        assertThatThrownBy(() -> new RelevanceScorer(ScoringMethod.HYBRID, 0.5).score(STATES, null))
                .hasMessageContaining("attentionReceived");
        assertThatThrownBy(() -> new RelevanceScorer(ScoringMethod.ATTENTION_BASED, 0.5).score(STATES, null))
                .hasMessageContaining("attentionReceived");
        assertThatThrownBy(() -> new RelevanceScorer(ScoringMethod.ATTENTION_BASED, 0.5)
                .score(STATES, new float[] {1, 2})).hasMessageContaining("2 values for 3 positions");
        assertThatThrownBy(() -> new RelevanceScorer(ScoringMethod.ATTENTION_BASED, 0.5)
                .score(STATES, new float[] {1, -2, 0})).hasMessageContaining("attentionReceived[1]");
        assertThatThrownBy(() -> new RelevanceScorer(ScoringMethod.VARIANCE_BASED, 0.5)
                .score(new float[][] {{1, Float.NaN}}, null)).hasMessageContaining("states[0][1]");
    }

    @Test
    void noPositionsGiveNoScores() {
        assertThat(new RelevanceScorer(ScoringMethod.HYBRID, 0.5).score(new float[0][], new float[0])).isEmpty();
    }
}
