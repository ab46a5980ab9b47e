package dev.cmr.monitor.probe;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the integer constants of a C header (object-like {@code #define NAME expression} and enumerators) whose
 * names start with a prefix, and compares them with the static fields of the Java class that mirrors them.
 *
 * <p>Expressions are evaluated as C does for the forms a header of constants uses: decimal, hex and octal literals
 * with {@code u}/{@code l} suffixes, parentheses, unary {@code - ~ +}, {@code * / % + - << >> & ^ |}, and names
 * defined earlier in the same text. A macro whose body is anything else ({@code __attribute__(...)}, a string, a
 * function-like macro) is not an integer constant and is skipped. Stateless; thread-safe.
 */
final class HeaderConstants {
    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern LINE_COMMENT = Pattern.compile("//[^\n]*");
    private static final Pattern DEFINE = Pattern.compile("(?m)^\\s*#\\s*define\\s+([A-Za-z_]\\w*+)(?!\\()(.*)$");
    private static final Pattern ENUM_BODY = Pattern.compile("\\benum\\b\\s*\\w*\\s*\\{([^}]*)}");
    private static final Pattern ENUMERATOR = Pattern.compile("\\s*([A-Za-z_]\\w*)\\s*(?:=(.*))?", Pattern.DOTALL);

    private HeaderConstants() {
    }

    /** Every integer constant of header whose name starts with prefix, in the order they appear, by name. */
    static Map<String, Long> read(String header, String prefix) {
        String text = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(header.replace("\\\n", " ")).replaceAll(" "))
                .replaceAll("");
        Map<String, Long> known = new LinkedHashMap<>();
        Matcher define = DEFINE.matcher(text);
        while (define.find()) {
            evaluate(define.group(2), known).ifPresent(value -> known.put(define.group(1), value));
        }
        Matcher body = ENUM_BODY.matcher(text);
        while (body.find()) {
            long next = 0;
            for (String enumerator : body.group(1).split(",")) {
                if (enumerator.isBlank()) {
                    continue;
                }
                Matcher m = ENUMERATOR.matcher(enumerator);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not an enumerator: " + enumerator.strip());
                }
                if (m.group(2) != null) {
                    String expression = m.group(2);
                    next = evaluate(expression, known).orElseThrow(() -> new IllegalArgumentException(
                            "enumerator " + m.group(1) + " has no integer value: " + expression.strip()));
                }
                known.put(m.group(1), next);
                next++;
            }
        }
        Map<String, Long> constants = new LinkedHashMap<>();
        known.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                constants.put(name, value);
            }
        });
        return constants;
    }

    /**
     * What differs between header's constants and binding's static fields whose names start with prefix: one line
     * per name, empty when they agree. An {@code int} field matches a value that is equal as a signed or as an
     * unsigned 32-bit number ({@code 1u << 31} in C is {@code 1 << 31} in Java).
     */
    static List<String> mismatches(Map<String, Long> header, Class<?> binding, String prefix) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Field field : binding.getDeclaredFields()) {
            if (field.getName().startsWith(prefix)) {
                fields.put(field.getName(), field);
            }
        }
        String java = binding.getSimpleName();
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(fields.keySet())) {
            if (!header.containsKey(name)) {
                problems.add(name + ": declared by " + java + ", absent from the header");
            }
        }
        header.forEach((name, value) -> {
            Field field = fields.get(name);
            if (field == null) {
                problems.add(name + ": in the header (" + value + "), absent from " + java);
                return;
            }
            int modifiers = field.getModifiers();
            if (!Modifier.isPublic(modifiers) || !Modifier.isStatic(modifiers)) {
                problems.add(name + ": " + java + " declares it, but not public static");
                return;
            }
            long actual = valueOf(field);
            if (!matches(value, actual, field.getType())) {
                problems.add(name + ": the header says " + value + ", " + java + "." + name + " is " + actual);
            }
        });
        return problems;
    }

    private static boolean matches(long header, long java, Class<?> type) {
        if (header == java) {
            return true;
        }
        return type == int.class && header >= 0 && header <= 0xFFFF_FFFFL && (int) header == (int) java;
    }

    private static long valueOf(Field field) {
        try {
            field.setAccessible(true);
            return field.getLong(null);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new IllegalStateException(field.getName() + " is not an integer field", e);
        }
    }

    /** The value of a C integer constant expression, or empty when expression is not one. */
    static OptionalLong evaluate(String expression, Map<String, Long> known) {
        List<String> tokens = Tokens.of(expression);
        if (tokens == null || tokens.isEmpty()) {
            return OptionalLong.empty();
        }
        Parser parser = new Parser(tokens, known);
        try {
            long value = parser.or();
            return parser.atEnd() ? OptionalLong.of(value) : OptionalLong.empty();
        } catch (IllegalArgumentException | ArithmeticException notAConstant) {
            return OptionalLong.empty();
        }
    }

    private static final class Tokens {
        /* A number (its u/l suffixes outside the group), a name, or an operator, with the blanks around it. */
        private static final Pattern TOKEN = Pattern.compile(
                "\\s*(?:(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*+(?![\\w.])|([A-Za-z_]\\w*+)|(<<|>>|[-+*/%&|^~()]))\\s*");

        /** The tokens of expression, or null when it has anything else in it. */
        static List<String> of(String expression) {
            List<String> tokens = new ArrayList<>();
            Matcher m = TOKEN.matcher(expression);
            int at = 0;
            while (at < expression.length()) {
                m.region(at, expression.length());
                if (!m.lookingAt()) {
                    return expression.substring(at).isBlank() ? tokens : null;
                }
                for (int group = 1; group <= 3; group++) {
                    if (m.group(group) != null) {
                        tokens.add(m.group(group));
                    }
                }
                at = m.end();
            }
            return tokens;
        }
    }

    /** Recursive descent over C's binary operators, one level per precedence, then the unary ones. */
    private static final class Parser {
        /* Lowest precedence first, as in C. */
        private static final List<List<String>> LEVELS = List.of(List.of("|"), List.of("^"), List.of("&"),
                List.of("<<", ">>"), List.of("+", "-"), List.of("*", "/", "%"));

        private final List<String> tokens;
        private final Map<String, Long> known;
        private int at;

        Parser(List<String> tokens, Map<String, Long> known) {
            this.tokens = tokens;
            this.known = known;
        }

        boolean atEnd() {
            return at == tokens.size();
        }

        private boolean take(String token) {
            if (at < tokens.size() && tokens.get(at).equals(token)) {
                at++;
                return true;
            }
            return false;
        }

        long or() {
            return binary(0);
        }

        /** Left-associative operators of LEVELS[level], whose operands bind tighter. */
        private long binary(int level) {
            if (level == LEVELS.size()) {
                return unary();
            }
            long value = binary(level + 1);
            while (at < tokens.size() && LEVELS.get(level).contains(tokens.get(at))) {
                String operator = tokens.get(at++);
                value = apply(operator, value, binary(level + 1));
            }
            return value;
        }

        private static long apply(String operator, long left, long right) {
            return switch (operator) {
                case "|" -> left | right;
                case "^" -> left ^ right;
                case "&" -> left & right;
                case "<<" -> left << right;
                case ">>" -> left >> right;
                case "+" -> left + right;
                case "-" -> left - right;
                case "*" -> left * right;
                case "/" -> left / right;
                case "%" -> left % right;
                default -> throw new IllegalArgumentException("not an operator: " + operator);
            };
        }

        private long unary() {
            if (take("-")) {
                return -unary();
            }
            if (take("+")) {
                return unary();
            }
            if (take("~")) {
                return ~unary();
            }
            if (take("(")) {
                long value = or();
                if (!take(")")) {
                    throw new IllegalArgumentException("unbalanced parentheses");
                }
                return value;
            }
            if (atEnd()) {
                throw new IllegalArgumentException("expression ends early");
            }
            String token = tokens.get(at++);
            if (token.startsWith("0x") || token.startsWith("0X")) {
                return Long.parseUnsignedLong(token.substring(2), 16);
            }
            if (Character.isDigit(token.charAt(0))) {
                return token.length() > 1 && token.charAt(0) == '0'
                        ? Long.parseLong(token.substring(1), 8)
                        : Long.parseLong(token);
            }
            Long value = known.get(token);
            if (value == null) {
                throw new IllegalArgumentException("not a known constant: " + token);
            }
            return value;
        }
    }
}
