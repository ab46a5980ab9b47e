package dev.cmr.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.opentest4j.AssertionFailedError;

/**
 * The outcome every parser a user feeds must have on any input: it returns, or it throws the one exception type it
 * documents, with a one-line message of at most {@link #MAX_MESSAGE_CHARS} characters that is not blank and, where given, contains a required text (the file's
 * name, the field's name). Never another exception type (a NullPointerException, ClassCastException,
 * ArithmeticException, IndexOutOfBoundsException or a raw Jackson exception), never an Error (StackOverflowError,
 * OutOfMemoryError), and never longer than {@link #LIMIT}.
 */
public final class CleanRejection {
    /** Far above any parse of a fuzz input, far below a hang. */
    public static final Duration LIMIT = Duration.ofSeconds(5);

    /** A message a person reads on one line, with room for a long file path: values in it must be abbreviated. */
    public static final int MAX_MESSAGE_CHARS = 1000;

    private CleanRejection() {
    }

    /**
     * Runs {@code parse} under {@link #LIMIT}.
     *
     * @param mustMention text the message must contain, or null
     * @return the documented exception it threw, or null if it accepted the input
     */
    public static <E extends RuntimeException> E acceptsOrRejects(Class<E> documented, String mustMention,
                                                                  Callable<?> parse) {
        Throwable thrown = assertTimeoutPreemptively(LIMIT, () -> {
            try {
                parse.call();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        if (thrown == null) {
            return null;
        }
        if (!documented.isInstance(thrown)) {
            throw new AssertionFailedError("expected " + documented.getSimpleName() + " or success, got " + thrown,
                    thrown);
        }
        String message = thrown.getMessage();
        if (message == null || message.isBlank()) {
            throw new AssertionFailedError(documented.getSimpleName() + " without a message", thrown);
        }
        if (message.contains("\n") || message.contains("\r")) {
            throw new AssertionFailedError("message is not one line: " + message, thrown);
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new AssertionFailedError("message of " + message.length() + " chars: "
                    + message.substring(0, 300) + "...", thrown);
        }
        if (mustMention != null && !message.contains(mustMention)) {
            throw new AssertionFailedError("message does not mention '" + mustMention + "': " + message, thrown);
        }
        return documented.cast(thrown);
    }

    /** Like {@link #acceptsOrRejects}, but the input must be refused. */
    public static <E extends RuntimeException> E rejects(Class<E> documented, String mustMention, Callable<?> parse) {
        E e = acceptsOrRejects(documented, mustMention, parse);
        if (e == null) {
            throw new AssertionFailedError("accepted input that must be refused");
        }
        return e;
    }
}
