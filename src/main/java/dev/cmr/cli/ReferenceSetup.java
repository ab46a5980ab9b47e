package dev.cmr.cli;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.CmrConfig;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.memory.MemoryConfig;
import java.io.PrintStream;
import java.util.Set;

/**
 * The reference CMR model as the demo and the profile command run it: GPT-2 shaped ({@link Gpt2Config#demo()}),
 * seeded weights, capture at layers 1 and 3, reweave at layers 4 and 5, a small memory buffer. Stateless.
 */
final class ReferenceSetup {
    static final Gpt2Config MODEL = Gpt2Config.demo();

    private ReferenceSetup() {
    }

    static CmrConfig cmrConfig() {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(48).maxTotalEntries(160)
                .relevanceThreshold(0.7).memoryWeight(0.3).build();
        return new CmrConfig(Set.of(1, 3), Set.of(4, 5), memory);
    }

    /** The built-in corpus as one token stream. */
    static int[] corpusTokens() {
        return new ByteTokenizer().encode(String.join("\n", DemoCorpus.sequences()));
    }

    static void describe(long seed, CmrConfig cmr, PrintStream console) {
        Gpt2Config c = MODEL;
        console.printf("model: GPT-2 style, %d layers, hidden %d, %d heads, context %d, seeded weights (seed %d)%n",
                c.layers(), c.hiddenSize(), c.heads(), c.contextLength(), seed);
        console.printf("CMR: capture at layers %s, reweave at layers %s, buffer %d per layer / %d total%n",
                cmr.targetLayers(), cmr.interventionLayers(), cmr.memory().maxEntriesPerLayer(),
                cmr.memory().maxTotalEntries());
    }
}
