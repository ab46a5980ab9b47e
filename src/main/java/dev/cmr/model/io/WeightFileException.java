package dev.cmr.model.io;

/**
 * A weight or config file that cannot be read or written: missing, malformed, truncated, or not matching the model
 * it is loaded for. The message always names the file and, when the problem concerns one tensor, that tensor.
 *
 * <p>An {@link IllegalArgumentException}: the file is bad input, and callers that refuse bad input with one line
 * (the CLI) handle it as such.
 *
 * <p>Unchecked on purpose: a broken checkpoint is not something a caller can usually recover from locally, and the
 * loading code is called from places (CLI start-up, tests) that would only rethrow it.
 */
public class WeightFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public WeightFileException(String message) {
        super(message);
    }

    public WeightFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
