package dev.cmr.model.memory;

import dev.cmr.io.ConfigValues;

/** How {@link RelevanceScorer} rates hidden states; the formulas are documented there. */
public enum ScoringMethod {
    ATTENTION_BASED("attention_based"),
    VARIANCE_BASED("variance_based"),
    HYBRID("hybrid");

    private final String key;

    ScoringMethod(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** @throws IllegalArgumentException naming the allowed keys when {@code key} is null or unknown */
    public static ScoringMethod fromKey(String key) {
        return ConfigValues.byKey("scoring_method", values(), ScoringMethod::key, key);
    }
}
