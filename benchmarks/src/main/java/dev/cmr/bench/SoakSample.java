package dev.cmr.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * One row of the soak's table: when it was taken (seconds since the load started), the serve process's
 * {@link ProcessFootprint} in MiB and counts (the JIT's column is all the code it compiled up to the sample, not
 * what the code cache holds; it is shown beside the NMT series, not judged), the dashboard page's JavaScript heap, DOM
 * nodes and event listeners, and the load so far (generated tokens and finished requests, successful
 * {@code /metrics} scrapes, live updates the page received). Serialized to TSV by Jackson in the order of
 * {@link JsonPropertyOrder}.
 */
@JsonPropertyOrder({"seconds", "heap_mib", "classes", "threads", "fds", "nmt_committed_mib", "nmt_steady_mib",
        "nmt_runtime_mib", "jit_code_mib", "rss_mib", "page_js_heap_mib", "page_nodes", "page_listeners", "tokens",
        "requests", "scrapes", "page_updates"})
public record SoakSample(
        @JsonProperty("seconds") double seconds,
        @JsonProperty("heap_mib") double heapMib,
        @JsonProperty("classes") long classes,
        @JsonProperty("threads") int threads,
        @JsonProperty("fds") int fds,
        @JsonProperty("nmt_committed_mib") double nmtCommittedMib,
        @JsonProperty("nmt_steady_mib") double nmtSteadyMib,
        @JsonProperty("nmt_runtime_mib") double nmtRuntimeMib,
        @JsonProperty("jit_code_mib") double jitCodeMib,
        @JsonProperty("rss_mib") double rssMib,
        @JsonProperty("page_js_heap_mib") double pageJsHeapMib,
        @JsonProperty("page_nodes") long pageNodes,
        @JsonProperty("page_listeners") long pageListeners,
        @JsonProperty("tokens") long tokens,
        @JsonProperty("requests") long requests,
        @JsonProperty("scrapes") long scrapes,
        @JsonProperty("page_updates") long pageUpdates) {

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * The dashboard keeps this many points per chart ({@code MAX_POINTS} in dashboard.js), one per live update:
     * until its rings are full the page's heap grows by design.
     */
    static final long PAGE_RING_POINTS = 300;

    /**
     * A series whose trend the soak judges: its TSV column, a label with its unit, how to read it, and from which
     * sample on it is judged (besides the warm-up).
     */
    public record Series(String column, String label, ToDoubleFunction<SoakSample> value,
                         Predicate<SoakSample> settled) {
        Series(String column, String label, ToDoubleFunction<SoakSample> value) {
            this(column, label, value, s -> true);
        }
    }

    /** The judged series, in table order. */
    public static final List<Series> SERIES = List.of(
            new Series("heap_mib", "live heap after full GC (MiB)", SoakSample::heapMib),
            new Series("classes", "loaded classes", SoakSample::classes),
            new Series("threads", "threads", SoakSample::threads),
            new Series("fds", "open fds", SoakSample::fds),
            new Series("nmt_committed_mib", "NMT committed (MiB)", SoakSample::nmtCommittedMib),
            new Series("nmt_steady_mib", "NMT committed, no heap, no JIT scratch (MiB)", SoakSample::nmtSteadyMib),
            new Series("nmt_runtime_mib", "NMT committed, also no code cache, no GC (MiB)", SoakSample::nmtRuntimeMib),
            new Series("rss_mib", "RSS (MiB)", SoakSample::rssMib),
            new Series("page_js_heap_mib", "dashboard page JS heap (MiB)", SoakSample::pageJsHeapMib,
                    s -> s.pageUpdates() >= PAGE_RING_POINTS),
            new Series("page_nodes", "dashboard page DOM nodes", SoakSample::pageNodes,
                    s -> s.pageUpdates() >= PAGE_RING_POINTS),
            new Series("page_listeners", "dashboard page JS event listeners", SoakSample::pageListeners,
                    s -> s.pageUpdates() >= PAGE_RING_POINTS));

    public static SoakSample of(double seconds, ProcessFootprint f, long pageJsHeapBytes, long pageNodes,
                                long pageListeners, long tokens, long requests, long scrapes, long pageUpdates) {
        return new SoakSample(round(seconds, 10), mib(f.heapLiveBytes()), f.liveClasses(), f.threads(), f.openFds(),
                mib(f.nmtCommittedBytes()), mib(f.nmtSteadyCommittedBytes()), mib(f.nmtRuntimeCommittedBytes()),
                mib(f.compiledCodeBytes()), mib(f.rssBytes()), mib(pageJsHeapBytes), pageNodes, pageListeners, tokens,
                requests, scrapes, pageUpdates);
    }

    /** Bytes in MiB to 1/1000 MiB (about 1 KiB), short enough to read in the table. */
    private static double mib(long bytes) {
        return round(bytes / MIB, 1000);
    }

    private static double round(double v, double per) {
        return Math.rint(v * per) / per;
    }

    /** The 1-based TSV column of {@code column}, for gnuplot. */
    public static int columnNumber(String column) {
        String[] order = SoakSample.class.getAnnotation(JsonPropertyOrder.class).value();
        for (int i = 0; i < order.length; i++) {
            if (order[i].equals(column)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }
}
