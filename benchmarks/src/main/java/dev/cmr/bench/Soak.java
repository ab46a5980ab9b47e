package dev.cmr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.resources.ResourcePoller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A soak of {@code serve --device cpu} (the monitored reference model behind HTTP) under the load a deployment
 * gives it, watching the serve process for growth: {@code minutes} of steady generation ({@link GenerateLoad}, 2
 * streamed clients, 64 tokens each), {@code /metrics} scraped every second ({@link MetricsScraper}), a 3 s
 * {@link Wrk} burst on {@code /metrics} once a minute, and the dashboard open in headless Chromium
 * ({@link DashboardBrowser}: its live feed and polls) the whole time. Serve runs with
 * {@code -XX:NativeMemoryTracking=summary}.
 *
 * <p>Every {@value #SAMPLE_SECONDS} s (from 0 to the end) it takes a {@link ProcessFootprint} of serve (its live
 * heap counted in a full GC, by {@code jcmd}), the page's JavaScript heap after a collection, its DOM nodes and event
 * listeners, and the load counters, and prints the row. At the end it fits a {@link LinearTrend} to each series over
 * the samples after the warm-up ({@value #DEFAULT_WARMUP_SECONDS} s unless given; class loading, JIT, pools filling
 * and the heap's sizing settle before that) and writes, into {@code results}: {@code NAME.tsv} (the samples),
 * {@code NAME.md} (trends, notes, what grew by NMT category, fd kind and live heap per class from the
 * warm-up's end to the last sample ({@link FootprintDetail}), samples) and {@code NAME.png} (gnuplot; script
 * {@code NAME.gp}). Exits 1 when serve failed (generation or scrapes failing, the page's feed down) so that a
 * broken run is not read as a flat one.
 *
 * <p>The monitor's histories are bounded by {@code max_history_size} (1,000 by default: health reports every 5 s
 * take 83 minutes to fill it, the tiered interval history far longer), so under the default the heap grows by
 * design through any run of minutes, and so does the resource poller's trail of its last
 * {@link ResourcePoller#TRAIL_POLLS} polls (68 minutes at the default 1 s). {@code HISTORY} sets
 * {@code max_history_size} (through serve's {@code --config}) so small that the histories are full early, and the
 * sampling interval so short that the trail is full within three quarters of the warm-up, so that what still grows
 * is not theirs.
 *
 * <pre>java -cp target/benchmarks.jar dev.cmr.bench.Soak ../target/cmr-monitor.jar 10 results soak [HISTORY]</pre>
 */
public final class Soak {
    static final int SAMPLE_SECONDS = 10;
    static final int DEFAULT_WARMUP_SECONDS = 60;
    private static final int WRK_EVERY_SAMPLES = 6;
    private static final int WRK_SECONDS = 3;

    public static void main(String[] args) throws Exception {
        if (args.length > 6) {
            usage("too many arguments");
        }
        int warmupSeconds = DEFAULT_WARMUP_SECONDS;
        if (args.length > 5) {
            try {
                warmupSeconds = Integer.parseInt(args[5]);
            } catch (NumberFormatException e) {
                usage("warm-up: '" + args[5] + "' is not a whole number of seconds");
            }
            if (warmupSeconds < 0) {
                usage("warm-up: seconds must be >= 0, was " + warmupSeconds);
            }
        }
        Path jar = Path.of(args.length > 0 ? args[0] : "../target/cmr-monitor.jar");
        double minutes = 10;
        if (args.length > 1) {
            try {
                minutes = Double.parseDouble(args[1]);
            } catch (NumberFormatException e) {
                usage("minutes: '" + args[1] + "' is not a number");
            }
            if (!(minutes * 60 >= warmupSeconds + 3 * SAMPLE_SECONDS)) {
                usage("minutes: " + args[1] + " leaves fewer than 3 samples after the " + warmupSeconds
                        + " s warm-up; give at least " + (warmupSeconds + 3 * SAMPLE_SECONDS) / 60.0);
            }
        }
        Path results = Path.of(args.length > 2 ? args[2] : "results");
        String name = args.length > 3 ? args[3] : "soak";
        int history = 0;
        if (args.length > 4 && !args[4].equals("-")) { // "-": serve's default
            try {
                history = Integer.parseInt(args[4]);
            } catch (NumberFormatException e) {
                usage("history: '" + args[4] + "' is not a whole number");
            }
            if (history < 1) {
                usage("history: max_history_size must be >= 1, was " + history);
            }
        }
        Files.createDirectories(results);
        int count = (int) Math.floor(minutes * 60 / SAMPLE_SECONDS) + 1;

        List<SoakSample> samples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long wrkRequests = 0;
        int wrkBursts = 0;
        String wrkErrors = "none";
        long consoleErrors = 0;
        String feedAtEnd;
        long generated;
        long requests;
        long failedRequests;
        long scrapes;
        long failedScrapes;
        FootprintDetail settled = null;
        double settledAt = 0;
        FootprintDetail last = null;
        Path out = Files.createTempDirectory("cmr-soak-serve");
        String[] serveOptions = {};
        if (history > 0) {
            Path config = out.resolve("soak-config.json");
            new ObjectMapper().writeValue(config.toFile(), Map.of("max_history_size", history,
                    "resource_sampling_interval", trailFillingInterval(warmupSeconds)));
            serveOptions = new String[] {"--config", config.toString()};
        }
        try (ServeProcess serve = ServeProcess.start(jar, null, List.of("-XX:NativeMemoryTracking=summary"), out,
                serveOptions)) {
            System.out.printf("serve pid %d on port %d; %d samples every %d s over %.1f min, warm-up %d s%n",
                    serve.pid(), serve.port(), count, SAMPLE_SECONDS, minutes, warmupSeconds);
            try (GenerateLoad load = new GenerateLoad(serve.url("/v1/generate"), 2, 64);
                 MetricsScraper scraper = new MetricsScraper(serve.url("/metrics"), 1000);
                 DashboardBrowser page = DashboardBrowser.open(serve.url("/"))) {
                System.out.println(header());
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    long due = t0 + i * SAMPLE_SECONDS * 1_000_000_000L;
                    long wait = (due - System.nanoTime() + 999_999) / 1_000_000; // never wake before due
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    ProcessFootprint f = ProcessFootprint.sample(serve.pid());
                    long pageHeap = page.jsHeapBytes(); // collects first, so the node count below is of live nodes
                    SoakSample s = SoakSample.of(seconds, f, pageHeap, page.domNodes(), page.eventListeners(),
                            load.tokens(), load.requests(), scraper.ok(), page.updates());
                    samples.add(s);
                    if (settled == null && seconds >= warmupSeconds) {
                        settled = FootprintDetail.of(serve.pid());
                        settledAt = seconds;
                    }
                    if (i == count - 1) {
                        last = FootprintDetail.of(serve.pid());
                    }
                    consoleErrors += page.severeSinceLastRead();
                    System.out.println(row(s));
                    if (i % WRK_EVERY_SAMPLES == WRK_EVERY_SAMPLES / 2 && i < count - 1) {
                        Wrk w = Wrk.run(serve.url("/metrics"), WRK_SECONDS);
                        wrkBursts++;
                        wrkRequests += w.requests();
                        if (!w.errors().equals("none")) {
                            wrkErrors = w.errors();
                        }
                    }
                }
                feedAtEnd = page.connection();
                generated = load.tokens();
                requests = load.requests();
                failedRequests = load.failures();
                scrapes = scraper.ok();
                failedScrapes = scraper.failed();
            }
        }
        if (failedRequests > 0) {
            problems.add(failedRequests + " generation requests failed");
        }
        if (failedScrapes > 0) {
            problems.add(failedScrapes + " /metrics scrapes failed");
        }
        if (!feedAtEnd.equals("live")) {
            problems.add("the dashboard's feed was '" + feedAtEnd + "' at the end, not 'live'");
        }
        if (consoleErrors > 0) {
            problems.add(consoleErrors + " console errors on the dashboard page");
        }
        if (!wrkErrors.equals("none")) {
            problems.add("wrk reported: " + wrkErrors);
        }

        List<SoakReport.Judged> trends = SoakReport.trends(samples, warmupSeconds);
        double end = samples.get(samples.size() - 1).seconds() / 60;
        List<String> notes = List.of(
                String.format(Locale.ROOT, "- serve --device cpu with -XX:NativeMemoryTracking=summary, "
                        + "max_history_size %s, %.1f min; a sample every %d s (live heap: the total of jcmd "
                        + "GC.class_histogram, which collects first); trends over the samples from %d s on (%d of %d).",
                        history > 0 ? history + ", resource_sampling_interval "
                                + trailFillingInterval(warmupSeconds) + " s" : "1000 (default)", end, SAMPLE_SECONDS,
                        warmupSeconds, trends.get(0).trend().n(), samples.size()),
                String.format(Locale.ROOT, "- load: 2 streamed generation clients (64 tokens), %d requests, %d "
                        + "tokens, %d failed; /metrics every 1 s: %d scrapes, %d failed; wrk -t2 -c16 bursts of %d "
                        + "s on /metrics: %d, %d requests, errors: %s.", requests, generated, failedRequests,
                        scrapes, failedScrapes, WRK_SECONDS, wrkBursts, wrkRequests, wrkErrors),
                String.format(Locale.ROOT, "- dashboard open in headless Chromium: %d live updates, feed '%s' at "
                        + "the end, %d console errors; its JS heap is judged once its charts' rings (%d points) are "
                        + "full.", samples.get(samples.size() - 1).pageUpdates(), feedAtEnd,
                        consoleErrors, SoakSample.PAGE_RING_POINTS),
                String.format(Locale.ROOT, "- verdict: least-squares slope per minute with its 95%% t interval "
                        + "(n - 2 degrees of freedom); flat when the interval contains 0 or lies within ±%.1f%% of "
                        + "the series' mean per minute (at most %.0f%% over 10 minutes).",
                        LinearTrend.NEGLIGIBLE_PER_MINUTE * 100, LinearTrend.NEGLIGIBLE_PER_MINUTE * 1000),
                "- problems: " + (problems.isEmpty() ? "none" : String.join("; ", problems)) + ".");
        Path tsv = results.resolve(name + ".tsv");
        Path png = results.resolve(name + ".png");
        SoakReport.writeTsv(tsv, samples);
        SoakPlot.draw(tsv, png, String.format(Locale.ROOT, "serve --device cpu under load, %.1f min; fit from "
                + "%d s (red)", end, warmupSeconds), warmupSeconds / 60.0, end, trends);
        String changes = SoakReport.changeTable(settled, last, String.format(Locale.ROOT, "%.0f s", settledAt),
                String.format(Locale.ROOT, "%.0f s", end * 60));
        SoakReport.writeMarkdown(results.resolve(name + ".md"), "Soak: serve under load", notes, samples, trends,
                changes, png.getFileName().toString());
        System.out.println();
        notes.forEach(System.out::println);
        System.out.println();
        System.out.print(SoakReport.trendTable(trends));
        System.out.println();
        System.out.print(changes);
        System.out.printf("%nwrote %s, %s, %s%n", tsv, results.resolve(name + ".md"), png);
        if (!problems.isEmpty()) {
            System.exit(1);
        }
    }

    private static String header() {
        return String.format("%7s %9s %7s %7s %5s %8s %8s %8s %8s %8s %8s %6s %6s %8s %8s %8s", "s", "heap MiB",
                "classes", "threads", "fds", "NMT MiB", "NMT stdy", "NMT rt", "JIT MiB", "RSS MiB", "page MiB", "nodes",
                "lstnrs", "tokens", "scrapes", "updates");
    }

    private static String row(SoakSample s) {
        return String.format(Locale.ROOT, "%7.1f %9.3f %7d %7d %5d %8.1f %8.1f %8.1f %8.2f %8.1f %8.2f %6d %6d %8d %8d "
                + "%8d", s.seconds(), s.heapMib(), s.classes(), s.threads(), s.fds(), s.nmtCommittedMib(),
                s.nmtSteadyMib(), s.nmtRuntimeMib(), s.jitCodeMib(), s.rssMib(), s.pageJsHeapMib(), s.pageNodes(),
                s.pageListeners(), s.tokens(), s.scrapes(), s.pageUpdates());
    }

    /** A sampling interval at which the resource trail is full after three quarters of the warm-up (at least 10 ms). */
    static double trailFillingInterval(int warmupSeconds) {
        return Math.max(0.01, Math.floor(warmupSeconds * 0.75 / ResourcePoller.TRAIL_POLLS * 1000) / 1000);
    }

    private static void usage(String problem) {
        System.err.println("soak: " + problem
                + "\nusage: Soak [JAR [MINUTES [RESULTS_DIR [NAME [HISTORY|- [WARMUP_S]]]]]] (defaults "
                + "../target/cmr-monitor.jar 10 results soak, serve's default max_history_size, 60)");
        System.exit(2);
    }
}
