package dev.cmr.monitor.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/** A hand-driven clock for tests: monotonic nanoseconds plus a wall clock that moves with them. */
final class FakeTime implements LongSupplier {
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private long nanos = 1_000_000_000L; // not zero, so nothing relies on time starting at 0

    @Override
    public long getAsLong() {
        return nanos;
    }

    long nanos() {
        return nanos;
    }

    FakeTime advance(Duration d) {
        nanos += d.toNanos();
        return this;
    }

    FakeTime advanceSeconds(double seconds) {
        nanos += Math.round(seconds * 1e9);
        return this;
    }

    Clock wall() {
        long origin = nanos;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return START.plusNanos(nanos - origin);
            }
        };
    }
}
