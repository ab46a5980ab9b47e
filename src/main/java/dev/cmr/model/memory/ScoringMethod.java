package dev.cmr.model.memory;

import java.util.Arrays;
import java.util.stream.Collectors;

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
        for (ScoringMethod m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("scoring_method must be one of "
                + Arrays.stream(values()).map(ScoringMethod::key).collect(Collectors.joining(", ", "[", "]"))
                + ", was " + key);
    }
}
