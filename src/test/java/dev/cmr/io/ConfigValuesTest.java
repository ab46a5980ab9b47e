package dev.cmr.io;

import static dev.cmr.io.ConfigErrors.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValuesTest {
    private static final List<String> KEYS = List.of("max_layers", "max_history_size", "live_window");

    private enum Colour {
        DARK_RED("dark_red"), BLUE("blue");

        private final String spelling;

        Colour(String spelling) {
            this.spelling = spelling;
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "max_layer,        max_layers",
            "max_histry_size,  max_history_size",
            "livewindow,       live_window",
            "zzz,              max_layers",
    })
    void unknownKeySuggestsTheNearestKeyAndTheFirstOfEquals(String typo, String expected) {
        assertThat(ConfigValues.unknownKey("", typo, KEYS))
                .hasMessage("unknown configuration key '" + typo + "'; did you mean '" + expected + "'?");
    }

    @Test
    void unknownNestedKeyIsNamedAndSuggestedWithItsPath() {
        assertThat(ConfigValues.unknownKey("alert_rules[2]", "treshold", List.of("name", "threshold")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown configuration key 'alert_rules[2].treshold'; "
                        + "did you mean 'alert_rules[2].threshold'?");
    }

    @Test
    void rangesNameTheKeyTheBoundsAndTheValueAsWritten() {
        assertRejected(v -> ConfigValues.inClosedRange("k", v, 0.01, 3600), 3600.5,
                "k must be in [0.01, 3600], was 3600.5");
        assertRejected(v -> ConfigValues.inClosedRange("k", v, 0, 1), Double.NaN, "k must be in [0, 1], was NaN");
        assertRejected(v -> ConfigValues.inLeftOpenRange("k", v, 1, 1000), 1.0, "k must be in (1, 1000], was 1");
        assertRejected(v -> ConfigValues.inLeftOpenRange("k", v, 0, 1), Double.NaN, "k must be in (0, 1], was NaN");
        assertRejected(v -> ConfigValues.atLeast("k", v, 1), 0, "k must be >= 1, was 0");
        assertRejected(v -> ConfigValues.finite("k", v), Double.POSITIVE_INFINITY, "k must be finite, was Infinity");
        assertRejected(v -> ConfigValues.finiteNonNegative("k", v), -1.0, "k must be finite and >= 0, was -1");
        assertRejected(v -> ConfigValues.finiteNonNegative("k", v), Double.NaN, "k must be finite and >= 0, was NaN");
        assertRejected(v -> ConfigValues.notNull("k", v), null, "k must not be null");
    }

    @Test
    void boundsAreInclusiveWhereTheIntervalSaysSo() {
        assertThat(ConfigValues.inClosedRange("k", 0.01, 0.01, 3600)).isEqualTo(0.01);
        assertThat(ConfigValues.inClosedRange("k", 3600, 0.01, 3600)).isEqualTo(3600);
        assertThat(ConfigValues.inLeftOpenRange("k", 1000, 1, 1000)).isEqualTo(1000);
        assertThat(ConfigValues.inLeftOpenRange("k", Math.nextUp(1.0), 1, 1000)).isEqualTo(Math.nextUp(1.0));
        assertThat(ConfigValues.atLeast("k", 1, 1)).isEqualTo(1);
        assertThat(ConfigValues.finiteNonNegative("k", 0)).isEqualTo(0);
    }

    @Test
    void subsetIsDeduplicatedInTheAllowedOrderAndNamesTheFirstStranger() {
        List<String> allowed = List.of("console", "log", "file");

        assertThat(ConfigValues.subset("k", List.of("file", "console", "file"), allowed))
                .containsExactly("console", "file");
        assertRejected(v -> ConfigValues.subset("k", v, allowed), List.of("log", "email"),
                "k may only contain [console, log, file], has \"email\"");
    }

    @Test
    void byKeyFindsTheConstantBySpellingAndNamesTheAllowedSpellings() {
        Function<String, Colour> lookup = s -> ConfigValues.byKey("colour", Colour.values(), c -> c.spelling, s);

        assertThat(lookup.apply("dark_red")).isSameAs(Colour.DARK_RED);
        assertThat(lookup.apply("blue")).isSameAs(Colour.BLUE);
        assertRejected(lookup, "DARK_RED", "colour must be one of [dark_red, blue], was \"DARK_RED\"");
        assertRejected(lookup, null, "colour must be one of [dark_red, blue], was null");
    }

    @Test
    void filePathMustBeNonBlankAndValid() {
        assertThat(ConfigValues.filePath("k", "/var/log/a.jsonl")).isEqualTo("/var/log/a.jsonl");
        assertRejected(v -> ConfigValues.filePath("k", v), " ", "k must be a file path, was \" \"");
        assertThatThrownBy(() -> ConfigValues.filePath("k", "a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("k must be a file path, was \"a\\u0000b\": ");
    }

    @Test
    void formatWritesWholeNumbersWithoutAFraction() {
        assertThat(ConfigValues.format(3600.0)).isEqualTo("3600");
        assertThat(ConfigValues.format(-3)).isEqualTo("-3");
        assertThat(ConfigValues.format(0.01)).isEqualTo("0.01");
        assertThat(ConfigValues.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(ConfigValues.format(Double.NaN)).isEqualTo("NaN");
    }
}
