package dev.cmr.serve;

import java.util.concurrent.CompletableFuture;

/**
 * One accepted request on its way through the service. Its future completes on the worker thread (normally, or
 * exceptionally when the model threw); {@link #cancel()} is safe from any thread and makes the generation stop
 * after the token being sampled, with finish reason {@code cancelled}.
 */
public final class InferenceJob {
    final GenerateRequest request;
    final TokenSink sink;
    final long acceptedNanos;
    final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile boolean cancelled;

    InferenceJob(GenerateRequest request, TokenSink sink, long acceptedNanos) {
        this.request = request;
        this.sink = sink;
        this.acceptedNanos = acceptedNanos;
    }

    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    public void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }
}
