package dev.cmr.model.hooks;

/** One hook's record: calls, time spent inside it (nanoseconds) and exceptions it threw. */
public record HookStats(String name, HookKind kind, int priority, long calls, long totalNanos, long maxNanos,
                        long errors) {
    public double meanNanos() {
        return calls == 0 ? 0.0 : (double) totalNanos / calls;
    }
}
