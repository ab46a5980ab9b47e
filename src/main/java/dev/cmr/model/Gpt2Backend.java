package dev.cmr.model;

/**
 * Where a GPT-2 decoder runs: the seam between the CMR model and its transformer. {@link Gpt2Model} runs it on the
 * CPU (Java + OpenBLAS); {@code dev.cmr.model.opencl.OpenClGpt2Model} runs it as OpenCL kernels on a device. Both
 * compute the same function of the same weights and call the {@link BlockListener} around each block, so
 * {@link FullCmrModel} runs unchanged on either.
 *
 * <p>Not thread-safe: one forward pass at a time per backend. A {@link KvCache} belongs to the backend that made it.
 */
public interface Gpt2Backend extends AutoCloseable {
    Gpt2Config config();

    /** One line for humans: which device, and how (e.g. {@code cpu (Java + OpenBLAS)}). */
    String description();

    /** Whether this backend computes on the host CPU, with no device (so no device times can exist). */
    default boolean runsOnCpu() {
        return false;
    }

    /** An empty cache for one sequence, in this backend's memory. */
    KvCache newCache();

    /**
     * Runs {@code tokenIds} as the next positions of the sequence in {@code cache} (appending their keys and
     * values) and returns their logits {@code [position][vocab]}.
     *
     * @throws IllegalArgumentException if a token id is outside the vocabulary, the context would overflow, or the
     *                                  cache belongs to another backend
     * @throws IllegalStateException    if the backend is closed
     */
    float[][] forward(int[] tokenIds, KvCache cache, BlockListener listener);

    /** Logits {@code [position][vocab]} of one full forward pass over {@code tokenIds}, without a cache. */
    default float[][] logits(int[] tokenIds) {
        try (KvCache cache = newCache()) {
            return forward(tokenIds, cache, BlockListener.NONE);
        }
    }

    /**
     * Generates up to {@code maxNewTokens} tokens after {@code prompt} with a KV cache: one pass over the prompt,
     * then one position per new token. Stops early at {@code stopToken} (-1 for none) or at the context length.
     */
    default int[] generate(int[] prompt, int maxNewTokens, TokenSampler sampler, int stopToken) {
        try (KvCache cache = newCache()) {
            return Generation.run(tokens -> forward(tokens, cache, BlockListener.NONE), cache, prompt, maxNewTokens,
                    sampler, stopToken);
        }
    }

    /** Frees the backend's memory (host or device); later passes throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
