package dev.cmr.monitor.profile;

import java.util.Locale;

/** Text of durations and relative changes for comparison reasons and tables; locale-independent. */
public final class Formats {
    private Formats() {
    }

    /** A duration in nanoseconds in the largest unit that keeps it at 1 or more: {@code 845 ns}, {@code 12.35 us}. */
    public static String duration(Double nanos) {
        if (nanos == null) {
            return "-";
        }
        double n = nanos;
        if (n < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", n);
        }
        if (n < 1e6) {
            return String.format(Locale.ROOT, "%.2f us", n / 1e3);
        }
        if (n < 1e9) {
            return String.format(Locale.ROOT, "%.3f ms", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f s", n / 1e9);
    }

    /** A relative change as a signed percentage with one decimal: {@code +20.0%}, {@code -9.1%}, {@code +inf%}. */
    static String percent(Double change) {
        if (change == null) {
            return "-";
        }
        if (Double.isInfinite(change)) {
            return change > 0 ? "+inf%" : "-inf%";
        }
        return String.format(Locale.ROOT, "%+.1f%%", change * 100);
    }

    /** A confidence level as a percentage with at most one decimal: {@code 95%}, {@code 97.5%}. */
    static String coverage(double confidence) {
        double pct = Math.round(confidence * 1000) / 10.0;
        return (pct == Math.rint(pct) ? Long.toString((long) pct) : Double.toString(pct)) + "%";
    }

    /** A bootstrap interval of a relative change: {@code [+17.1%, +23.2%]}, or {@code -} when it is unknown. */
    static String interval(Double lower, Double upper) {
        return lower == null ? "-" : "[" + percent(lower) + ", " + percent(upper) + "]";
    }
}
