package dev.cmr.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generation throughput of one {@code serve --device cpu} process with its dashboard's live feed open and a real
 * Prometheus scraping {@code /metrics} every second ("on") vs neither ("off"), side by side: blocks of
 * {@code blockSeconds} in the order on, off, off, on, repeated for {@code rounds}, under one steady
 * {@link GenerateLoad} (2 streamed clients, 64 tokens each). "On": Prometheus resumed (SIGCONT) and an
 * {@link EventClient} connected to {@code /api/events}; "off": Prometheus stopped (SIGSTOP) and the feed
 * disconnected. After each switch one second passes before the block's count starts. Per block: generated tokens/s
 * (token events received). Prints per-round lines, the medians, the within-round on/off ratio with a 95% bootstrap
 * interval of its median, and Prometheus's scrape count.
 *
 * <p>CPU split: the server is pinned to {@code serveCpus} (one core: its handler threads for scrapes and the feed
 * compete with its model worker), Prometheus and this JVM (load clients, feed reader) to the other, as in a
 * deployment where Prometheus runs elsewhere.
 *
 * <pre>taskset -c 0 java -cp target/benchmarks.jar dev.cmr.bench.ScrapeOnOff ../target/cmr-monitor.jar 1 0 8 10</pre>
 */
public final class ScrapeOnOff {
    private static final double TARGET = 0.02;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "../target/cmr-monitor.jar");
        String serveCpus = args.length > 1 && !args[1].equals("-") ? args[1] : null;
        String otherCpus = args.length > 2 && !args[2].equals("-") ? args[2] : null;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int blockSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        Path out = Files.createTempDirectory("cmr-serve-bench");
        try (ServeProcess serve = ServeProcess.start(jar, serveCpus, out);
             GenerateLoad load = new GenerateLoad(serve.url("/v1/generate"), 2, 64);
             PrometheusServer prometheus = PrometheusServer.start(serve.port(), otherCpus)) {
            System.out.printf("serve pid %d on port %d (CPUs %s); Prometheus and this JVM on CPUs %s%n",
                    serve.pid(), serve.port(), serveCpus, otherCpus);
            System.out.printf("rounds %d x (on, off, off, on), %d s per block after 1 s settling%n", rounds,
                    blockSeconds);
            Thread.sleep(15_000); // warm-up: the model's JIT under load, Prometheus scraping
            double[] on = new double[2 * rounds];
            double[] off = new double[2 * rounds];
            int n = 0;
            int f = 0;
            long scrapesOn = 0;
            long feedBytes = 0;
            EventClient feed = null;
            boolean scraping = true;
            for (int r = 0; r < rounds; r++) {
                for (boolean mode : new boolean[] {true, false, false, true}) {
                    if (mode && !scraping) {
                        prometheus.resume();
                        scraping = true;
                    } else if (!mode && scraping) {
                        prometheus.pause();
                        scraping = false;
                    }
                    if (mode && feed == null) {
                        feed = new EventClient(serve.url("/api/events"));
                    } else if (!mode && feed != null) {
                        feedBytes += feed.bytes();
                        feed.close();
                        feed = null;
                    }
                    Thread.sleep(1000);
                    long scrapes = mode ? prometheus.scrapes() : 0;
                    long t0 = System.nanoTime();
                    long k0 = load.tokens();
                    Thread.sleep(blockSeconds * 1000L);
                    double tps = (load.tokens() - k0) / ((System.nanoTime() - t0) / 1e9);
                    if (mode) {
                        scrapesOn += prometheus.scrapes() - scrapes;
                        on[n++] = tps;
                    } else {
                        off[f++] = tps;
                    }
                }
                System.out.printf("round %2d: on %.1f / %.1f, off %.1f / %.1f tokens/s%n", r + 1, on[n - 2],
                        on[n - 1], off[f - 2], off[f - 1]);
            }
            if (feed != null) {
                feedBytes += feed.bytes();
                feed.close();
            }
            double[] ratios = Stats.perRoundRatios(on, off);
            double median = Stats.median(ratios);
            double[] ci = Stats.bootstrapMedianInterval(ratios, 10_000);
            System.out.printf("%n| mode | blocks | median tokens/s | min tokens/s |%n|---|---:|---:|---:|%n");
            System.out.printf("| off (no Prometheus, no feed) | %d | %.1f | %.1f |%n", f, Stats.median(off),
                    Stats.min(off));
            System.out.printf("| on (Prometheus every 1 s + /api/events) | %d | %.1f | %.1f |%n", n,
                    Stats.median(on), Stats.min(on));
            System.out.printf("%non / off within each round: median %.4f (%+.2f%%), 95%% bootstrap interval "
                            + "%.4f..%.4f (%+.2f%%..%+.2f%%), over %d rounds%n", median, (median - 1) * 100, ci[0],
                    ci[1], (ci[0] - 1) * 100, (ci[1] - 1) * 100, ratios.length);
            StringBuilder each = new StringBuilder();
            for (double x : ratios) {
                each.append(String.format(" %.3f", x));
            }
            System.out.println("per round:" + each);
            System.out.printf("target within %.0f%%: %s%n", TARGET * 100,
                    Math.abs(median - 1) <= TARGET ? "met (median)" : "NOT met (median)");
            System.out.printf("Prometheus scrapes during on blocks: %d in %d s; feed bytes received: %,d; "
                    + "generation: %d requests, %d failed%n", scrapesOn, n * blockSeconds, feedBytes,
                    load.requests(), load.failures());
        }
    }
}
