package dev.cmr.monitor.http;

/**
 * A request the server refuses with a status and a message for the client ({@code 400 passes must be >= 1}). Thrown
 * by handlers, turned into the error response by {@link Router}; never leaves the server.
 */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
