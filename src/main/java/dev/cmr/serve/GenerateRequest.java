package dev.cmr.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cmr.model.ByteTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One {@code POST /v1/generate} body, checked: {@code {"prompt": string, "max_tokens": int, "temperature": number,
 * "stream": bool}}. {@code prompt} is required, non-empty and at most {@link Limits#maxPromptBytes()} UTF-8 bytes
 * (the byte tokenizer makes one token per byte); {@code max_tokens} (default {@value #DEFAULT_MAX_TOKENS}) is in
 * {@code [1, maxTokens]}; {@code temperature} (default 0: greedy) is in {@code [0, }{@value #MAX_TEMPERATURE}{@code ]};
 * {@code stream} defaults to false. JSON types are exact: {@code "5"} is not an integer, {@code 5.5} is not an
 * integer, {@code null} is not a value. Unknown and duplicate fields are refused.
 *
 * @param promptTokens the prompt's byte tokens
 */
public record GenerateRequest(String prompt, int[] promptTokens, int maxTokens, double temperature, boolean stream) {
    public static final int DEFAULT_MAX_TOKENS = 32;
    public static final double MAX_TEMPERATURE = 5.0;
    static final Set<String> FIELDS = Set.of("prompt", "max_tokens", "temperature", "stream");

    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** The bounds of one service: prompt bytes and generated tokens. */
    public record Limits(int maxPromptBytes, int maxTokens) {
        public Limits {
            if (maxPromptBytes < 1 || maxTokens < 1) {
                throw new IllegalArgumentException("limits must be >= 1, were " + maxPromptBytes + " and " + maxTokens);
            }
        }
    }

    /**
     * Parses and checks a body.
     *
     * @throws BadRequestException naming the field (or {@code body}) and, for a bound, the bound
     */
    public static GenerateRequest parse(byte[] body, Limits limits) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("body", "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("body", "body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestException("body", "body must be a JSON object with a \"prompt\"");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new BadRequestException(name, "unknown field \"" + name + "\"; known: prompt, max_tokens, "
                        + "temperature, stream");
            }
        }
        JsonNode prompt = root.get("prompt");
        if (prompt == null) {
            throw new BadRequestException("prompt", "prompt is required");
        }
        if (!prompt.isTextual()) {
            throw new BadRequestException("prompt", "prompt must be a string, was " + kind(prompt));
        }
        String text = prompt.textValue();
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            throw new BadRequestException("prompt", "prompt must not be empty");
        }
        if (bytes > limits.maxPromptBytes()) {
            throw new BadRequestException("prompt", "prompt must be at most " + limits.maxPromptBytes()
                    + " UTF-8 bytes (the model's context less one), was " + bytes);
        }
        int maxTokens = DEFAULT_MAX_TOKENS;
        JsonNode max = root.get("max_tokens");
        if (max != null) {
            if (!max.isIntegralNumber() || !max.canConvertToInt()) {
                throw new BadRequestException("max_tokens", "max_tokens must be an integer, was " + kind(max));
            }
            maxTokens = max.intValue();
            if (maxTokens < 1 || maxTokens > limits.maxTokens()) {
                throw new BadRequestException("max_tokens", "max_tokens must be in [1, " + limits.maxTokens()
                        + "], was " + maxTokens);
            }
        } else {
            maxTokens = Math.min(maxTokens, limits.maxTokens());
        }
        double temperature = 0;
        JsonNode temp = root.get("temperature");
        if (temp != null) {
            if (!temp.isNumber()) {
                throw new BadRequestException("temperature", "temperature must be a number, was " + kind(temp));
            }
            temperature = temp.doubleValue();
            if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
                throw new BadRequestException("temperature", "temperature must be in [0, " + MAX_TEMPERATURE
                        + "], was " + temp.asText());
            }
        }
        boolean stream = false;
        JsonNode s = root.get("stream");
        if (s != null) {
            if (!s.isBoolean()) {
                throw new BadRequestException("stream", "stream must be true or false, was " + kind(s));
            }
            stream = s.booleanValue();
        }
        return new GenerateRequest(text, TOKENIZER.encode(text), maxTokens, temperature, stream);
    }

    private static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "the integer " + node.asText();
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        return node.isArray() ? "an array" : "an object";
    }
}
