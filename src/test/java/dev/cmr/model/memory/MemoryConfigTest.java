package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MemoryConfigTest {

    @Test
    void defaultsMatchTheDocumentedValues() {
        MemoryConfig c = MemoryConfig.defaults();
        assertThat(c.maxEntriesPerLayer()).isEqualTo(256);
        assertThat(c.maxTotalEntries()).isEqualTo(2048);
        assertThat(c.evictionPolicy()).isEqualTo(EvictionPolicy.LRU_RELEVANCE);
        assertThat(c.cleanupThreshold()).isEqualTo(0.9);
        assertThat(c.relevanceThreshold()).isEqualTo(0.5);
        assertThat(c.scoringMethod()).isEqualTo(ScoringMethod.HYBRID);
        assertThat(c.topK()).isEqualTo(4);
        assertThat(c.relevanceWeight()).isEqualTo(0.3);
        assertThat(c.recencyWeight()).isEqualTo(0.2);
        assertThat(c.similarityWeight()).isEqualTo(0.5);
        assertThat(c.retrievalCacheSize()).isEqualTo(128);
        assertThat(c.reconstructionMethod()).isEqualTo(ReconstructionMethod.WEIGHTED_SUM);
        assertThat(c.memoryWeight()).isEqualTo(0.3);
        assertThat(c.layerWeights()).isEmpty();
        assertThat(c.layerWeight(7)).isEqualTo(1.0);
        assertThat(c.effectiveTotalLimit()).isEqualTo(1843); // floor(0.9 * 2048)
    }

    @Test
    void eachInvalidValueIsRejectedWithAMessageNamingItsKey() {
        assertRejected(b -> b.maxEntriesPerLayer(0), "max_entries_per_layer");
        assertRejected(b -> b.maxTotalEntries(0), "max_total_entries");
        assertRejected(b -> b.evictionPolicy(null), "eviction_policy");
        assertRejected(b -> b.cleanupThreshold(0), "cleanup_threshold");
        assertRejected(b -> b.cleanupThreshold(1.01), "cleanup_threshold");
        assertRejected(b -> b.cleanupThreshold(Double.NaN), "cleanup_threshold");
        assertRejected(b -> b.relevanceThreshold(Double.POSITIVE_INFINITY), "relevance_threshold");
        assertRejected(b -> b.scoringMethod(null), "scoring_method");
        assertRejected(b -> b.topK(0), "top_k");
        assertRejected(b -> b.relevanceWeight(-0.1), "relevance_weight");
        assertRejected(b -> b.recencyWeight(Double.NaN), "recency_weight");
        assertRejected(b -> b.similarityWeight(-1), "similarity_weight");
        assertRejected(b -> b.rankingWeights(0, 0, 0), "relevance_weight, recency_weight and similarity_weight");
        assertRejected(b -> b.retrievalCacheSize(-1), "retrieval_cache_size");
        assertRejected(b -> b.reconstructionMethod(null), "reconstruction_method");
        assertRejected(b -> b.memoryWeight(1.5), "memory_weight");
        assertRejected(b -> b.memoryWeight(-0.01), "memory_weight");
        assertRejected(b -> b.layerWeight(-1, 1.0), "layer_weights");
        assertRejected(b -> b.layerWeight(3, -2.0), "layer_weights[3]");
        assertRejected(b -> b.layerWeight(3, Double.NaN), "layer_weights[3]");
    }

    @Test
    void boundaryValuesAreAccepted() {
        MemoryConfig c = MemoryConfig.builder().maxEntriesPerLayer(1).maxTotalEntries(1).cleanupThreshold(1.0)
                .topK(1).retrievalCacheSize(0).memoryWeight(0).rankingWeights(0, 0, 1).layerWeight(0, 0.0).build();
        assertThat(c.effectiveTotalLimit()).isEqualTo(1);
        assertThat(MemoryConfig.builder().memoryWeight(1).cleanupThreshold(0.001).maxTotalEntries(10).build()
                .effectiveTotalLimit()).isEqualTo(1); // floor(0.01) raised to 1
    }

    @Test
    void fromMapReadsSnakeCaseKeysAndNamesTheOffendingKey() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("max_entries_per_layer", 8);
        values.put("max_total_entries", 32L);
        values.put("eviction_policy", "lru");
        values.put("cleanup_threshold", 1.0);
        values.put("scoring_method", "variance_based");
        values.put("top_k", 2);
        values.put("reconstruction_method", "gated");
        values.put("memory_weight", 0.25);
        values.put("layer_weights", Map.of("2", 0.5, 3, 2.0));
        MemoryConfig c = MemoryConfig.fromMap(values);
        assertThat(c.maxEntriesPerLayer()).isEqualTo(8);
        assertThat(c.maxTotalEntries()).isEqualTo(32);
        assertThat(c.evictionPolicy()).isEqualTo(EvictionPolicy.LRU);
        assertThat(c.scoringMethod()).isEqualTo(ScoringMethod.VARIANCE_BASED);
        assertThat(c.reconstructionMethod()).isEqualTo(ReconstructionMethod.GATED);
        assertThat(c.layerWeight(2)).isEqualTo(0.5);
        assertThat(c.layerWeight(3)).isEqualTo(2.0);
        assertThat(c.relevanceThreshold()).isEqualTo(0.5); // default kept

        assertThatThrownBy(() -> MemoryConfig.fromMap(Map.of("top_k", 2.5))).hasMessageContaining("top_k");
        assertThatThrownBy(() -> MemoryConfig.fromMap(Map.of("memory_weight", "high")))
                .hasMessageContaining("memory_weight");
        assertThatThrownBy(() -> MemoryConfig.fromMap(Map.of("eviction_policy", "fifo")))
                .hasMessageContaining("eviction_policy").hasMessageContaining("lru_relevance");
        assertThatThrownBy(() -> MemoryConfig.fromMap(Map.of("max_entries", 3)))
                .hasMessageContaining("max_entries").hasMessageContaining("max_entries_per_layer");
    }

    @Test
    void toBuilderReproducesTheConfiguration() {
        MemoryConfig c = MemoryConfig.builder().topK(9).layerWeight(1, 0.5).evictionPolicy(EvictionPolicy.LRU).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.layerWeights()).containsExactly(Map.entry(1, 0.5));
    }

    private static void assertRejected(UnaryOperator<MemoryConfig.Builder> edit, String key) {
        assertThatThrownBy(() -> edit.apply(MemoryConfig.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key);
    }
}
