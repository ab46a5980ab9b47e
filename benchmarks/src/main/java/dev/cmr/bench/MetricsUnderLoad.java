package dev.cmr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /metrics} (and {@code GET /health} beside it) under load: one {@code serve --device cpu} process
 * generating for a steady {@link GenerateLoad} (2 streamed clients, 64 tokens each), while {@code wrk -t2 -c16
 * --latency} hammers one endpoint for {@code seconds}. Order: a 5 s warm-up of each endpoint, then /metrics, /health,
 * /metrics, so that drift shows as a difference between the two /metrics runs. Also prints the tokens/s the model
 * generated during each run (and during a quiet window without wrk), so the cost of the scrapes to generation shows.
 *
 * <p>CPU split: run this JVM (and so wrk and the load clients, which inherit its affinity) under {@code taskset -c
 * 0} and give {@code serveCpus} = 1: the server's handler threads then compete with its own model worker, not with
 * wrk, and wrk's cost is not charged to the server.
 *
 * <pre>taskset -c 0 java -cp target/benchmarks.jar dev.cmr.bench.MetricsUnderLoad ../target/cmr-monitor.jar 1 20</pre>
 */
public final class MetricsUnderLoad {
    private static final double TARGET_RPS = 2000;
    private static final double TARGET_P99_MS = 20;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "../target/cmr-monitor.jar");
        String cpus = args.length > 1 && !args[1].equals("-") ? args[1] : null;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path out = Files.createTempDirectory("cmr-serve-bench");
        try (ServeProcess serve = ServeProcess.start(jar, cpus, out);
             GenerateLoad load = new GenerateLoad(serve.url("/v1/generate"), 2, 64)) {
            System.out.printf("serve pid %d on port %d, pinned to CPUs %s; this JVM and wrk: %s%n", serve.pid(),
                    serve.port(), cpus == null ? "(any)" : cpus, Files.readString(Path.of("/proc/self/status"))
                            .lines().filter(l -> l.startsWith("Cpus_allowed_list")).findFirst().orElse("?"));
            Thread.sleep(10_000); // the model's JIT warm-up under the generation load
            Wrk.run(serve.url("/metrics"), 5);
            Wrk.run(serve.url("/health"), 5);
            long t0 = System.nanoTime();
            long k0 = load.tokens();
            Thread.sleep(seconds * 1000L);
            double quietTps = (load.tokens() - k0) / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("generation without wrk: %.1f tokens/s over %d s%n", quietTps, seconds);

            List<String> rows = new ArrayList<>();
            for (String path : new String[] {"/metrics", "/health", "/metrics"}) {
                long start = System.nanoTime();
                long tokens = load.tokens();
                Wrk w = Wrk.run(serve.url(path), seconds);
                double tps = (load.tokens() - tokens) / ((System.nanoTime() - start) / 1e9);
                System.out.println("wrk " + path + ":");
                System.out.println(w.output().strip());
                rows.add(String.format("| `%s` | %,.0f | %,d | %.2f | %.2f | %.2f | %.2f | %s | %.1f |", path,
                        w.requestsPerSecond(), w.requests(), w.latencyMillis().get("50"), w.latencyMillis().get("75"),
                        w.latencyMillis().get("90"), w.latencyMillis().get("99"), w.errors(), tps));
                if (path.equals("/metrics")) {
                    boolean met = w.requestsPerSecond() >= TARGET_RPS && w.latencyMillis().get("99") < TARGET_P99_MS;
                    System.out.printf("target >= %.0f req/s with p99 < %.0f ms: %s%n", TARGET_RPS, TARGET_P99_MS,
                            met ? "met" : "NOT met");
                }
            }
            System.out.printf("%n| endpoint | req/s | requests | p50 ms | p75 ms | p90 ms | p99 ms | errors | "
                    + "generated tokens/s meanwhile |%n|---|---:|---:|---:|---:|---:|---:|---|---:|%n");
            rows.forEach(System.out::println);
            System.out.printf("| (no wrk) | | | | | | | | %.1f |%n", quietTps);
            System.out.printf("%ngeneration load: %d requests, %d failed, %d tokens%n", load.requests(),
                    load.failures(), load.tokens());
        }
    }
}
