package dev.cmr.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every field of the generate body: defaults, exact JSON types, bounds with the bound in the message. */
class GenerateRequestTest {
    private static final GenerateRequest.Limits LIMITS = new GenerateRequest.Limits(10, 20);

    private static GenerateRequest parse(String json) {
        return GenerateRequest.parse(json.getBytes(StandardCharsets.UTF_8), LIMITS);
    }

    private static BadRequestException refused(String json) {
        return catchThrowableOfType(() -> parse(json), BadRequestException.class);
    }

    @Test
    void aPromptAloneGetsTheDefaults() {
        GenerateRequest r = parse("{\"prompt\": \"hi\"}");

        assertThat(r.promptTokens()).containsExactly('h', 'i');
        assertThat(r.maxTokens()).isEqualTo(Math.min(GenerateRequest.DEFAULT_MAX_TOKENS, LIMITS.maxTokens()));
        assertThat(r.temperature()).isZero();
        assertThat(r.stream()).isFalse();
    }

    @Test
    void everyFieldIsRead() {
        GenerateRequest r = parse("{\"prompt\": \"é\", \"max_tokens\": 7, \"temperature\": 0.8, \"stream\": true}");

        assertThat(r.promptTokens()).containsExactly(0xC3, 0xA9);
        assertThat(r.maxTokens()).isEqualTo(7);
        assertThat(r.temperature()).isEqualTo(0.8);
        assertThat(r.stream()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"prompt\": \"a\", \"max_token\": 3}               | max_token   | unknown field \"max_token\"; known: prompt, max_tokens, temperature, stream",
            "{\"max_tokens\": 3}                                  | prompt      | prompt is required",
            "{\"prompt\": 5}                                      | prompt      | prompt must be a string, was the integer 5",
            "{\"prompt\": null}                                   | prompt      | prompt must be a string, was null",
            "{\"prompt\": \"\"}                                   | prompt      | prompt must not be empty",
            "{\"prompt\": \"12345678901\"}                        | prompt      | prompt must be at most 10 UTF-8 bytes (the model's context less one), was 11",
            "{\"prompt\": \"a\", \"max_tokens\": \"5\"}           | max_tokens  | max_tokens must be an integer, was a string",
            "{\"prompt\": \"a\", \"max_tokens\": 5.5}             | max_tokens  | max_tokens must be an integer, was the number 5.5",
            "{\"prompt\": \"a\", \"max_tokens\": 0}               | max_tokens  | max_tokens must be in [1, 20], was 0",
            "{\"prompt\": \"a\", \"max_tokens\": 21}              | max_tokens  | max_tokens must be in [1, 20], was 21",
            "{\"prompt\": \"a\", \"max_tokens\": 99999999999}     | max_tokens  | max_tokens must be an integer, was the integer 99999999999",
            "{\"prompt\": \"a\", \"temperature\": \"hot\"}        | temperature | temperature must be a number, was a string",
            "{\"prompt\": \"a\", \"temperature\": -0.1}           | temperature | temperature must be in [0, 5.0], was -0.1",
            "{\"prompt\": \"a\", \"stream\": \"yes\"}             | stream      | stream must be true or false, was a string",
            "[1, 2]                                               | body        | body must be a JSON object with a \"prompt\"",
    })
    void aWrongFieldIsNamedWithWhatIsWrong(String json, String field, String message) {
        BadRequestException e = refused(json);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void malformedJsonDuplicateFieldsAndTrailingContentAreRefusedAsTheBody() {
        assertThat(refused("{\"prompt\": ").field()).isEqualTo("body");
        assertThat(refused("{\"prompt\": \"a\", \"prompt\": \"b\"}").getMessage()).contains("Duplicate field 'prompt'");
        assertThat(refused("").getMessage()).startsWith("body must be a JSON object");
        assertThat(refused("{\"prompt\": \"hi\"} }").field()).isEqualTo("body");
        assertThat(refused("{\"prompt\": \"hi\"} {}").getMessage()).startsWith("body is not valid JSON");
    }
}
