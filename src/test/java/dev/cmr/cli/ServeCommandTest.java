package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.serve.Generator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cmr-monitor serve} in-process on a free port, on the CPU: generate as JSON and as events, 400s naming the
 * field, 503 on a full queue, and the shutdown path SIGTERM's hook takes (accepted requests finish, new ones get
 * 503, the reports are written, the command returns 0). Bad options exit 2 before any work.
 */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    private final HttpClient client = HttpClient.newHttpClient();
    private final StringWriter err = new StringWriter();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private ServeCommand command;
    private CompletableFuture<Integer> exit;
    private ServeRun run;

    private void serve(boolean gated, String... options) throws Exception {
        command = new ServeCommand();
        command.shutdownHook = false;
        if (gated) {
            command.workerWrapper = this::gatedBy;
        }
        List<String> args = new java.util.ArrayList<>(List.of("--device", "cpu", "--port", "0", "--grace", "20",
                "--out", out.toString()));
        args.addAll(List.of(options));
        String[] all = args.toArray(String[]::new);
        CommandLine cli = new CommandLine(command).setErr(new PrintWriter(err, true));
        exit = CompletableFuture.supplyAsync(() -> cli.execute(all));
        run = command.started.get(60, TimeUnit.SECONDS);
    }

    private Generator gatedBy(Generator g) {
        return (prompt, max, sampler) -> {
            entered.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return g.generate(prompt, max, sampler);
        };
    }

    @AfterEach
    void stop() {
        gate.countDown();
        if (run != null) {
            run.shutdown();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + run.port() + path);
    }

    private HttpRequest generate(String body) {
        return HttpRequest.newBuilder(uri("/v1/generate")).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesJsonAndEventsBesideTheMonitorAndShutdownWritesTheReports() throws Exception {
        serve(false);

        HttpResponse<String> whole = send(generate("{\"prompt\": \"Memory\", \"max_tokens\": 4}"));
        HttpResponse<String> streamed = send(generate("{\"prompt\": \"Memory\", \"max_tokens\": 4, \"stream\": true}"));
        HttpResponse<String> stats = send(HttpRequest.newBuilder(uri("/api/stats")).build());
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/")).build());
        run.shutdown();

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(whole.body()).get("tokens").size()).isBetween(1, 4);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).startsWith("event: token\n").contains("event: done\n");
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        JsonNode written = JSON.readTree(out.resolve("stats.json").toFile());
        assertThat(written.at("/timing/total_forwards").asLong()).as("both requests' passes").isGreaterThanOrEqualTo(2);
        assertThat(out.resolve("report.json")).isNotEmptyFile();
        assertThat(run.written()).contains(out.resolve("report.json"), out.resolve("stats.json"));
    }

    @Test
    void aWrongFieldGets400NamingIt() throws Exception {
        serve(false);

        HttpResponse<String> r = send(generate("{\"prompt\": \"a\", \"temperature\": \"warm\"}"));

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("field").asText()).isEqualTo("temperature");
        assertThat(body.get("error").asText()).isEqualTo("temperature must be a number, was a string");
    }

    @Test
    void aFullQueueGets503WithRetryAfter() throws Exception {
        serve(true, "--workers", "1", "--queue", "1");
        String body = "{\"prompt\": \"a\", \"max_tokens\": 2}";
        CompletableFuture<HttpResponse<String>> running = client.sendAsync(generate(body),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> queued = client.sendAsync(generate(body),
                HttpResponse.BodyHandlers.ofString());
        while (run.service().queued() == 0) {
            Thread.sleep(5);
        }

        HttpResponse<String> refused = send(generate(body));
        gate.countDown();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(running.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void shutdownLetsTheRequestInFlightFinishRefusesNewOnesAndWritesTheReports() throws Exception {
        serve(true);
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                generate("{\"prompt\": \"a\", \"max_tokens\": 3}"), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(run::shutdown);
        while (run.service().isAccepting()) {
            Thread.sleep(5);
        }
        HttpResponse<String> late = send(generate("{\"prompt\": \"b\"}"));
        gate.countDown();
        stopping.get(60, TimeUnit.SECONDS);

        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(late.body()).get("error").asText()).isEqualTo("the service is shutting down");
        HttpResponse<String> finished = inFlight.get(60, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(finished.body()).get("finish_reason").asText()).isNotEqualTo("cancelled");
        assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(out.resolve("stats.json")).isNotEmptyFile();
    }

    @Test
    void badOptionsExit2NamingTheOptionBeforeAnyWork() throws Exception {
        Path badConfig = Files.writeString(out.resolve("monitor.json"), "{\"metric_colection_interval\": 1}");
        Path emptyToken = Files.writeString(out.resolve("token"), " \n");
        List<List<String>> cases = List.of(
                List.of("--workers", "0"), List.of("--queue", "5000"), List.of("--port", "70000"),
                List.of("--grace", "-1"), List.of("--device", "tpu"), List.of("--bind", "192.0.2.1"),
                List.of("--config", badConfig.toString()), List.of("--config", out.resolve("missing.json").toString()),
                List.of("--token-file", emptyToken.toString()));
        List<String> named = List.of("--workers must be in [1, 16], was 0", "--queue must be in [1, 1024], was 5000",
                "--port must be in [0, 65535], was 70000", "--grace must be in [0, 3600] seconds, was -1",
                "--device must be auto, cpu or opencl, was tpu", "--bind 192.0.2.1 is not loopback",
                "--config: " + badConfig + ": unknown configuration key 'metric_colection_interval'",
                "--config: " + out.resolve("missing.json") + ": not found", "--token-file: bearer token file");
        for (int i = 0; i < cases.size(); i++) {
            StringWriter e = new StringWriter();
            ServeCommand c = new ServeCommand();
            c.shutdownHook = false;
            String[] args = cases.get(i).toArray(String[]::new);

            int code = new CommandLine(c).setErr(new PrintWriter(e, true)).execute(args);

            assertThat(code).as(cases.get(i).toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(e.toString()).as(cases.get(i).toString()).startsWith("serve: ").contains(named.get(i));
            assertThat(c.started).isCompletedExceptionally();
        }
        assertThat(Files.exists(Path.of("cmr-serve-out"))).as("no work, no default output folder").isFalse();
    }
}
