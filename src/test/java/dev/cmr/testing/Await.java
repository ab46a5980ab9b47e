package dev.cmr.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for what another thread does (a sampler's poll, a collector's interval). A condition is polled
 * every 5 ms until it holds, so no fixed sleep decides the outcome: the limit only bounds how long a failing test
 * takes to say so. An interrupt while waiting fails the test and keeps the thread's interrupt flag set.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(5);

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails with "condition not met within {@code limit}" after that. */
    public static void until(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + limit);
            }
            pause(POLL);
        }
    }

    /** Sleeps for {@code duration}, for tests that check that nothing happens meanwhile. */
    public static void pause(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
