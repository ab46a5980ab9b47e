package dev.cmr.model.memory;

import dev.cmr.io.ConfigValues;

/** How {@link LayeredStateReconstructor} blends memories into hidden states; formulas are documented there. */
public enum ReconstructionMethod {
    WEIGHTED_SUM("weighted_sum"),
    GATED("gated"),
    HIERARCHICAL("hierarchical");

    private final String key;

    ReconstructionMethod(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** @throws IllegalArgumentException naming the allowed keys when {@code key} is null or unknown */
    public static ReconstructionMethod fromKey(String key) {
        return ConfigValues.byKey("reconstruction_method", values(), ReconstructionMethod::key, key);
    }
}
