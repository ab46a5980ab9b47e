package dev.cmr.io;

import static dev.cmr.io.ConfigErrors.assertRejected;
import static dev.cmr.io.ConfigErrors.assertRejectedStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigObjectTest {

    /** Reads each key with the getter its name starts with ({@code bool_a}: bool), so a table drives every getter. */
    private static Object readAll(String json) {
        ConfigObject config = ConfigObject.parse(json);
        for (String key : config.keys()) {
            switch (key.substring(0, key.indexOf('_'))) {
                case "bool" -> config.bool(key);
                case "number" -> config.number(key);
                case "whole" -> config.wholeNumber(key);
                case "int" -> config.wholeInt(key);
                case "text" -> config.text(key);
                case "strings" -> config.strings(key);
                case "object" -> config.object(key).number("inner");
                default -> throw config.unknownKey(key, List.of("bool_a", "number_a"));
            }
        }
        return config;
    }

    @Test
    void keysComeInDocumentOrderAndGettersReadTheirTypes() {
        ConfigObject c = ConfigObject.parse("""
                {"b": true, "n": 0.25, "w": 4096, "i": -7, "t": "x", "s": ["a", "b"], "o": {"inner": 2}}
                """);

        assertThat(c.keys()).containsExactly("b", "n", "w", "i", "t", "s", "o");
        assertThat(c.bool("b")).isTrue();
        assertThat(c.number("n")).isEqualTo(0.25);
        assertThat(c.number("w")).isEqualTo(4096.0);
        assertThat(c.wholeNumber("w")).isEqualTo(4096L);
        assertThat(c.wholeInt("i")).isEqualTo(-7);
        assertThat(c.text("t")).isEqualTo("x");
        assertThat(c.strings("s")).containsExactly("a", "b");
        assertThat(c.object("o").number("inner")).isEqualTo(2.0);
        assertThat(c.object("o").path()).isEqualTo("o");
        assertThat(c.path()).isEmpty();
        assertThat(c.isSet("t")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"bool_a\": 1}                      | bool_a must be true or false, was 1",
            "{\"bool_a\": null}                   | bool_a must be true or false, was null",
            "{\"number_a\": \"1\"}                | number_a must be a number, was \"1\"",
            "{\"whole_a\": 1.0}                   | whole_a must be a whole number, was 1.0",
            "{\"whole_a\": 1e3}                   | whole_a must be a whole number, was 1000.0",
            "{\"whole_a\": 99999999999999999999}  | whole_a must be a whole number, was 99999999999999999999",
            "{\"int_a\": 2147483648}              | int_a must be in [-2147483648, 2147483647], was 2147483648",
            "{\"text_a\": 3}                      | text_a must be a string, was 3",
            "{\"strings_a\": \"x\"}               | strings_a must be a list of strings, was \"x\"",
            "{\"strings_a\": [\"x\", {}]}         | strings_a must be a list of strings, has {}",
            "{\"object_a\": [1]}                  | object_a must be a JSON object, was [1]",
            "{\"object_a\": {\"inner\": true}}    | object_a.inner must be a number, was true",
            "{\"object_a\": {}}                   | object_a.inner is required",
            "{\"boo_a\": true}                    | unknown configuration key 'boo_a'; did you mean 'bool_a'?",
    })
    void eachGetterNamesTheKeyPathAndTheValueFound(String json, String message) {
        assertRejected(ConfigObjectTest::readAll, json, message);
    }

    @Test
    void invalidJsonTrailingContentAndRepeatedKeysAreRejected() {
        assertRejectedStartingWith(ConfigObject::parse, "{\"a\": 1,", "configuration is not valid JSON: ");
        assertRejectedStartingWith(ConfigObject::parse, "{\"a\": 1}}", "configuration is not valid JSON: ");
        assertRejectedStartingWith(ConfigObject::parse, "{\"a\": 1} {\"a\": 2}", "configuration is not valid JSON: ");
        assertRejectedStartingWith(ConfigObject::parse, "{\"a\": 1, \"a\": 2}",
                "configuration is not valid JSON: Duplicate field 'a'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[1, 2]", "42", "\"text\"", "null", "''"})
    void onlyAJsonObjectIsAConfiguration(String json) {
        assertRejected(ConfigObject::parse, json, "configuration must be a JSON object");
    }

    @Test
    void atNamesNestedObjectsByTheirPathAndRejectsOtherValues() throws Exception {
        JsonNode node = new ObjectMapper().readTree("{\"name\": 1, \"treshold\": 2, \"x\": 3}");
        ConfigObject rule = ConfigObject.at("rules[3]", node);

        assertThat(rule.path()).isEqualTo("rules[3]");
        assertThat(rule.path("name")).isEqualTo("rules[3].name");
        assertThatThrownBy(() -> rule.rejectUnknownKeys(List.of("name", "threshold")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown configuration key 'rules[3].treshold'; did you mean 'rules[3].threshold'?");
        assertThat(rule.invalid("name", "is wrong")).hasMessage("rules[3].name is wrong");
        assertRejected(n -> ConfigObject.at("rules[4]", n), node.get("name"), "rules[4] must be a JSON object, was 1");
    }

    @Test
    void aMapIsReadAsTheJsonItWouldBeWrittenAs() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("w", 32L);
        values.put("n", 0.5f);
        values.put("o", Map.of(3, 2.0));
        values.put("s", List.of("a"));
        values.put("z", null);
        ConfigObject c = ConfigObject.of(values);

        assertThat(c.keys()).containsExactly("w", "n", "o", "s", "z");
        assertThat(c.wholeInt("w")).isEqualTo(32);
        assertThat(c.number("n")).isEqualTo(0.5);
        assertThat(c.object("o").number("3")).isEqualTo(2.0);
        assertThat(c.strings("s")).containsExactly("a");
        assertThat(c.isSet("z")).isFalse();
        assertRejected(map -> ConfigObject.of(map).wholeInt("w"), Map.of("w", 2.5),
                "w must be a whole number, was 2.5");
        assertRejected(map -> ConfigObject.of(map).text("t"), Map.of("t", 7), "t must be a string, was 7");
    }

    @Test
    void aMapsNullKeyAndNonJsonValueAreNamed() {
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThat(ConfigObject.of(nullKey).keys()).containsExactly("null");
        Object opaque = new Object();
        assertRejected(ConfigObject::of, Map.of("k", opaque), "k must be a JSON value, was " + opaque);
    }

    @Test
    void loadPrefixesEveryErrorWithTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"text_a\": 3}");
        Function<Path, Object> load = f -> ConfigObject.load(f, ConfigObjectTest::readAll);

        assertRejected(load, file, file + ": text_a must be a string, was 3");
        Files.writeString(file, "{\"text_a\": \"ok\"}");
        assertThat(load.apply(file)).isInstanceOf(ConfigObject.class);
    }

    @Test
    void loadOfAMissingFileSaysNotFound(@TempDir Path dir) {
        Path file = dir.resolve("missing.json");

        assertRejected(f -> ConfigObject.load(f, ConfigObject::parse), file, file + ": not found");
    }
}
