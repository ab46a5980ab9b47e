package dev.cmr.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cmr.model.FullCmrModel;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generate route over HTTP on a plain JDK server: each status code, JSON and server-sent events. */
class GenerateHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(
            MonitoringConfig.builder().enableAlerts(false).build());
    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private HttpServer server;
    private InferenceService service;

    private URI start(List<? extends Generator> generators, int queue, int maxBodyBytes) throws Exception {
        service = new InferenceService(generators, queue, monitor, Fakes.LIMITS);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(GenerateHandler.PATH, new GenerateHandler(service, maxBodyBytes));
        server.setExecutor(executor);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + GenerateHandler.PATH);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.shutdown(Duration.ZERO);
        }
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
        monitor.close();
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theReferenceModelAnswersWithJsonAndWithEventsThatAddUpToTheSameText() throws Exception {
        try (FullCmrModel model = Fakes.referenceModel(); Replicas replicas = Replicas.attach(List.of(model), monitor)) {
            URI uri = start(replicas.generators(), 4, GenerateHandler.DEFAULT_MAX_BODY_BYTES);

            HttpResponse<String> whole = post(uri, "{\"prompt\": \"The memory\", \"max_tokens\": 6}");
            HttpResponse<String> streamed = post(uri,
                    "{\"prompt\": \"The memory\", \"max_tokens\": 6, \"stream\": true}");
            service.shutdown(Duration.ofSeconds(30));

            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = JSON.readTree(whole.body());
            assertThat(body.get("tokens").size()).isBetween(1, 6);
            assertThat(body.get("finish_reason").asText()).isIn(GenerationResult.LENGTH, GenerationResult.STOP);
            assertThat(body.at("/timing/generate_ms").asDouble()).isPositive();
            assertThat(body.at("/timing/total_ms").asDouble()).isGreaterThanOrEqualTo(
                    body.at("/timing/generate_ms").asDouble());

            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            List<String> names = new ArrayList<>();
            List<JsonNode> data = new ArrayList<>();
            for (String event : streamed.body().split("\n\n")) {
                String[] lines = event.split("\n");
                names.add(lines[0].substring("event: ".length()));
                data.add(JSON.readTree(lines[1].substring("data: ".length())));
            }
            JsonNode done = data.get(data.size() - 1);
            assertThat(names.get(names.size() - 1)).isEqualTo("done");
            assertThat(names.subList(0, names.size() - 1)).hasSize(done.get("tokens").size()).containsOnly("token");
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < data.size() - 1; i++) {
                assertThat(data.get(i).get("token")).isEqualTo(done.get("tokens").get(i));
                text.append(data.get(i).get("text").asText());
            }
            // the pieces are the text, except an incomplete character at the very end (it has no token of its own)
            assertThat(done.get("text").asText()).startsWith(text.toString());
            assertThat(monitor.getStats().totalForwards()).isPositive();
        }
    }

    @Test
    void aWrongFieldGets400NamingItAndTheModelIsNotCalled() throws Exception {
        URI uri = start(List.of((p, n, s) -> {
            throw new AssertionError("the model must not run");
        }), 4, GenerateHandler.DEFAULT_MAX_BODY_BYTES);

        HttpResponse<String> unknown = post(uri, "{\"prompt\": \"a\", \"top_p\": 0.9}");
        HttpResponse<String> type = post(uri, "{\"prompt\": \"a\", \"max_tokens\": \"ten\"}");
        HttpResponse<String> bound = post(uri, "{\"prompt\": \"a\", \"max_tokens\": 100000}");
        HttpResponse<String> malformed = post(uri, "{\"prompt\": ");

        assertThat(List.of(unknown, type, bound, malformed)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
        assertThat(JSON.readTree(unknown.body()).get("field").asText()).isEqualTo("top_p");
        assertThat(JSON.readTree(type.body()).get("error").asText()).isEqualTo("max_tokens must be an integer, was a string");
        assertThat(JSON.readTree(bound.body()).get("error").asText()).isEqualTo("max_tokens must be in [1, 256], was 100000");
        assertThat(JSON.readTree(malformed.body()).get("field").asText()).isEqualTo("body");
        assertThat(monitor.getStats().totalErrors()).isZero();
    }

    @Test
    void otherMethodsGet405AndOversizedBodies413() throws Exception {
        URI uri = start(List.of(new Fakes.GatedGenerator()), 4, 64);

        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> big = post(uri, "{\"prompt\": \"" + "a".repeat(100) + "\"}");

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(big.body()).get("error").asText()).isEqualTo("body must be at most 64 bytes");
    }

    @Test
    void aFullQueueGets503WithRetryAfterAndTheWaitingRequestsStillComplete() throws Exception {
        Fakes.GatedGenerator gated = new Fakes.GatedGenerator();
        URI uri = start(List.of(gated), 1, GenerateHandler.DEFAULT_MAX_BODY_BYTES);
        String body = "{\"prompt\": \"a\", \"max_tokens\": 2}";
        CompletableFuture<HttpResponse<String>> running = client.sendAsync(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        gated.awaitEntered();
        CompletableFuture<HttpResponse<String>> queued = client.sendAsync(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        while (service.queued() == 0) {
            Thread.sleep(5);
        }

        HttpResponse<String> refused = post(uri, body);
        gated.open();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue(GenerateHandler.RETRY_AFTER_SECONDS);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).contains("queue is full");
        assertThat(running.get().statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(queued.get().body()).get("text").asText()).isEqualTo("ok");
    }

    @Test
    void aModelFailureGets500AndTheNextRequestIsServed() throws Exception {
        int[] calls = new int[1];
        URI uri = start(List.of((p, n, s) -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("device lost");
            }
            return new int[] {s.next(new float[dev.cmr.model.ByteTokenizer.VOCAB_SIZE])};
        }), 4, GenerateHandler.DEFAULT_MAX_BODY_BYTES);

        HttpResponse<String> failed = post(uri, "{\"prompt\": \"a\"}");
        HttpResponse<String> next = post(uri, "{\"prompt\": \"a\"}");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).get("error").asText()).isEqualTo("generation failed: device lost");
        assertThat(next.statusCode()).isEqualTo(200);
    }
}
