package dev.cmr.monitor.diagnose;


import dev.cmr.monitor.health.HealthComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The recommendation rules: one rule per kind of finding, each with named thresholds and a minimum amount of
 * evidence, so that a handful of events never triggers advice. Each produced {@link Recommendation} names the
 * subject, the value and the threshold. Pure functions of the analyses.
 */
public final class Rules {
    private static final String MEMORY_BUFFER = HealthComponent.MEMORY_BUFFER.key();
    private static final String RETRIEVAL_SYSTEM = HealthComponent.RETRIEVAL_SYSTEM.key();
    private static final String HOOKS = HealthComponent.HOOKS.key();

    /** Evictions per insertion in one layer above which the layer is thrashing. */
    public static final double CHURN_THRESHOLD = 0.25;
    /** Insertions into a layer before its churn is judged. */
    public static final long MIN_INSERTS_FOR_CHURN = 10;
    /** Fraction of a layer's resident entries that are stale above which the layer holds dead weight. */
    public static final double STALE_FRACTION_THRESHOLD = 0.5;
    /** Resident entries in a layer before its stale fraction is judged. */
    public static final long MIN_RESIDENT_FOR_STALE = 4;
    /** Cache hits per retrieval below which the retrieval cache is not earning its memory. */
    public static final double CACHE_HIT_RATE_THRESHOLD = 0.2;
    /** Retrievals before the cache hit rate is judged. */
    public static final long MIN_RETRIEVALS_FOR_CACHE = 20;
    /** Errors per call above which a hook is reported (any error). */
    public static final double HOOK_ERROR_RATE_THRESHOLD = 0.0;
    /** p99 time inside one hook call above which the hook is slowing the model thread (1 ms). */
    public static final long HOOK_P99_THRESHOLD_NANOS = 1_000_000;
    /** Calls before a hook's p99 is judged. */
    public static final long MIN_CALLS_FOR_OVERHEAD = 10;

    private Rules() {
    }

    static List<Recommendation> apply(HookAnalysis hooks, MemoryAnalysis memory, ErrorSummary errors) {
        List<Recommendation> out = new ArrayList<>();
        memoryRules(memory, out);
        cacheRule(memory, out);
        hookRules(hooks, out);
        errorRateRule(errors, out);
        return out;
    }

    private static void memoryRules(MemoryAnalysis m, List<Recommendation> out) {
        for (MemoryAnalysis.LayerDiagnosis l : m.layers()) {
            String subject = "layer " + l.layer();
            if (l.churn() != null && l.insertions() >= MIN_INSERTS_FOR_CHURN && l.churn() > CHURN_THRESHOLD) {
                // A layer below its own cap lost entries to the total limit, so that is the limit to raise.
                String limit = l.entries() >= m.maxEntriesPerLayer()
                        ? "max_entries_per_layer (now " + m.maxEntriesPerLayer() + ")"
                        : "max_total_entries (total limit now " + m.totalLimit() + ")";
                out.add(new Recommendation(MEMORY_BUFFER, subject, "churn", l.churn(), CHURN_THRESHOLD,
                        fmt("%s evicts %.2f entries per insert (%d evictions / %d inserts; threshold %.2f): raise %s "
                                        + "or the relevance_threshold (now %s)", subject, l.churn(), l.evictions(),
                                l.insertions(), CHURN_THRESHOLD, limit, number(m.relevanceThreshold()))));
            }
            if (l.entries() >= MIN_RESIDENT_FOR_STALE) {
                double fraction = (double) l.staleEntries() / l.entries();
                if (fraction > STALE_FRACTION_THRESHOLD) {
                    out.add(new Recommendation(MEMORY_BUFFER, subject, "stale_fraction", fraction,
                            STALE_FRACTION_THRESHOLD, fmt("%s holds %d of %d entries not retrieved for over %s s "
                                            + "(%.2f, threshold %.2f): lower max_entries_per_layer (now %d) or capture "
                                            + "this layer less", subject, l.staleEntries(), l.entries(),
                                    number(m.staleAfterSeconds()), fraction, STALE_FRACTION_THRESHOLD,
                                    m.maxEntriesPerLayer())));
                }
            }
        }
    }

    private static void cacheRule(MemoryAnalysis m, List<Recommendation> out) {
        if (m.cacheHitRate() != null && m.retrievals() >= MIN_RETRIEVALS_FOR_CACHE
                && m.cacheHitRate() < CACHE_HIT_RATE_THRESHOLD) {
            out.add(new Recommendation(RETRIEVAL_SYSTEM, "retrieval cache", "cache_hit_rate", m.cacheHitRate(),
                    CACHE_HIT_RATE_THRESHOLD, fmt("the retrieval cache hit rate is %.2f over %d retrievals (threshold %.2f): "
                                    + "every buffer change invalidates it, so reduce churn, or set "
                                    + "retrieval_cache_size to 0 to save its memory", m.cacheHitRate(),
                            m.retrievals(), CACHE_HIT_RATE_THRESHOLD)));
        }
    }

    private static void hookRules(HookAnalysis h, List<Recommendation> out) {
        for (HookAnalysis.HookDiagnosis d : h.hooks()) {
            String subject = "hook '" + d.name() + "'";
            if (d.errorRate() != null && d.errorRate() > HOOK_ERROR_RATE_THRESHOLD) {
                out.add(new Recommendation(HOOKS, subject, "hook_error_rate", d.errorRate(),
                        HOOK_ERROR_RATE_THRESHOLD, fmt("%s (%s) threw in %d of %d calls (error rate %.2f, threshold "
                                        + "%.2f): fix or remove it; its errors are counted under hook:%s",
                                subject, d.kind(), d.errors(), d.calls(), d.errorRate(), HOOK_ERROR_RATE_THRESHOLD,
                                d.name())));
            }
            if (d.p99OverheadNanos() != null && d.calls() >= MIN_CALLS_FOR_OVERHEAD
                    && d.p99OverheadNanos() > HOOK_P99_THRESHOLD_NANOS) {
                out.add(new Recommendation(HOOKS, subject, "p99_overhead_ns", d.p99OverheadNanos(),
                        HOOK_P99_THRESHOLD_NANOS, fmt("%s (%s) takes %.3f ms at p99 over %d calls (threshold %.3f "
                                        + "ms), on the model thread: move its work elsewhere or sample fewer calls",
                                subject, d.kind(), d.p99OverheadNanos() / 1e6, d.calls(),
                                HOOK_P99_THRESHOLD_NANOS / 1e6)));
            }
        }
        Set<String> orderPairs = new TreeSet<>();
        for (HookAnalysis.HookConflict c : h.conflicts()) {
            if (c.type().equals(HookAnalysis.HookConflict.ORDER_DEPENDENT)) {
                orderPairs.add(c.firstHook() + "\u0000" + c.secondHook());
                out.add(new Recommendation(HOOKS, "hooks '" + c.firstHook() + "' and '" + c.secondHook() + "'",
                        "order_dependent_layers", c.layers().size(), 0, c.detail() + ": give them distinct "
                        + "priorities on purpose, or merge them into one hook"));
            }
        }
        for (HookAnalysis.HookConflict c : h.conflicts()) {
            // An order-dependent pair already has the stronger advice.
            if (c.type().equals(HookAnalysis.HookConflict.SAME_LAYER_WRITES)
                    && !orderPairs.contains(c.firstHook() + "\u0000" + c.secondHook())) {
                out.add(new Recommendation(HOOKS, "hooks '" + c.firstHook() + "' and '" + c.secondHook() + "'",
                        "shared_written_layers", c.layers().size(), 0, c.detail() + ": check that they do not undo "
                        + "each other (runDiagnostics with the hook order probe tells whether their order matters)"));
            }
        }
    }

    private static void errorRateRule(ErrorSummary e, List<Recommendation> out) {
        if (e.errorRate() == null || e.errorRate() <= e.threshold()) {
            return;
        }
        String worst = null;
        long worstCount = 0;
        for (Map.Entry<String, Map<String, Long>> c : e.byComponent().entrySet()) {
            long n = e.errors(c.getKey());
            if (n > worstCount) {
                worst = c.getKey();
                worstCount = n;
            }
        }
        out.add(new Recommendation("errors", worst == null ? "all components" : worst, "error_rate", e.errorRate(),
                e.threshold(), fmt("%.3f errors per operation (%d errors / %d operations; high_error_rate %.3f)%s",
                        e.errorRate(), e.totalErrors(), e.operations(), e.threshold(), worst == null ? ""
                                : fmt(": %s causes %d of them, start there", worst, worstCount))));
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "unknown" : fmt("%.2f", v);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
