package dev.cmr.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;

/**
 * Assertions for configuration readers and builders, for tables of bad input and the exact message the user reads
 * (the message is the interface: see {@link ConfigValues} for its shape).
 */
public final class ConfigErrors {
    private ConfigErrors() {
    }

    /** Reading {@code input} fails with an {@link IllegalArgumentException} whose message is {@code message}. */
    public static <T> void assertRejected(Function<T, ?> reader, T input, String message) {
        assertThatThrownBy(() -> reader.apply(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    /** Reading {@code input} fails with an {@link IllegalArgumentException} whose message starts with prefix. */
    public static <T> void assertRejectedStartingWith(Function<T, ?> reader, T input, String prefix) {
        assertThatThrownBy(() -> reader.apply(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(prefix);
    }

    /** The JSON object {@code {"<typo>": 1}} is rejected with a message that suggests {@code expected}. */
    public static void assertSuggests(Function<String, ?> fromJson, String typo, String expected) {
        assertRejected(fromJson, "{\"" + typo + "\": 1}",
                "unknown configuration key '" + typo + "'; did you mean '" + expected + "'?");
    }
}
