package dev.cmr.serve;

/**
 * A request the service refuses: {@code field} names the offending JSON field (or {@code body} for the whole body),
 * and the message says what is wrong in words a client can act on. Answered with HTTP 400.
 */
public final class BadRequestException extends RuntimeException {
    private final String field;

    public BadRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
