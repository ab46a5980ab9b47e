package dev.cmr.model.memory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings of the CMR memory components. Every violation is reported by an {@link IllegalArgumentException} whose
 * message starts with the configuration key, e.g. {@code "memory_weight must be in [0, 1], was 1.5"}.
 *
 * <table>
 * <caption>Keys, defaults and constraints</caption>
 * <tr><th>key</th><th>default</th><th>constraint</th></tr>
 * <tr><td>max_entries_per_layer</td><td>256</td><td>&gt;= 1</td></tr>
 * <tr><td>max_total_entries</td><td>2048</td><td>&gt;= 1</td></tr>
 * <tr><td>eviction_policy</td><td>lru_relevance</td><td>lru | relevance | lru_relevance</td></tr>
 * <tr><td>cleanup_threshold</td><td>0.9</td><td>in (0, 1]</td></tr>
 * <tr><td>relevance_threshold</td><td>0.5</td><td>finite</td></tr>
 * <tr><td>scoring_method</td><td>hybrid</td><td>attention_based | variance_based | hybrid</td></tr>
 * <tr><td>top_k</td><td>4</td><td>&gt;= 1</td></tr>
 * <tr><td>relevance_weight</td><td>0.3</td><td>finite, &gt;= 0</td></tr>
 * <tr><td>recency_weight</td><td>0.2</td><td>finite, &gt;= 0</td></tr>
 * <tr><td>similarity_weight</td><td>0.5</td><td>finite, &gt;= 0; the three weights must not all be 0</td></tr>
 * <tr><td>retrieval_cache_size</td><td>128</td><td>&gt;= 0 (0 disables the cache)</td></tr>
 * <tr><td>reconstruction_method</td><td>weighted_sum</td><td>weighted_sum | gated | hierarchical</td></tr>
 * <tr><td>memory_weight</td><td>0.3</td><td>in [0, 1]</td></tr>
 * <tr><td>layer_weights</td><td>{} (every layer 1.0)</td><td>layer &gt;= 0, weight finite and &gt;= 0</td></tr>
 * </table>
 *
 * <p>{@code cleanup_threshold} bounds the buffer's resident total below {@code max_total_entries}: see
 * {@link LayeredMemoryBuffer} for the exact rule. The ranking weights need not sum to 1: only their ratios matter.
 */
public record MemoryConfig(int maxEntriesPerLayer, int maxTotalEntries, EvictionPolicy evictionPolicy,
                           double cleanupThreshold, double relevanceThreshold, ScoringMethod scoringMethod, int topK,
                           double relevanceWeight, double recencyWeight, double similarityWeight,
                           int retrievalCacheSize, ReconstructionMethod reconstructionMethod, double memoryWeight,
                           Map<Integer, Double> layerWeights) {

    /** The configuration keys accepted by {@link #fromMap(Map)}. */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.List.of(
            "max_entries_per_layer", "max_total_entries", "eviction_policy", "cleanup_threshold",
            "relevance_threshold", "scoring_method", "top_k", "relevance_weight", "recency_weight",
            "similarity_weight", "retrieval_cache_size", "reconstruction_method", "memory_weight", "layer_weights")));

    public MemoryConfig {
        atLeast("max_entries_per_layer", maxEntriesPerLayer, 1);
        atLeast("max_total_entries", maxTotalEntries, 1);
        if (evictionPolicy == null) {
            throw new IllegalArgumentException("eviction_policy must be one of " + EvictionPolicy.allowedKeys()
                    + ", was null");
        }
        if (!(cleanupThreshold > 0 && cleanupThreshold <= 1)) {
            throw new IllegalArgumentException("cleanup_threshold must be in (0, 1], was " + cleanupThreshold);
        }
        if (!Double.isFinite(relevanceThreshold)) {
            throw new IllegalArgumentException("relevance_threshold must be finite, was " + relevanceThreshold);
        }
        if (scoringMethod == null) {
            throw new IllegalArgumentException("scoring_method must not be null");
        }
        atLeast("top_k", topK, 1);
        nonNegative("relevance_weight", relevanceWeight);
        nonNegative("recency_weight", recencyWeight);
        nonNegative("similarity_weight", similarityWeight);
        if (relevanceWeight + recencyWeight + similarityWeight <= 0) {
            throw new IllegalArgumentException("relevance_weight, recency_weight and similarity_weight must not all "
                    + "be 0");
        }
        atLeast("retrieval_cache_size", retrievalCacheSize, 0);
        if (reconstructionMethod == null) {
            throw new IllegalArgumentException("reconstruction_method must not be null");
        }
        if (!(memoryWeight >= 0 && memoryWeight <= 1)) {
            throw new IllegalArgumentException("memory_weight must be in [0, 1], was " + memoryWeight);
        }
        if (layerWeights == null) {
            throw new IllegalArgumentException("layer_weights must not be null");
        }
        TreeMap<Integer, Double> copy = new TreeMap<>();
        for (Map.Entry<Integer, Double> e : layerWeights.entrySet()) {
            if (e.getKey() == null || e.getKey() < 0) {
                throw new IllegalArgumentException("layer_weights keys must be layers >= 0, was " + e.getKey());
            }
            Double w = e.getValue();
            if (w == null || !Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException("layer_weights[" + e.getKey() + "] must be finite and >= 0, was "
                        + w);
            }
            copy.put(e.getKey(), w);
        }
        layerWeights = Collections.unmodifiableMap(copy);
    }

    /** All defaults. */
    public static MemoryConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .maxEntriesPerLayer(maxEntriesPerLayer)
                .maxTotalEntries(maxTotalEntries)
                .evictionPolicy(evictionPolicy)
                .cleanupThreshold(cleanupThreshold)
                .relevanceThreshold(relevanceThreshold)
                .scoringMethod(scoringMethod)
                .topK(topK)
                .relevanceWeight(relevanceWeight)
                .recencyWeight(recencyWeight)
                .similarityWeight(similarityWeight)
                .retrievalCacheSize(retrievalCacheSize)
                .reconstructionMethod(reconstructionMethod)
                .memoryWeight(memoryWeight)
                .layerWeights(layerWeights);
    }

    /** The weight of {@code layer}: its {@code layer_weights} entry, 1.0 if it has none. */
    public double layerWeight(int layer) {
        return layerWeights.getOrDefault(layer, 1.0);
    }

    /**
     * The most entries the buffer keeps resident in total:
     * {@code max(1, floor(cleanup_threshold * max_total_entries))}.
     */
    public int effectiveTotalLimit() {
        return Math.max(1, (int) Math.floor(cleanupThreshold * maxTotalEntries));
    }

    /**
     * A configuration from snake_case keys (as parsed from JSON or YAML); missing keys take their defaults.
     * Numbers may be any {@link Number} (integers must be integral), enums their key strings, and
     * {@code layer_weights} a map from layer (Number or numeric String) to weight.
     *
     * @throws IllegalArgumentException naming the key on an unknown key, a wrong type or an invalid value
     */
    public static MemoryConfig fromMap(Map<String, ?> values) {
        Builder b = builder();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key == null ? "" : key) {
                case "max_entries_per_layer" -> b.maxEntriesPerLayer(integer(key, v));
                case "max_total_entries" -> b.maxTotalEntries(integer(key, v));
                case "eviction_policy" -> b.evictionPolicy(EvictionPolicy.fromKey(string(key, v)));
                case "cleanup_threshold" -> b.cleanupThreshold(number(key, v));
                case "relevance_threshold" -> b.relevanceThreshold(number(key, v));
                case "scoring_method" -> b.scoringMethod(ScoringMethod.fromKey(string(key, v)));
                case "top_k" -> b.topK(integer(key, v));
                case "relevance_weight" -> b.relevanceWeight(number(key, v));
                case "recency_weight" -> b.recencyWeight(number(key, v));
                case "similarity_weight" -> b.similarityWeight(number(key, v));
                case "retrieval_cache_size" -> b.retrievalCacheSize(integer(key, v));
                case "reconstruction_method" -> b.reconstructionMethod(ReconstructionMethod.fromKey(string(key, v)));
                case "memory_weight" -> b.memoryWeight(number(key, v));
                case "layer_weights" -> b.layerWeights(layerWeightMap(v));
                default -> throw new IllegalArgumentException("unknown memory configuration key " + key
                        + "; allowed keys: " + KEYS);
            }
        }
        return b.build();
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be >= " + min + ", was " + value);
        }
    }

    private static void nonNegative(String key, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(key + " must be finite and >= 0, was " + value);
        }
    }

    private static double number(String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(key + " must be a number, was " + v);
    }

    private static int integer(String key, Object v) {
        double d = number(key, v);
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be an integer, was " + v);
        }
        return (int) d;
    }

    private static String string(String key, Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(key + " must be a string, was " + v);
    }

    private static Map<Integer, Double> layerWeightMap(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("layer_weights must be a map from layer to weight, was " + v);
        }
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int layer;
            try {
                layer = e.getKey() instanceof Number n ? integer("layer_weights", n)
                        : Integer.parseInt(String.valueOf(e.getKey()).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("layer_weights keys must be layer numbers, was " + e.getKey(), ex);
            }
            out.put(layer, number("layer_weights[" + layer + "]", e.getValue()));
        }
        return out;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int maxEntriesPerLayer = 256;
        private int maxTotalEntries = 2048;
        private EvictionPolicy evictionPolicy = EvictionPolicy.LRU_RELEVANCE;
        private double cleanupThreshold = 0.9;
        private double relevanceThreshold = 0.5;
        private ScoringMethod scoringMethod = ScoringMethod.HYBRID;
        private int topK = 4;
        private double relevanceWeight = 0.3;
        private double recencyWeight = 0.2;
        private double similarityWeight = 0.5;
        private int retrievalCacheSize = 128;
        private ReconstructionMethod reconstructionMethod = ReconstructionMethod.WEIGHTED_SUM;
        private double memoryWeight = 0.3;
        private final Map<Integer, Double> layerWeights = new TreeMap<>();

        private Builder() {
        }

        public Builder maxEntriesPerLayer(int v) {
            maxEntriesPerLayer = v;
            return this;
        }

        public Builder maxTotalEntries(int v) {
            maxTotalEntries = v;
            return this;
        }

        public Builder evictionPolicy(EvictionPolicy v) {
            evictionPolicy = v;
            return this;
        }

        public Builder cleanupThreshold(double v) {
            cleanupThreshold = v;
            return this;
        }

        public Builder relevanceThreshold(double v) {
            relevanceThreshold = v;
            return this;
        }

        public Builder scoringMethod(ScoringMethod v) {
            scoringMethod = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder relevanceWeight(double v) {
            relevanceWeight = v;
            return this;
        }

        public Builder recencyWeight(double v) {
            recencyWeight = v;
            return this;
        }

        public Builder similarityWeight(double v) {
            similarityWeight = v;
            return this;
        }

        /** Sets all three ranking weights at once. */
        public Builder rankingWeights(double relevance, double recency, double similarity) {
            return relevanceWeight(relevance).recencyWeight(recency).similarityWeight(similarity);
        }

        public Builder retrievalCacheSize(int v) {
            retrievalCacheSize = v;
            return this;
        }

        public Builder reconstructionMethod(ReconstructionMethod v) {
            reconstructionMethod = v;
            return this;
        }

        public Builder memoryWeight(double v) {
            memoryWeight = v;
            return this;
        }

        /** Replaces all layer weights. Null keys or values are rejected by {@link #build()}. */
        public Builder layerWeights(Map<Integer, Double> v) {
            layerWeights.clear();
            if (v == null) {
                throw new IllegalArgumentException("layer_weights must not be null");
            }
            for (Map.Entry<Integer, Double> e : v.entrySet()) {
                if (e.getKey() == null) {
                    throw new IllegalArgumentException("layer_weights keys must be layers >= 0, was null");
                }
                layerWeights.put(e.getKey(), e.getValue());
            }
            return this;
        }

        public Builder layerWeight(int layer, double weight) {
            layerWeights.put(layer, weight);
            return this;
        }

        public MemoryConfig build() {
            return new MemoryConfig(maxEntriesPerLayer, maxTotalEntries, evictionPolicy, cleanupThreshold,
                    relevanceThreshold, scoringMethod, topK, relevanceWeight, recencyWeight, similarityWeight,
                    retrievalCacheSize, reconstructionMethod, memoryWeight, new LinkedHashMap<>(layerWeights));
        }
    }
}
