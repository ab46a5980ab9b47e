package dev.cmr.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one request produced: the generated tokens, their text, why generation stopped, and its timing.
 *
 * @param finishReason {@code length} (max_tokens reached), {@code stop} (the end-of-text token),
 *                     {@code context_length} (the model's context is full) or {@code cancelled} (the client went
 *                     away, or shutdown ran out of time)
 */
public record GenerationResult(String text, int[] tokens, String finishReason, Timing timing) {
    public static final String LENGTH = "length";
    public static final String STOP = "stop";
    public static final String CONTEXT_LENGTH = "context_length";
    public static final String CANCELLED = "cancelled";

    /**
     * Milliseconds on the host clock.
     *
     * @param queueMillis           from acceptance until a worker took the request
     * @param firstTokenMillis      from the worker taking it until the first token was sampled (the prompt's pass)
     * @param generateMillis        the worker's whole generation
     * @param tokensPerSecond       generated tokens over the generation time
     */
    public record Timing(double queueMillis, double firstTokenMillis, double generateMillis, double tokensPerSecond) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queue_ms", queueMillis);
            m.put("first_token_ms", firstTokenMillis);
            m.put("generate_ms", generateMillis);
            m.put("total_ms", queueMillis + generateMillis);
            m.put("tokens_per_second", tokensPerSecond);
            return m;
        }
    }

    /** The response body's shape, snake_case keys. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        m.put("tokens", tokens);
        m.put("finish_reason", finishReason);
        m.put("timing", timing.toMap());
        return m;
    }
}
