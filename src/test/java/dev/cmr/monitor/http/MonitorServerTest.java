package dev.cmr.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.export.prometheus.MetricsEndpoint;
import dev.cmr.monitor.health.HostReading;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's HTTP contract, over a real socket: every status code it answers, auth, the body cap, the static root. */
class MonitorServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final CmrPerformanceMonitor monitor =
            new CmrPerformanceMonitor(MonitoringConfig.builder().metricCollectionInterval(3600).build());
    private final List<MonitorServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        servers.forEach(MonitorServer::close);
        monitor.close();
    }

    private MonitorServer start(ServerOptions options) {
        MonitorServer server = MonitorServer.start(monitor, options);
        servers.add(server);
        return server;
    }

    private MonitorServer start() {
        return start(ServerOptions.defaults());
    }

    private HttpResponse<String> send(MonitorServer server, String method, String path, String body,
                                      String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(MonitorServer server, String path) throws IOException, InterruptedException {
        return send(server, "GET", path, null);
    }

    @Test
    void bindsLoopbackByDefaultOnAFreePort() {
        MonitorServer server = start();

        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.port()).isPositive();
    }

    @Test
    void healthIsActuatorShapedWith200WhenGreenAnd503WhenRed() throws Exception {
        MonitorServer server = start();
        monitor.setHostSource(() -> new HostReading(0.1, 0.1));

        HttpResponse<String> green = get(server, "/health");

        assertThat(green.statusCode()).isEqualTo(200);
        assertThat(green.headers().firstValue("Content-Type")).hasValue(HttpReplies.JSON_TYPE);
        JsonNode up = JSON.readTree(green.body());
        assertThat(up.get("status").asText()).isEqualTo("UP");
        assertThat(up.get("health").asText()).isEqualTo("GREEN");
        assertThat(up.at("/components/host/status").asText()).isEqualTo("UP");
        assertThat(up.at("/components/host/details/decided_by").isTextual()).isTrue();

        monitor.setHostSource(() -> new HostReading(0.99, 0.2));
        HttpResponse<String> red = get(server, "/health");

        assertThat(red.statusCode()).isEqualTo(503);
        JsonNode down = JSON.readTree(red.body());
        assertThat(down.get("status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/components/host/status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/components/host/details/health").asText()).isEqualTo("RED");
        HttpResponse<String> page = get(server, "/api/health");
        assertThat(page.statusCode()).as("the page's view of health: a body, not an error").isEqualTo(200);
        assertThat(JSON.readTree(page.body()).get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void theJsonEndpointsServeTheMonitorsMaps() throws Exception {
        MonitorServer server = start();
        monitor.recordForward(2_000_000L);
        monitor.recordForward(3_000_000L);
        try (var scope = monitor.trackPerformance("tokenize")) {
            scope.getClass();
        }

        JsonNode stats = JSON.readTree(get(server, "/api/stats").body());
        assertThat(stats.at("/timing/total_forwards").asLong()).isEqualTo(2);
        assertThat(stats.at("/tracked_blocks/tokenize/count").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(get(server, "/api/live").body()).has("stages")).isTrue();
        assertThat(JSON.readTree(get(server, "/api/alerts").body()).has("rules")).isTrue();
        assertThat(JSON.readTree(get(server, "/api/diagnostics").body()).has("hook_analysis")).isTrue();
        assertThat(JSON.readTree(get(server, "/api/profile").body()).has("executions")).isTrue();
    }

    @Test
    void postProfileFiresTheTriggerAndTheNextPassesAreProfiled() throws Exception {
        MonitorServer server = start();

        HttpResponse<String> r = send(server, "POST", "/api/profile?passes=2", null);

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("passes").asInt()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            try (var block = monitor.profileExecution("generate")) {
                monitor.recordLayer(0, 1_000_000L);
            }
        }
        JsonNode profile = JSON.readTree(get(server, "/api/profile").body());
        assertThat(profile.get("executions").toString()).contains("generate");
    }

    @Test
    void postProfileTakesAJsonBodyAndRejectsMalformedJsonAndBadPasses() throws Exception {
        MonitorServer server = start();

        assertThat(send(server, "POST", "/api/profile", "{\"passes\": 3}").statusCode()).isEqualTo(202);
        HttpResponse<String> malformed = send(server, "POST", "/api/profile", "{\"passes\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("error").asText()).startsWith("malformed JSON body");
        assertThat(send(server, "POST", "/api/profile", "[1]").statusCode()).isEqualTo(400);
        HttpResponse<String> trailing = send(server, "POST", "/api/profile", "{\"passes\": 1} }");
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(trailing.body()).get("error").asText()).startsWith("malformed JSON body");
        HttpResponse<String> twice = send(server, "POST", "/api/profile", "{\"passes\": 1, \"passes\": 9}");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(twice.body()).get("error").asText()).contains("Duplicate field 'passes'");
        HttpResponse<String> text = send(server, "POST", "/api/profile", "{\"passes\": \"ten\"}");
        assertThat(JSON.readTree(text.body()).get("error").asText()).isEqualTo("passes must be an integer, got \"ten\"");
        assertThat(send(server, "POST", "/api/profile?passes=0", null).body())
                .contains("passes must be in [1, 10000], got 0");
        assertThat(send(server, "POST", "/api/profile", null).body()).contains("passes is missing");
        assertThat(RawHttp.send(server.address(), "POST /api/profile?passes=%zz HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\nContent-Length: 0\r\n\r\n").status()).isEqualTo(400);
    }

    @Test
    void unknownPathsAre404AndWrongMethods405WithAllow() throws Exception {
        MonitorServer server = start();

        assertThat(get(server, "/nope").statusCode()).isEqualTo(404);
        assertThat(get(server, "/api/statsx").statusCode()).isEqualTo(404);
        assertThat(get(server, "/metricsx").statusCode()).isEqualTo(404);
        assertThat(send(server, "POST", "/metrics", "").statusCode()).isEqualTo(405);
        HttpResponse<String> post = send(server, "POST", "/health", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> delete = send(server, "DELETE", "/api/profile", null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    @Test
    void bodiesOverTheCapAre413WhetherDeclaredOrChunked() throws Exception {
        MonitorServer server = start(ServerOptions.builder().maxBodyBytes(64).build());
        String big = "{\"passes\": 1, \"pad\": \"" + "x".repeat(200) + "\"}";

        assertThat(send(server, "POST", "/api/profile", big).statusCode()).isEqualTo(413);
        String chunked = "POST /api/profile HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
        RawHttp.Response r = RawHttp.send(server.address(), chunked);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).contains("larger than 64 bytes");
        assertThat(send(server, "POST", "/api/profile", "{\"passes\": 1}").statusCode()).isEqualTo(202);
    }

    @Test
    void servesTheDashboardAndUplotFromTheClasspath() throws Exception {
        MonitorServer server = start();

        HttpResponse<String> page = get(server, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertThat(get(server, "/static/dashboard.js").body()).contains("EventSource");
        HttpResponse<String> uplot = get(server, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
        assertThat(get(server, "/webjars/uplot/1.6.30/dist/uPlot.min.css").statusCode()).isEqualTo(200);
    }

    @Test
    void noPathEscapesTheStaticRoot() throws Exception {
        MonitorServer server = start();
        String[] attempts = {
            "/static/../dev/cmr/monitor/http/MonitorServer.class",
            "/static/../../../../etc/passwd",
            "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/static/%2E%2E/MonitorServer.class",
            "/static/..%2f..%2fMonitorServer.class",
            "/static/%2f%2fetc/passwd",
            "/static/..%5c..%5cMonitorServer.class",
            "/webjars/uplot/../../../../dev/cmr/monitor/http/dashboard/index.html",
            "/webjars/uplot/1.6.30/../../../../../META-INF/MANIFEST.MF",
            "/static/dashboard.js%00.html",
            "/static/",
        };
        for (String path : attempts) {
            RawHttp.Response r = RawHttp.get(server.address(), path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("root:").doesNotContain("cmr-monitor");
        }
        // Inside the root, dot segments that stay in it resolve normally.
        assertThat(RawHttp.get(server.address(), "/static/./x/../dashboard.css").status()).isEqualTo(200);
    }

    @Test
    void aTokenIsRequiredOnEveryRouteAndComparedExactly() throws Exception {
        MonitorServer server = start(ServerOptions.builder().bearerToken("s3cret").build());

        HttpResponse<String> none = get(server, "/health");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(send(server, "GET", "/api/stats", null, "Authorization", "Bearer s3cre").statusCode()).isEqualTo(401);
        assertThat(send(server, "GET", "/api/stats", null, "Authorization", "Bearer s3cret!").statusCode()).isEqualTo(401);
        assertThat(send(server, "GET", "/api/stats", null, "Authorization", "Basic s3cret").statusCode()).isEqualTo(401);
        assertThat(send(server, "GET", "/nope", null).statusCode()).isEqualTo(401); // no probing for paths
        assertThat(send(server, "GET", "/api/stats", null, "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void aNonLoopbackBindNeedsATokenOrInsecure() throws Exception {
        assertThatThrownBy(() -> start(ServerOptions.builder().bindAddress("0.0.0.0").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bind address 0.0.0.0 (0.0.0.0) is not loopback: give a bearer token (from a file or an "
                        + "environment variable) or set insecure to serve it to anyone who can reach the port");

        Path tokenFile = Files.writeString(dir.resolve("token"), "  file-token\n");
        MonitorServer withToken = start(ServerOptions.builder().bindAddress("0.0.0.0").bearerTokenFile(tokenFile).build());
        assertThat(send(withToken, "GET", "/health", null, "Authorization", "Bearer file-token").statusCode())
                .isEqualTo(200);
        MonitorServer insecure = start(ServerOptions.builder().bindAddress("0.0.0.0").insecure(true).build());
        assertThat(get(insecure, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void tokenSourcesFailWithTheirName() throws IOException {
        assertThatThrownBy(() -> ServerOptions.builder().bearerTokenFromEnv("CMR_MONITOR_SURELY_UNSET_42"))
                .hasMessage("bearer token environment variable CMR_MONITOR_SURELY_UNSET_42 is not set");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ServerOptions.builder().bearerTokenFile(empty))
                .hasMessage("bearer token file " + empty + " is empty");
        assertThatThrownBy(() -> ServerOptions.builder().threads(3).maxEventClients(2).build())
                .hasMessageStartingWith("threads must be at least max_event_clients + 2 (4)");
    }

    @Test
    void metricsServeTheMonitorsPrometheusSeriesByDefault() throws Exception {
        monitor.recordCapture(0, 4, 2, 1_000_000L);
        MonitorServer server = start(ServerOptions.builder().build());

        HttpResponse<String> text = get(server, "/metrics");
        HttpResponse<String> openMetrics = send(server, "GET", "/metrics", null, "Accept",
                "application/openmetrics-text; version=1.0.0");

        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type").orElseThrow()).contains("version=0.0.4");
        assertThat(text.body()).contains("cmr_captures_total 1");
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text");
        assertThat(openMetrics.body()).endsWith("# EOF\n");
    }

    @Test
    void extraRoutesAndMetricsGetTheSameRules() throws Exception {
        MonitorServer server = start(ServerOptions.builder().bearerToken("t").maxBodyBytes(16)
                .metrics(accept -> new MetricsEndpoint.Scrape("text/plain; version=0.0.4; charset=utf-8",
                        ("# accept " + accept + "\n").getBytes(StandardCharsets.UTF_8)))
                .route("POST", "/v1/echo", ex -> {
                    byte[] body;
                    try (InputStream in = ex.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    HttpReplies.bytes(ex, 200, "text/plain", body);
                })
                .build());
        String[] auth = {"Authorization", "Bearer t"};

        HttpResponse<String> metrics = send(server, "GET", "/metrics", null, "Authorization", "Bearer t",
                "Accept", "application/openmetrics-text");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).isEqualTo("# accept application/openmetrics-text\n");
        assertThat(send(server, "POST", "/v1/echo", "hello", auth).body()).isEqualTo("hello");
        assertThat(send(server, "POST", "/v1/echo", "x".repeat(17), auth).statusCode()).isEqualTo(413);
        assertThat(send(server, "GET", "/v1/echo", null, auth).statusCode()).isEqualTo(405);
        assertThat(send(server, "POST", "/v1/echo", "hello").statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> MonitorServer.start(monitor,
                ServerOptions.builder().route("GET", "/health", ex -> { }).build()))
                .hasMessage("route GET /health is already taken");
    }

    @Test
    void aHandlerThatThrowsIs500AndTheServerKeepsServing() throws Exception {
        MonitorServer server = start(ServerOptions.builder()
                .route("GET", "/boom", ex -> {
                    throw new IllegalStateException("planted");
                }).build());

        assertThat(get(server, "/boom").statusCode()).isEqualTo(500);
        assertThat(get(server, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aHandlerThatFailsMidBodyEndsTheConnectionSoTheCutBodyIsNeverTakenForWhole() throws Exception {
        MonitorServer server = start(ServerOptions.builder()
                .route("GET", "/half", ex -> {
                    ex.sendResponseHeaders(200, 0);
                    ex.getResponseBody().write("first half, ".getBytes(StandardCharsets.UTF_8));
                    ex.getResponseBody().flush();
                    throw new IllegalStateException("planted after the headers");
                }).build());

        assertThatThrownBy(() -> get(server, "/half")).isInstanceOf(IOException.class);
        assertThat(get(server, "/health").statusCode()).isEqualTo(200);
    }
}
