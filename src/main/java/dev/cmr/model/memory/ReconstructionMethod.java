package dev.cmr.model.memory;

import java.util.Arrays;
import java.util.stream.Collectors;

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
        for (ReconstructionMethod m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("reconstruction_method must be one of "
                + Arrays.stream(values()).map(ReconstructionMethod::key).collect(Collectors.joining(", ", "[", "]"))
                + ", was " + key);
    }
}
