package dev.cmr.model.memory;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which resident entry a full {@link LayeredMemoryBuffer} gives up to make room. The exact victim order of each
 * policy, including tie-breaks, is documented on {@link LayeredMemoryBuffer}.
 */
public enum EvictionPolicy {
    /** Least recently used: smallest {@code lastAccessStep}. */
    LRU("lru"),
    /** Least relevant: smallest {@code relevance}. */
    RELEVANCE("relevance"),
    /** Smallest combined score {@code 0.5 * recencyRank + 0.5 * relevanceRank}, both ranks normalized to [0, 1]. */
    LRU_RELEVANCE("lru_relevance");

    private final String key;

    EvictionPolicy(String key) {
        this.key = key;
    }

    /** The configuration spelling, e.g. {@code "lru_relevance"}. */
    public String key() {
        return key;
    }

    /**
     * The policy spelled {@code key} (exact, case-sensitive).
     *
     * @throws IllegalArgumentException naming the allowed keys when {@code key} is null or unknown
     */
    public static EvictionPolicy fromKey(String key) {
        return dev.cmr.io.ConfigValues.byKey("eviction_policy", values(), EvictionPolicy::key, key);
    }

    static String allowedKeys() {
        return Arrays.stream(values()).map(EvictionPolicy::key).collect(Collectors.joining(", ", "[", "]"));
    }
}
