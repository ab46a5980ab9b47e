package dev.cmr.monitor.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Self time of host spans: a span's length minus the union of the other given spans on the same thread that lie
 * inside it ([start, end] within its own). Of two spans with the same interval, the later in the list is taken to
 * be nested in the earlier, so the time is counted once. Spans that only partly overlap are not nested and subtract
 * nothing from each other.
 */
final class SelfTimes {
    private SelfTimes() {
    }

    /** The self time of each span, in nanoseconds, indexed as {@code spans}. */
    static long[] of(List<HostSpan> spans) {
        long[] self = new long[spans.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            order.add(i);
        }
        // By thread, then start; the longer span first so that a parent precedes what it holds; then list order.
        order.sort(Comparator.<Integer>comparingLong(i -> spans.get(i).threadId())
                .thenComparingLong(i -> spans.get(i).startNanos())
                .thenComparing(Comparator.<Integer>comparingLong(i -> spans.get(i).endNanos()).reversed())
                .thenComparingInt(i -> i));
        for (int p = 0; p < order.size(); p++) {
            HostSpan outer = spans.get(order.get(p));
            long nested = 0;
            long coveredUntil = Long.MIN_VALUE;
            // Candidates follow in start order; stop at the first that starts at or after the outer span's end.
            for (int q = p + 1; q < order.size(); q++) {
                HostSpan inner = spans.get(order.get(q));
                if (inner.threadId() != outer.threadId() || inner.startNanos() >= outer.endNanos()) {
                    break;
                }
                if (inner.endNanos() > outer.endNanos()) {
                    continue;
                }
                long from = Math.max(inner.startNanos(), coveredUntil);
                if (inner.endNanos() > from) {
                    nested += inner.endNanos() - from;
                    coveredUntil = inner.endNanos();
                }
            }
            self[order.get(p)] = outer.lengthNanos() - nested;
        }
        return self;
    }
}
