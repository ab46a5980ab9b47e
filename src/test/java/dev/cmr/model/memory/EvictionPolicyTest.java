package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EvictionPolicyTest {

    @Test
    void fromKeyResolvesEveryPolicyByItsKey() {
        assertThat(EvictionPolicy.fromKey("lru")).isEqualTo(EvictionPolicy.LRU);
        assertThat(EvictionPolicy.fromKey("relevance")).isEqualTo(EvictionPolicy.RELEVANCE);
        assertThat(EvictionPolicy.fromKey("lru_relevance")).isEqualTo(EvictionPolicy.LRU_RELEVANCE);
        for (EvictionPolicy p : EvictionPolicy.values()) {
            assertThat(EvictionPolicy.fromKey(p.key())).isSameAs(p);
        }
    }

    @Test
    void fromKeyRejectsUnknownKeyNamingTheAllowedOnes() {
        assertThatThrownBy(() -> EvictionPolicy.fromKey("LRU"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eviction_policy")
                .hasMessageContaining("lru, relevance, lru_relevance")
                .hasMessageContaining("LRU");
        assertThatThrownBy(() -> EvictionPolicy.fromKey(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scoringAndReconstructionMethodsResolveByKeyAndNameTheirAllowedKeys() {
        assertThat(ScoringMethod.fromKey("attention_based")).isEqualTo(ScoringMethod.ATTENTION_BASED);
        assertThat(ScoringMethod.fromKey("variance_based")).isEqualTo(ScoringMethod.VARIANCE_BASED);
        assertThat(ScoringMethod.fromKey("hybrid")).isEqualTo(ScoringMethod.HYBRID);
        assertThat(ReconstructionMethod.fromKey("weighted_sum")).isEqualTo(ReconstructionMethod.WEIGHTED_SUM);
        assertThat(ReconstructionMethod.fromKey("gated")).isEqualTo(ReconstructionMethod.GATED);
        assertThat(ReconstructionMethod.fromKey("hierarchical")).isEqualTo(ReconstructionMethod.HIERARCHICAL);
        assertThatThrownBy(() -> ScoringMethod.fromKey("entropy"))
                .hasMessageContaining("scoring_method").hasMessageContaining("attention_based, variance_based, hybrid");
        assertThatThrownBy(() -> ReconstructionMethod.fromKey("sum"))
                .hasMessageContaining("reconstruction_method")
                .hasMessageContaining("weighted_sum, gated, hierarchical");
    }
}
