package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.io.ConfigErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    void eachInvalidValueIsRejectedWithAMessageNamingItsKeyAndBound() {
        assertRejected(b -> b.maxEntriesPerLayer(0), "max_entries_per_layer must be >= 1, was 0");
        assertRejected(b -> b.maxTotalEntries(0), "max_total_entries must be >= 1, was 0");
        assertRejected(b -> b.evictionPolicy(null),
                "eviction_policy must be one of [lru, relevance, lru_relevance], was null");
        assertRejected(b -> b.cleanupThreshold(0), "cleanup_threshold must be in (0, 1], was 0");
        assertRejected(b -> b.cleanupThreshold(1.01), "cleanup_threshold must be in (0, 1], was 1.01");
        assertRejected(b -> b.cleanupThreshold(Double.NaN), "cleanup_threshold must be in (0, 1], was NaN");
        assertRejected(b -> b.relevanceThreshold(Double.POSITIVE_INFINITY),
                "relevance_threshold must be finite, was Infinity");
        assertRejected(b -> b.scoringMethod(null), "scoring_method must not be null");
        assertRejected(b -> b.topK(0), "top_k must be >= 1, was 0");
        assertRejected(b -> b.relevanceWeight(-0.1), "relevance_weight must be finite and >= 0, was -0.1");
        assertRejected(b -> b.recencyWeight(Double.NaN), "recency_weight must be finite and >= 0, was NaN");
        assertRejected(b -> b.similarityWeight(-1), "similarity_weight must be finite and >= 0, was -1");
        assertRejected(b -> b.rankingWeights(0, 0, 0),
                "relevance_weight, recency_weight and similarity_weight must not all be 0");
        assertRejected(b -> b.retrievalCacheSize(-1), "retrieval_cache_size must be >= 0, was -1");
        assertRejected(b -> b.reconstructionMethod(null), "reconstruction_method must not be null");
        assertRejected(b -> b.memoryWeight(1.5), "memory_weight must be in [0, 1], was 1.5");
        assertRejected(b -> b.memoryWeight(-0.01), "memory_weight must be in [0, 1], was -0.01");
        assertRejected(b -> b.layerWeight(-1, 1.0), "layer_weights keys must be layers >= 0, was -1");
        assertRejected(b -> b.layerWeight(3, -2.0), "layer_weights.3 must be finite and >= 0, was -2");
        assertRejected(b -> b.layerWeight(3, Double.NaN), "layer_weights.3 must be finite and >= 0, was NaN");
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

        ConfigErrors.assertRejected(MemoryConfig::fromMap, Map.of("top_k", 2.5),
                "top_k must be a whole number, was 2.5");
        ConfigErrors.assertRejected(MemoryConfig::fromMap, Map.of("memory_weight", "high"),
                "memory_weight must be a number, was \"high\"");
        ConfigErrors.assertRejected(MemoryConfig::fromMap, Map.of("eviction_policy", "fifo"),
                "eviction_policy must be one of [lru, relevance, lru_relevance], was \"fifo\"");
        ConfigErrors.assertRejected(MemoryConfig::fromMap, Map.of("max_entries", 3),
                "unknown configuration key 'max_entries'; did you mean 'max_total_entries'?");
    }

    @Test
    void fromJsonReadsEveryKeyAsFromMapDoes() {
        MemoryConfig c = MemoryConfig.fromJson("""
                {"max_entries_per_layer": 8, "max_total_entries": 32, "eviction_policy": "lru",
                 "cleanup_threshold": 1.0, "relevance_threshold": 0.25, "scoring_method": "variance_based",
                 "top_k": 2, "relevance_weight": 0.5, "recency_weight": 0.25, "similarity_weight": 0.25,
                 "retrieval_cache_size": 0, "reconstruction_method": "gated", "memory_weight": 0.25,
                 "layer_weights": {"2": 0.5, "3": 2}}
                """);

        assertThat(c).isEqualTo(new MemoryConfig(8, 32, EvictionPolicy.LRU, 1.0, 0.25, ScoringMethod.VARIANCE_BASED,
                2, 0.5, 0.25, 0.25, 0, ReconstructionMethod.GATED, 0.25, Map.of(2, 0.5, 3, 2.0)));
        assertThat(MemoryConfig.fromJson("{}")).isEqualTo(MemoryConfig.defaults());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"top_k\": 2.5}                          | top_k must be a whole number, was 2.5",
            "{\"top_k\": \"4\"}                        | top_k must be a whole number, was \"4\"",
            "{\"top_k\": 0}                            | top_k must be >= 1, was 0",
            "{\"max_total_entries\": 2147483648}       | max_total_entries must be in [-2147483648, 2147483647], was 2147483648",
            "{\"cleanup_threshold\": 0}                | cleanup_threshold must be in (0, 1], was 0",
            "{\"memory_weight\": null}                 | memory_weight must be a number, was null",
            "{\"eviction_policy\": 1}                  | eviction_policy must be a string, was 1",
            "{\"scoring_method\": \"entropy\"}         | scoring_method must be one of [attention_based, variance_based, hybrid], was \"entropy\"",
            "{\"reconstruction_method\": \"sum\"}      | reconstruction_method must be one of [weighted_sum, gated, hierarchical], was \"sum\"",
            "{\"layer_weights\": [1, 2]}               | layer_weights must be a JSON object, was [1,2]",
            "{\"layer_weights\": {\"first\": 1}}       | layer_weights keys must be layer numbers, was \"first\"",
            "{\"layer_weights\": {\"-1\": 1}}          | layer_weights keys must be layers >= 0, was -1",
            "{\"layer_weights\": {\"2\": \"x\"}}       | layer_weights.2 must be a number, was \"x\"",
            "{\"layer_weights\": {\"2\": -1}}          | layer_weights.2 must be finite and >= 0, was -1",
            "{\"max_entries_per_layr\": 3}             | unknown configuration key 'max_entries_per_layr'; did you mean 'max_entries_per_layer'?",
            "[]                                        | configuration must be a JSON object",
    })
    void badJsonNamesTheKeyAndTheAllowedValues(String json, String message) {
        ConfigErrors.assertRejected(MemoryConfig::fromJson, json, message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "topk,                  top_k",
            "evicton_policy,        eviction_policy",
            "memory_weights,        memory_weight",
            "layer_weight,          layer_weights",
    })
    void typosSuggestTheNearestKey(String typo, String expected) {
        ConfigErrors.assertSuggests(MemoryConfig::fromJson, typo, expected);
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("memory.json");
        Files.writeString(file, "{\"top_k\": 9}");
        assertThat(MemoryConfig.load(file).topK()).isEqualTo(9);

        Files.writeString(file, "{\"top_k\": -9}");
        ConfigErrors.assertRejected(MemoryConfig::load, file, file + ": top_k must be >= 1, was -9");
    }

    @Test
    void toBuilderReproducesTheConfiguration() {
        MemoryConfig c = MemoryConfig.builder().topK(9).layerWeight(1, 0.5).evictionPolicy(EvictionPolicy.LRU).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.layerWeights()).containsExactly(Map.entry(1, 0.5));
    }

    private static void assertRejected(UnaryOperator<MemoryConfig.Builder> edit, String message) {
        ConfigErrors.assertRejected(b -> edit.apply(b).build(), MemoryConfig.builder(), message);
    }
}
