package dev.cmr.model;

import java.util.Arrays;
import java.util.function.Function;

/** The autoregressive loop shared by the plain and the CMR model. */
final class Generation {
    private Generation() {
    }

    /** {@code pass} runs tokens as the next positions of {@code cache}'s sequence and returns their logits. */
    static int[] run(Function<int[], float[][]> pass, KvCache cache, int[] prompt, int maxNewTokens,
                     TokenSampler sampler, int stopToken) {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, was " + maxNewTokens);
        }
        int[] out = new int[maxNewTokens];
        int produced = 0;
        float[][] logits = pass.apply(prompt);
        while (produced < maxNewTokens) {
            int next = sampler.next(logits[logits.length - 1]);
            out[produced++] = next;
            // No pass after the last token: its logits would never be used.
            if (produced == maxNewTokens || next == stopToken || cache.length() >= cache.contextLength()) {
                break;
            }
            logits = pass.apply(new int[] {next});
        }
        return Arrays.copyOf(out, produced);
    }
}
