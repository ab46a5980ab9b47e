package dev.cmr.cli;

import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.diagnose.DiagnosticsReport;
import dev.cmr.monitor.diagnose.Recommendation;
import dev.cmr.monitor.health.HealthCheck;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.LatencySummary;
import java.io.PrintStream;
import java.util.Map;

/** The demo's console summary of a {@link MonitorStats}: one row per stage and per stage x layer. */
final class SummaryTable {
    private SummaryTable() {
    }

    static void print(MonitorStats stats, PrintStream out) {
        out.printf("%-15s %5s %9s %10s %10s %10s %10s%n", "stage", "layer", "count", "avg ms", "p50 ms", "p99 ms",
                "max ms");
        for (Stage stage : MonitorStats.TIMED) {
            var timing = stats.timing(stage);
            row(out, stage.key(), "all", timing.overall());
            for (Map.Entry<Integer, LatencySummary> e : timing.perLayer().entrySet()) {
                row(out, "", Integer.toString(e.getKey()), e.getValue());
            }
        }
        MonitorStats.Efficiency eff = stats.efficiency();
        MonitorStats.BufferStats buf = stats.buffer();
        out.println();
        out.printf("captures %d, states stored per layer %s%n", stats.totalCaptures(), stats.statesStoredPerLayer());
        out.printf("reconstructions %d per layer %s%n", stats.totalReconstructions(), stats.reconstructionsPerLayer());
        out.printf("retrievals %d, cache hits %d%n", stats.retrieval().totalRetrievals(), stats.retrieval().cacheHits());
        out.printf("buffer: %s entries %s, %s MB, utilization %s, evictions %d (%s per stored state)%n",
                buf.totalEntries(), buf.entriesPerLayer(), fmt(buf.memorySizeMb()), fmt(buf.utilizationRate()),
                buf.evictionCount(), fmt(buf.evictionRate()));
        out.printf("efficiency: capture %s, storage %s, reconstruction quality %s, cache hit rate %s%n",
                fmt(eff.captureEfficiency()), fmt(eff.storageEfficiency()), fmt(eff.reconstructionQuality()),
                fmt(eff.cacheHitRate()));
        out.printf("errors %d, rejected records %d%n", stats.totalErrors(), stats.totalRejected());
    }

    /** Overall and per-component health with what decided each, then the diagnostics' recommendations. */
    static void printHealth(HealthReport health, DiagnosticsReport diagnostics, PrintStream out) {
        out.printf("%nhealth: %s (score %s)%n", health.status(), health.score() == null ? "n/a" : health.score());
        health.components().forEach((name, c) -> {
            HealthCheck decided = c.decidedBy();
            out.printf("  %-17s %-8s %s%n", name, c.status(), decided == null
                    ? c.details().getOrDefault("reason", "") : String.format("decided by %s = %.3g (%s)",
                    decided.name(), decided.value(), decided.status()));
        });
        for (Recommendation r : diagnostics.recommendations()) {
            out.printf("  recommendation: %s%n", r.message());
        }
    }

    private static void row(PrintStream out, String stage, String layer, LatencySummary s) {
        if (s.count() == 0) {
            return;
        }
        out.printf("%-15s %5s %9d %10.3f %10.3f %10.3f %10.3f%n", stage, layer, s.count(), s.meanNanos() / 1e6,
                s.p50Nanos() / 1e6, s.p99Nanos() / 1e6, s.maxNanos() / 1e6);
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format("%.3f", d);
    }
}
