package dev.cmr.model.memory;

import static dev.cmr.io.ConfigValues.atLeast;
import static dev.cmr.io.ConfigValues.finite;
import static dev.cmr.io.ConfigValues.finiteNonNegative;
import static dev.cmr.io.ConfigValues.inClosedRange;
import static dev.cmr.io.ConfigValues.inLeftOpenRange;
import static dev.cmr.io.ConfigValues.notNull;

import dev.cmr.io.ConfigObject;
import dev.cmr.io.ConfigValues;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings of the CMR memory components, with snake_case keys; build them with {@link #builder()},
 * {@link #fromJson(String)}, {@link #load(Path)} or {@link #fromMap(Map)}. Every violation is reported by an
 * {@link IllegalArgumentException} in the style of {@link dev.cmr.io.ConfigValues}: the message starts with the
 * configuration key, e.g. {@code "memory_weight must be in [0, 1], was 1.5"}, and an unknown key names the closest
 * valid one.
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
 * <tr><td>layer_weights</td><td>{} (every layer 1.0)</td><td>object from layer (&gt;= 0) to weight (finite,
 * &gt;= 0), e.g. {@code {"0": 0.5, "11": 2}}</td></tr>
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

    /** The configuration keys accepted by {@link #fromJson(String)} and {@link #fromMap(Map)}. */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
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
        inLeftOpenRange("cleanup_threshold", cleanupThreshold, 0, 1);
        finite("relevance_threshold", relevanceThreshold);
        notNull("scoring_method", scoringMethod);
        atLeast("top_k", topK, 1);
        finiteNonNegative("relevance_weight", relevanceWeight);
        finiteNonNegative("recency_weight", recencyWeight);
        finiteNonNegative("similarity_weight", similarityWeight);
        if (relevanceWeight + recencyWeight + similarityWeight <= 0) {
            throw new IllegalArgumentException("relevance_weight, recency_weight and similarity_weight must not all "
                    + "be 0");
        }
        atLeast("retrieval_cache_size", retrievalCacheSize, 0);
        notNull("reconstruction_method", reconstructionMethod);
        inClosedRange("memory_weight", memoryWeight, 0, 1);
        notNull("layer_weights", layerWeights);
        TreeMap<Integer, Double> copy = new TreeMap<>();
        for (Map.Entry<Integer, Double> e : layerWeights.entrySet()) {
            if (e.getKey() == null || e.getKey() < 0) {
                throw new IllegalArgumentException("layer_weights keys must be layers >= 0, was " + e.getKey());
            }
            String key = "layer_weights." + e.getKey();
            double w = finiteNonNegative(key, notNull(key, e.getValue()));
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
     * Reads a JSON object with the keys in the class comment; missing keys keep their defaults.
     *
     * @throws IllegalArgumentException naming the key of the first invalid or unknown value
     */
    public static MemoryConfig fromJson(String json) {
        return read(ConfigObject.parse(json));
    }

    /**
     * Reads a JSON file; see {@link #fromJson(String)}. The file name is part of every error message.
     *
     * @throws IllegalArgumentException naming the file and the problem: missing ({@code <file>: not found}), a
     *         directory, not UTF-8, not JSON, or a bad key or value
     * @throws UncheckedIOException {@code <file>: <reason>} if the file exists but cannot be read
     */
    public static MemoryConfig load(Path file) {
        return ConfigObject.load(file, MemoryConfig::fromJson);
    }

    /**
     * A configuration from snake_case keys already parsed into Java objects (from JSON or YAML), read as
     * {@link #fromJson(String)} reads the same values: integers must be integral numbers, enums their key strings,
     * and {@code layer_weights} a map from layer (a number or a numeric string) to weight.
     *
     * @throws IllegalArgumentException naming the key on an unknown key, a wrong type or an invalid value
     */
    public static MemoryConfig fromMap(Map<String, ?> values) {
        return read(ConfigObject.of(values));
    }

    private static MemoryConfig read(ConfigObject config) {
        Builder b = builder();
        for (String key : config.keys()) {
            switch (key) {
                case "max_entries_per_layer" -> b.maxEntriesPerLayer(config.wholeInt(key));
                case "max_total_entries" -> b.maxTotalEntries(config.wholeInt(key));
                case "eviction_policy" -> b.evictionPolicy(EvictionPolicy.fromKey(config.text(key)));
                case "cleanup_threshold" -> b.cleanupThreshold(config.number(key));
                case "relevance_threshold" -> b.relevanceThreshold(config.number(key));
                case "scoring_method" -> b.scoringMethod(ScoringMethod.fromKey(config.text(key)));
                case "top_k" -> b.topK(config.wholeInt(key));
                case "relevance_weight" -> b.relevanceWeight(config.number(key));
                case "recency_weight" -> b.recencyWeight(config.number(key));
                case "similarity_weight" -> b.similarityWeight(config.number(key));
                case "retrieval_cache_size" -> b.retrievalCacheSize(config.wholeInt(key));
                case "reconstruction_method" -> b.reconstructionMethod(ReconstructionMethod.fromKey(config.text(key)));
                case "memory_weight" -> b.memoryWeight(config.number(key));
                case "layer_weights" -> b.layerWeights(layerWeights(config.object(key)));
                default -> throw config.unknownKey(key, KEYS);
            }
        }
        return b.build();
    }

    /** JSON object keys are strings: each names a layer number. */
    private static Map<Integer, Double> layerWeights(ConfigObject weights) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (String key : weights.keys()) {
            int layer;
            try {
                layer = Integer.parseInt(key.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layer_weights keys must be layer numbers, was "
                        + ConfigValues.quoted(key), e);
            }
            out.put(layer, weights.number(key));
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
