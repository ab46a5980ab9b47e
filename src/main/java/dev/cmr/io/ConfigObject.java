package dev.cmr.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A JSON object of configuration values, read key by key. A configuration class's reader walks {@link #keys()} in
 * document order, calls the typed getter for each key it knows and throws {@link #unknownKey} for any other; range
 * checks belong to the configuration's builder ({@link ConfigValues}), so that built and read values are checked
 * alike.
 *
 * <p>Every error is an {@link IllegalArgumentException} in the style of {@link ConfigValues}: the message starts with
 * the key's full path, e.g. {@code "alert_thresholds.high_latency must be a number, was \"fast\""}. Immutable and
 * safe to share between threads.
 */
public final class ConfigObject {
    // Trailing content and repeated keys are errors: a half-edited file must not load as something else.
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String path;
    private final JsonNode node;

    private ConfigObject(String path, JsonNode node) {
        this.path = path;
        this.node = node;
    }

    /** The top-level object of a JSON text. */
    public static ConfigObject parse(String json) {
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("configuration is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("configuration must be a JSON object");
        }
        return new ConfigObject("", root);
    }

    /**
     * The top-level object of values already parsed into Java objects (from JSON or YAML): maps, lists, strings,
     * numbers, booleans and nulls, converted as Jackson converts them. A null key becomes the key {@code "null"}.
     */
    public static ConfigObject of(Map<String, ?> values) {
        ObjectNode root = READER.createObjectNode();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = String.valueOf(e.getKey());
            try {
                root.set(key, READER.valueToTree(e.getValue()));
            } catch (IllegalArgumentException notJson) {
                throw new IllegalArgumentException(key + " must be a JSON value, was " + e.getValue(), notJson);
            }
        }
        return new ConfigObject("", root);
    }

    /**
     * The object {@code node} found at {@code path} of a configuration, for readers of arrays of objects.
     *
     * @throws IllegalArgumentException if {@code node} is not an object
     */
    public static ConfigObject at(String path, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " must be a JSON object, was " + shown(node));
        }
        return new ConfigObject(path, node);
    }

    /**
     * Reads a configuration file with {@code fromJson}, prefixing every {@link IllegalArgumentException} message with
     * the file's path and {@code ": "}.
     *
     * @throws IllegalArgumentException {@code <file>: not found}, {@code <file>: is a directory},
     *         {@code <file>: not valid UTF-8 (byte offset N)}, or a bad value, named
     * @throws UncheckedIOException {@code <file>: <reason>} if the file exists but cannot be read
     */
    public static <T> T load(Path file, Function<String, T> fromJson) {
        String json = readUtf8(file);
        try {
            return fromJson.apply(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's text. A file the caller named wrongly (missing, a directory, not UTF-8) is bad input; any other
     * failure is the file system's.
     */
    private static String readUtf8(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": is a directory");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(IoErrors.describe(file, e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(IoErrors.describe(file, e), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            // The decoder stops with the buffer at the first byte it could not decode.
            throw new IllegalArgumentException(file + ": not valid UTF-8 (byte offset " + in.position() + ")", e);
        }
    }

    /** Where this object sits in the configuration: {@code ""} at the top level, else e.g. {@code "alert_rules[0]"}. */
    public String path() {
        return path;
    }

    /** The full path of {@code key} in this object, as error messages name it. */
    public String path(String key) {
        return ConfigValues.path(path, key);
    }

    /** The keys present, in document order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The error for a present key that is none of {@code validKeys}; see {@link ConfigValues#unknownKey}. */
    public IllegalArgumentException unknownKey(String key, Collection<String> validKeys) {
        return ConfigValues.unknownKey(path, key, validKeys);
    }

    /** Fails on the first key, in document order, that is none of {@code validKeys}. */
    public void rejectUnknownKeys(Collection<String> validKeys) {
        for (String key : keys()) {
            if (!validKeys.contains(key)) {
                throw unknownKey(key, validKeys);
            }
        }
    }

    /** The raw value of {@code key}, or null if the key is absent. */
    public JsonNode get(String key) {
        return node.get(key);
    }

    /** Whether {@code key} is present with a value other than JSON null. */
    public boolean isSet(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public boolean bool(String key) {
        JsonNode v = present(key);
        if (!v.isBoolean()) {
            throw invalid(key, "must be true or false, was " + shown(v));
        }
        return v.booleanValue();
    }

    public double number(String key) {
        JsonNode v = present(key);
        if (!v.isNumber()) {
            throw invalid(key, "must be a number, was " + shown(v));
        }
        return v.doubleValue();
    }

    /** A JSON integer (written without fraction or exponent) that fits a long. */
    public long wholeNumber(String key) {
        JsonNode v = present(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid(key, "must be a whole number, was " + shown(v));
        }
        return v.longValue();
    }

    /** A {@link #wholeNumber} that fits an int. */
    public int wholeInt(String key) {
        long v = wholeNumber(key);
        if (v != (int) v) {
            throw invalid(key, "must be in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "], was " + v);
        }
        return (int) v;
    }

    public String text(String key) {
        JsonNode v = present(key);
        if (!v.isTextual()) {
            throw invalid(key, "must be a string, was " + shown(v));
        }
        return v.textValue();
    }

    public List<String> strings(String key) {
        JsonNode v = present(key);
        if (!v.isArray()) {
            throw invalid(key, "must be a list of strings, was " + shown(v));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw invalid(key, "must be a list of strings, has " + shown(item));
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** The nested object at {@code key}; its errors name their keys as {@code key.inner}. */
    public ConfigObject object(String key) {
        JsonNode v = present(key);
        if (!v.isObject()) {
            throw invalid(key, "must be a JSON object, was " + shown(v));
        }
        return new ConfigObject(path(key), v);
    }

    /**
     * A value from the input as a message shows it: a string as {@link ConfigValues#quoted} shows it, anything else
     * as its JSON text, cut after {@link ConfigValues#SHOWN_CHARS} characters with {@code ...} and its length.
     */
    public static String shown(JsonNode value) {
        if (value.isTextual()) {
            return ConfigValues.quoted(value.textValue());
        }
        String json = value.toString();
        return json.length() > ConfigValues.SHOWN_CHARS
                ? json.substring(0, ConfigValues.SHOWN_CHARS) + "... (" + json.length() + " chars)" : json;
    }

    /** The error {@code "<full path of key> <problem>"}, for checks a reader makes itself. */
    public IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(path(key) + " " + problem);
    }

    private JsonNode present(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw invalid(key, "is required");
        }
        return v;
    }
}
