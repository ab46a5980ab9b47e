package dev.cmr.serve;

/**
 * Receives each generated token as soon as it is sampled, on the worker thread, before the next forward pass.
 * Must not block (the model waits): hand the token to another thread.
 */
@FunctionalInterface
public interface TokenSink {
    TokenSink NONE = token -> { };

    void token(int tokenId);
}
