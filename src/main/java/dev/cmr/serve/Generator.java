package dev.cmr.serve;

import dev.cmr.model.TokenSampler;

/**
 * One worker's model: generates up to {@code maxNewTokens} after {@code prompt} in a fresh sequence, calling
 * {@code sampler} once per generated token, and stops early at the end-of-text token or a full context. Called by
 * one worker thread only; implementations need not be thread-safe.
 */
@FunctionalInterface
public interface Generator {
    int[] generate(int[] prompt, int maxNewTokens, TokenSampler sampler);
}
