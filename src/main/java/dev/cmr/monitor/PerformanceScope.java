package dev.cmr.monitor;

import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.engine.TrackedOperations;
import java.util.function.LongSupplier;

/**
 * A timed block, opened by {@link CmrPerformanceMonitor#trackPerformance(String)} for try-with-resources:
 *
 * <pre>{@code
 * try (PerformanceScope scope = monitor.trackPerformance("generate")) {
 *     model.generate(prompt);
 *     scope.success();
 * }
 * }</pre>
 *
 * {@link #close()} records the block's duration under its name. A block is a failure unless {@link #success()} was
 * called before closing: an exception that escapes the block skips {@code success()}, so it is counted without a
 * catch clause. Call {@link #fail(Throwable)} to record the cause (its class appears in the error counts) instead of
 * the generic {@link NotCompleted}. A failure is counted in the name's {@code failures} and as an error of
 * component {@code scope:<name>}, so it reaches the error rate.
 *
 * <p>One thread uses a scope; closing twice records once. Never throws from {@code close()}.
 */
public final class PerformanceScope implements AutoCloseable {
    /** The error recorded for a scope closed without {@code success()} or {@code fail}. No stack trace. */
    public static final class NotCompleted extends RuntimeException {
        private NotCompleted() {
            super("scope closed without success()", null, false, false);
        }
    }

    private static final NotCompleted NOT_COMPLETED = new NotCompleted();

    private final TrackedOperations operations;
    private final ErrorCounter errors;
    private final String name;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private boolean succeeded;
    private Throwable failure;
    private boolean closed;

    PerformanceScope(TrackedOperations operations, ErrorCounter errors, String name, LongSupplier nanoClock) {
        this.operations = operations;
        this.errors = errors;
        this.name = name;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** The name the block is recorded under ({@code other} once the registry of names is full). */
    public String name() {
        return name;
    }

    /** Marks the block as completed; without this, closing counts a failure. */
    public void success() {
        succeeded = true;
    }

    /** Marks the block as failed with {@code cause}; wins over an earlier or later {@link #success()}. */
    public void fail(Throwable cause) {
        failure = cause == null ? NOT_COMPLETED : cause;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long elapsed = nanoClock.getAsLong() - startNanos;
        boolean failed = failure != null || !succeeded;
        operations.record(name, elapsed, failed);
        if (failed) {
            errors.record("scope:" + name, failure != null ? failure : NOT_COMPLETED);
        }
    }
}
