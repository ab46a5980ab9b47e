package dev.cmr.monitor.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The monitor's timeline: epoch milliseconds that advance with the monotonic clock, the wall clock read once at
 * construction plus the monotonic time since. Interval bounds, live and health windows and the health tracker's
 * counter windows are read from it, so a wall-clock step (an operator or NTP setting the time) after construction
 * moves none of them: lengths, rates and window membership stay what the monotonic clock measured. The price: after
 * such a step these timestamps differ from the wall clock by the step, and over days by the drift between the two
 * clocks (parts per million); alert notifications and last-error times keep the wall clock.
 *
 * <p>Immutable and thread-safe; never goes backwards while the monotonic clock does not.
 */
public final class MonotonicEpochClock extends Clock {
    private final long anchorEpochMillis;
    private final long anchorNanos;
    private final LongSupplier nanoClock;

    /** Anchors {@code nanoClock} (System.nanoTime scale) to {@code wallClock}'s current time. */
    public MonotonicEpochClock(Clock wallClock, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.anchorNanos = nanoClock.getAsLong();
        this.anchorEpochMillis = wallClock.millis();
    }

    @Override
    public long millis() {
        return anchorEpochMillis + Math.floorDiv(nanoClock.getAsLong() - anchorNanos, 1_000_000L);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the monitor's timeline is UTC epoch time");
    }
}
