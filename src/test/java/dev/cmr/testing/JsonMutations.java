package dev.cmr.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of malformed JSON for parser fuzz tests, all derived from one valid document so that most mutants get
 * past the syntax check and reach the parser's field checks:
 * <ul>
 *   <li>{@link #singleMutations}: one value anywhere in the tree replaced by another kind or an extreme (wrong type,
 *       huge or negative number, {@code NaN}/{@code Infinity} literals, deep nesting, a very long string, null), one
 *       key removed, an unknown key added, or one key repeated;</li>
 *   <li>{@link #truncations}: the document cut at every possible length;</li>
 *   <li>{@link #garbage}: random text, and random text glued to the valid document.</li>
 * </ul>
 * A mutant is not necessarily invalid (a changed number may still be in range): properties assert that a parser
 * either accepts it or refuses it cleanly. Stateless; the arbitraries are safe to share.
 */
public final class JsonMutations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A string placeholder, replaced after serialization by raw text a tree cannot hold. */
    private static final String RAW = "\u0000raw\u0000";
    /** Nesting deeper than any parser's sensible limit, and than a naive recursive reader's stack. */
    static final int DEEP = 100_000;
    static final int LONG_STRING = 1 << 20;

    private JsonMutations() {
    }

    /** Where a value sits: its container and its key (objects) or index (arrays). */
    private record Slot(JsonNode container, String key, int index) {
        String describe() {
            return key != null ? "." + key : "[" + index + "]";
        }
    }

    /** One mutated document, with a word on what was changed (jqwik prints it on failure). */
    public record Mutant(String json, String change) {
        public byte[] utf8() {
            return json.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String shown = json.length() > 400 ? json.substring(0, 400) + "...(" + json.length() + " chars)" : json;
            return change + ": " + shown;
        }
    }

    /** Replacement values: wrong types, extremes, and raw tokens written in place of {@link #RAW}. */
    private static final List<String> RAW_VALUES = List.of(
            "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0", "-0.0",
            "123456789012345678901234567890", "-123456789012345678901234567890",
            "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649",
            "1" + "0".repeat(2000), "0." + "1".repeat(2000), "1e2147483648",
            "[".repeat(DEEP) + "]".repeat(DEEP), "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP),
            "'single'", "undefined", "0x10", "+1", ".5", "01");

    private static List<JsonNode> replacementNodes() {
        List<JsonNode> values = new ArrayList<>();
        values.add(NODES.nullNode());
        values.add(NODES.booleanNode(true));
        values.add(NODES.booleanNode(false));
        values.add(NODES.numberNode(0));
        values.add(NODES.numberNode(-1));
        values.add(NODES.numberNode(1));
        values.add(NODES.numberNode(0.5));
        values.add(NODES.numberNode(-0.5));
        values.add(NODES.numberNode(Long.MAX_VALUE));
        values.add(NODES.numberNode(Long.MIN_VALUE));
        values.add(NODES.numberNode(Integer.MAX_VALUE));
        values.add(NODES.numberNode(Integer.MIN_VALUE));
        values.add(NODES.numberNode(1e300));
        values.add(NODES.numberNode(-1e300));
        values.add(NODES.numberNode(Double.MIN_VALUE));
        values.add(NODES.numberNode(new BigInteger("1" + "0".repeat(40))));
        values.add(NODES.textNode(""));
        values.add(NODES.textNode(" "));
        values.add(NODES.textNode("1"));
        values.add(NODES.textNode("NaN"));
        values.add(NODES.textNode("x".repeat(LONG_STRING)));
        values.add(NODES.textNode("\ud800"));
        values.add(NODES.textNode("\u0000/\\\"\n"));
        values.add(NODES.arrayNode());
        values.add(NODES.arrayNode().add(1).add("a").addNull());
        values.add(NODES.objectNode());
        values.add(NODES.objectNode().put("unknown", 1));
        return values;
    }

    /** Every single-change mutant of {@code valid}, which must be a JSON object or array. */
    public static Arbitrary<Mutant> singleMutations(String valid) {
        JsonNode root = read(valid);
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        List<Slot> objectSlots = new ArrayList<>();
        List<JsonNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        for (Slot s : slots) {
            if (s.key() != null) {
                objectSlots.add(s);
            }
        }
        List<JsonNode> replacements = replacementNodes();
        Arbitrary<Mutant> replaceNode = Combinators.combine(Arbitraries.of(slots), Arbitraries.of(replacements))
                .as((slot, value) -> mutate(root, slot, slotCopy -> set(slotCopy, value),
                        "set " + slot.describe() + " to " + abbreviate(value.toString())));
        Arbitrary<Mutant> replaceRaw = Combinators.combine(Arbitraries.of(slots), Arbitraries.of(RAW_VALUES))
                .as((slot, raw) -> {
                    Mutant m = mutate(root, slot, slotCopy -> set(slotCopy, NODES.textNode(RAW)), "");
                    return new Mutant(m.json().replace(JSON_RAW, raw),
                            "set " + slot.describe() + " to raw " + abbreviate(raw));
                });
        Arbitrary<Mutant> remove = objectSlots.isEmpty() ? replaceNode : Arbitraries.of(objectSlots)
                .map(slot -> mutate(root, slot, s -> ((ObjectNode) s.container()).remove(s.key()),
                        "remove " + slot.describe()));
        Arbitrary<Mutant> unknown = Arbitraries.of(indices(objects)).map(i -> {
            JsonNode copy = root.deepCopy();
            List<JsonNode> copies = new ArrayList<>();
            collectObjects(copy, copies);
            ((ObjectNode) copies.get(i)).put("unknown_key_zz", 1);
            return new Mutant(write(copy), "add unknown key to object #" + i);
        });
        Arbitrary<Mutant> duplicate = objectSlots.isEmpty() ? replaceNode : Arbitraries.of(objectSlots)
                .map(slot -> {
                    Mutant m = mutate(root, slot, s -> ((ObjectNode) s.container()).put(RAW, 1), "");
                    // The placeholder key becomes a second copy of an existing key of the same object.
                    return new Mutant(m.json().replace(JSON_RAW, JSON.valueToTree(slot.key()).toString()),
                            "repeat key " + slot.describe());
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, replaceNode), net.jqwik.api.Tuple.of(3, replaceRaw),
                net.jqwik.api.Tuple.of(2, remove), net.jqwik.api.Tuple.of(1, unknown),
                net.jqwik.api.Tuple.of(1, duplicate));
    }

    /** {@code valid} cut to each length from 0 to one less than its own. */
    public static Arbitrary<Mutant> truncations(String valid) {
        return Arbitraries.integers().between(0, valid.length() - 1)
                .map(n -> new Mutant(valid.substring(0, n), "truncate to " + n + " chars"));
    }

    /** Random text, and the valid document followed or preceded by random text. */
    public static Arbitrary<Mutant> garbage(String valid) {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.-+eEtrufalsn \\").ofMaxLength(
                200);
        return Arbitraries.oneOf(
                text.map(s -> new Mutant(s, "random text")),
                jsonish.map(s -> new Mutant(s, "random JSON-like text")),
                jsonish.map(s -> new Mutant(valid + s, "valid document then text")),
                jsonish.map(s -> new Mutant(s + valid, "text then valid document")));
    }

    /** Every mutant kind above, mixed. */
    public static Arbitrary<Mutant> all(String valid) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, singleMutations(valid)), net.jqwik.api.Tuple.of(2, truncations(valid)),
                net.jqwik.api.Tuple.of(2, garbage(valid)));
    }

    /** The placeholder as it appears in serialized JSON. */
    private static final String JSON_RAW = "\"\\u0000raw\\u0000\"";

    private static Mutant mutate(JsonNode root, Slot slot, java.util.function.Consumer<Slot> change, String what) {
        JsonNode copy = root.deepCopy();
        List<Slot> copies = new ArrayList<>();
        collect(copy, copies);
        Slot target = copies.get(indexOf(root, slot));
        change.accept(target);
        return new Mutant(write(copy), what);
    }

    private static int indexOf(JsonNode root, Slot slot) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.container() == slot.container() && s.index() == slot.index()
                    && java.util.Objects.equals(s.key(), slot.key())) {
                return i;
            }
        }
        throw new IllegalStateException("slot not in tree");
    }

    private static void set(Slot slot, JsonNode value) {
        if (slot.key() != null) {
            ((ObjectNode) slot.container()).set(slot.key(), value);
        } else {
            ((ArrayNode) slot.container()).set(slot.index(), value);
        }
    }

    /** Every value slot, depth first in document order. */
    private static void collect(JsonNode node, List<Slot> out) {
        if (node.isObject()) {
            for (var it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                out.add(new Slot(node, key, -1));
                collect(node.get(key), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new Slot(node, null, i));
                collect(node.get(i), out);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            out.add(node);
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collectObjects(child, out));
        }
    }

    private static List<Integer> indices(List<?> list) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(i);
        }
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + " chars)" : s;
    }
}
