package dev.cmr.monitor.profile;

/** Checks shared by the span records. */
final class Spans {
    private Spans() {
    }

    static void checkOrdered(long startNanos, long endNanos) {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("a span must not end before it starts, was [" + startNanos + ", "
                    + endNanos + "]");
        }
    }

    static long checkNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }
}
