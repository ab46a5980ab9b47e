package dev.cmr.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) on a free loopback port, from a generated config that
 * scrapes one target's {@code /metrics} every second, with its storage in a temporary folder. {@link #pause()} and
 * {@link #resume()} send SIGSTOP and SIGCONT, so that it stops scraping between blocks without a restart.
 * {@link #scrapes()} reads {@code prometheus_target_interval_length_seconds_count} from its own metrics.
 */
public final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static PrometheusServer start(int targetPort, String cpus) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cmr-bench-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: cmr
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(targetPort));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = cpus == null
                ? new ProcessBuilder("prometheus", "--config.file=" + config)
                : new ProcessBuilder("taskset", "-c", cpus, "prometheus", "--config.file=" + config);
        pb.command().addAll(java.util.List.of("--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        Process p = pb.redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(p, port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (server.upQuery().contains("\"value\"")) {
                return server;
            }
            Thread.sleep(500);
        }
        p.destroyForcibly();
        throw new IllegalStateException("Prometheus did not scrape the target within 30 s; log: "
                + dir.resolve("prometheus.log"));
    }

    /** The answer to the instant query {@code up{job="cmr"} == 1}, or "" on failure. */
    String upQuery() {
        return get("/api/v1/query?query=up%7Bjob%3D%22cmr%22%7D%3D%3D1");
    }

    /** How many scrapes of the target Prometheus has made, from its own metrics; -1 when unreadable. */
    public long scrapes() {
        for (String line : get("/metrics").split("\n")) {
            if (line.startsWith("prometheus_target_interval_length_seconds_count{") && line.contains("1s")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private String get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                    .openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        // taskset execs prometheus, so the child's pid is Prometheus's own
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        resume();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
