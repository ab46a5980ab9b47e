package dev.cmr.monitor.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.testing.PrometheusBinaries;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}, started here on a free loopback port with a generated
 * configuration) scrapes {@link MetricsEndpoint} served by the JDK's HTTP server, and its HTTP API returns our
 * series. Skipped with the printed reason where the binary is missing, except in CI.
 */
class PrometheusScrapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void prometheusScrapesTheEndpointAndItsQueryApiReturnsOurSeries() throws Exception {
        Path prometheus = PrometheusBinaries.require("prometheus");
        AtomicReference<String> accept = new AtomicReference<>();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MonitorCollectorTest.config())) {
            MonitorCollectorTest.record(monitor);
            MetricsEndpoint endpoint = new MetricsEndpoint(monitor);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/metrics", exchange -> {
                accept.set(exchange.getRequestHeaders().getFirst("Accept"));
                MetricsEndpoint.Scrape scrape = endpoint.scrape(exchange.getRequestHeaders().getFirst("Accept"));
                exchange.getResponseHeaders().set("Content-Type", scrape.contentType());
                exchange.sendResponseHeaders(200, scrape.body().length);
                try (var body = exchange.getResponseBody()) {
                    body.write(scrape.body());
                }
            });
            server.start();
            int promPort = freeLoopbackPort();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: cmr
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(server.getAddress().getPort()));
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
                    "--log.level=warn").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String base = "http://127.0.0.1:" + promPort;
                JsonNode captures = awaitResult(base, "cmr_captures_total{job=\"cmr\"}", p, log);
                assertThat(captures.get(0).path("value").get(1).asDouble()).isEqualTo(2.0);
                JsonNode p99 = awaitResult(base,
                        "cmr_stage_duration_seconds{stage=\"capture\",quantile=\"0.99\"}", p, log);
                assertThat(p99.get(0).path("value").get(1).asDouble()).isBetween(0.002, 0.002 * 1.0079);
                JsonNode health = awaitResult(base, "cmr_health_status{component=\"system\"} == 1", p, log);
                assertThat(health).hasSize(1);
                JsonNode up = awaitResult(base, "up{job=\"cmr\"}", p, log);
                assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
                // Prometheus asks for OpenMetrics first; the endpoint answered in it.
                assertThat(accept.get()).startsWith("application/openmetrics-text");
            } finally {
                p.destroy();
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
                server.stop(0);
            }
        }
    }

    /** The non-empty {@code data.result} of an instant query, polled until the deadline. */
    private JsonNode awaitResult(String base, String query, Process p, Path log) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new AssertionError("prometheus exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode result = JSON.readTree(r.body()).path("data").path("result");
                    if (result.isArray() && !result.isEmpty()) {
                        return result;
                    }
                }
                seen.add(r.statusCode() + " " + r.body());
            } catch (IOException notListeningYet) {
                seen.add(notListeningYet.toString());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no result for " + query + " within " + DEADLINE + "; last answers "
                + seen.subList(Math.max(0, seen.size() - 3), seen.size()) + "; log: " + Files.readString(log));
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
