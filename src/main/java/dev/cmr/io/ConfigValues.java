package dev.cmr.io;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks on configuration values, shared by the configuration classes' builders and their JSON readers
 * ({@link ConfigObject}). Stateless; every method is thread-safe.
 *
 * <p>Every failure is an {@link IllegalArgumentException} whose message is {@code <key> <problem>}, where the key is
 * the full path of the value in the configuration ({@code max_layers}, {@code alert_thresholds.high_latency},
 * {@code alert_rules[0].threshold}) and the problem names the allowed values or range and the value found, e.g.
 * {@code "max_layers must be in [1, 4096], was 0"}. An unknown key is reported as
 * {@code "unknown configuration key '<key>'; did you mean '<closest valid key>'?"}. Reading a file prefixes the
 * message with the file's path and {@code ": "} ({@link ConfigObject#load}). A value from the input is shown as
 * {@link #quoted} shows it, so that the message stays one short line whatever the input holds.
 */
public final class ConfigValues {
    /** The most characters of an input value a message shows; the rest is cut and the full length given. */
    public static final int SHOWN_CHARS = 60;

    private ConfigValues() {
    }

    /**
     * {@code key} within the object at {@code parent}: {@code parent.key}, or {@code key} at the top level. The key
     * is {@link #printable}, since a file may hold any key.
     */
    public static String path(String parent, String key) {
        return parent.isEmpty() ? printable(key) : parent + "." + printable(key);
    }

    /**
     * The error for {@code key}, found in the object at {@code parent} ({@code ""} at the top level), which is none
     * of {@code validKeys}; the message suggests the valid key nearest by edit distance (the first of equals).
     */
    public static IllegalArgumentException unknownKey(String parent, String key, Collection<String> validKeys) {
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : validKeys) {
            int d = editDistance(key, candidate);
            if (d < best) {
                best = d;
                closest = candidate;
            }
        }
        return new IllegalArgumentException("unknown configuration key '" + path(parent, key) + "'; did you mean '"
                + path(parent, closest) + "'?");
    }

    /** {@code value} if it lies in {@code [min, max]} (NaN never does). */
    public static double inClosedRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + format(min) + ", " + format(max) + "], was "
                    + format(value));
        }
        return value;
    }

    /** {@code value} if it lies in {@code (min, max]} (NaN never does). */
    public static double inLeftOpenRange(String key, double value, double min, double max) {
        if (!(value > min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in (" + format(min) + ", " + format(max) + "], was "
                    + format(value));
        }
        return value;
    }

    /** {@code value} if it is at least {@code min}. */
    public static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    /** {@code value} if it is neither infinite nor NaN. */
    public static double finite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be finite, was " + format(value));
        }
        return value;
    }

    /** {@code value} if it is finite and not negative. */
    public static double finiteNonNegative(String key, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(key + " must be finite and >= 0, was " + format(value));
        }
        return value;
    }

    /** {@code value} if it is not null. */
    public static <T> T notNull(String key, T value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must not be null");
        }
        return value;
    }

    /** {@code value} if it is a usable file path: not blank, and valid for the default file system. */
    public static String filePath(String key, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + " must be a file path, was " + quoted(value));
        }
        try {
            Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + " must be a file path, was " + quoted(value) + ": "
                    + e.getReason(), e);
        }
        return value;
    }

    /**
     * The distinct {@code values}, each one of {@code allowed}, in the order of {@code allowed}.
     *
     * @throws IllegalArgumentException naming the first value that is not allowed
     */
    public static List<String> subset(String key, Collection<String> values, List<String> allowed) {
        for (String value : values) {
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException(key + " may only contain " + allowed + ", has " + quoted(value));
            }
        }
        return Set.copyOf(values).stream().sorted((x, y) -> allowed.indexOf(x) - allowed.indexOf(y)).toList();
    }

    /**
     * The constant of an enum whose configuration spelling, given by {@code spellingOf}, is exactly {@code spelling}
     * (case-sensitive).
     *
     * @param key the configuration key the spelling was given for; it starts the message
     * @throws IllegalArgumentException naming the allowed spellings when {@code spelling} is null or unknown
     */
    public static <E extends Enum<E>> E byKey(String key, E[] constants, Function<E, String> spellingOf,
                                              String spelling) {
        for (E constant : constants) {
            if (spellingOf.apply(constant).equals(spelling)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(key + " must be one of "
                + Stream.of(constants).map(spellingOf).collect(Collectors.joining(", ", "[", "]")) + ", was "
                + quoted(spelling));
    }

    /**
     * A string from the input as a message shows it: in double quotes, escaped as JSON escapes a string (so a
     * newline is {@code \n} and the message stays on one line), and, when longer than {@link #SHOWN_CHARS}, cut with
     * {@code ...} and followed by its length: {@code "xxxx..." (1048576 chars)}. {@code null} is shown as
     * {@code null}.
     */
    public static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        String shown = "\"" + printable(value) + "\"";
        return value.length() > SHOWN_CHARS ? shown + " (" + value.length() + " chars)" : shown;
    }

    /**
     * A string from the input as a message shows it inside quotes the message supplies: JSON-escaped, and cut after
     * {@link #SHOWN_CHARS} characters with {@code ...}.
     */
    public static String printable(String value) {
        String head = value.length() > SHOWN_CHARS ? value.substring(0, SHOWN_CHARS) : value;
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(head));
        return value.length() > SHOWN_CHARS ? escaped + "..." : escaped;
    }

    /** A bound or value as a user wrote it: whole numbers without a fraction ({@code 3600}, not {@code 3600.0}). */
    public static String format(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
