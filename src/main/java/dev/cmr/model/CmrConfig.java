package dev.cmr.model;

import dev.cmr.model.memory.MemoryConfig;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which layers the CMR model captures from ({@code target_layers}) and reweaves into ({@code intervention_layers}),
 * and how its memory behaves. Layers are checked against the transformer when the model is built.
 */
public record CmrConfig(Set<Integer> targetLayers, Set<Integer> interventionLayers, MemoryConfig memory) {
    public CmrConfig {
        targetLayers = Collections.unmodifiableSortedSet(new TreeSet<>(targetLayers));
        interventionLayers = Collections.unmodifiableSortedSet(new TreeSet<>(interventionLayers));
        if (memory == null) {
            throw new IllegalArgumentException("memory config is required");
        }
    }

    void checkAgainst(Gpt2Config model) {
        check("target_layers", targetLayers, model.layers());
        check("intervention_layers", interventionLayers, model.layers());
    }

    private static void check(String key, Set<Integer> layers, int count) {
        for (int layer : layers) {
            if (layer < 0 || layer >= count) {
                throw new IllegalArgumentException(key + " must be in [0, " + count + ") (n_layer), has " + layer);
            }
        }
    }
}
