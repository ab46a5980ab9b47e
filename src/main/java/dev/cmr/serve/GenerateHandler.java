package dev.cmr.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /v1/generate} over an {@link InferenceService}.
 *
 * <ul>
 *   <li>200 with {@code {"text", "tokens", "finish_reason", "timing"}} ({@link GenerationResult#toMap()}); with
 *       {@code "stream": true}, server-sent events instead: one {@code token} event per generated token
 *       ({@code {"token": id, "text": piece}}), then one {@code done} event holding the whole result (or an
 *       {@code error} event if the model failed).</li>
 *   <li>400 {@code {"error": message, "field": name}} for a body that is not JSON or a field that is wrong
 *       ({@link GenerateRequest}); 405 for another method; 413 for a body over {@code maxBodyBytes}; 503 with
 *       {@code Retry-After} when the queue is full or the service is shutting down; 500 if the model threw.</li>
 * </ul>
 * The handler's thread (the HTTP server's) waits for the result and writes it; the model's worker only hands tokens
 * over through a queue, so a slow or vanished client never holds the model up: a failed write cancels the job, and
 * generation stops after the current token. Thread-safe; one instance serves every request.
 */
public final class GenerateHandler implements HttpHandler {
    public static final String PATH = "/v1/generate";
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    static final String RETRY_AFTER_SECONDS = "1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int END = -1;

    private final InferenceService service;
    private final int maxBodyBytes;
    private final AtomicInteger active = new AtomicInteger();

    public GenerateHandler(InferenceService service, int maxBodyBytes) {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 1, was " + maxBodyBytes);
        }
        this.service = service;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        active.incrementAndGet();
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                error(exchange, 405, "use POST for " + PATH, null);
                return;
            }
            byte[] body = readAtMost(exchange.getRequestBody(), maxBodyBytes);
            if (body == null) {
                error(exchange, 413, "body must be at most " + maxBodyBytes + " bytes", "body");
                return;
            }
            GenerateRequest request;
            try {
                request = GenerateRequest.parse(body, service.limits());
            } catch (BadRequestException e) {
                error(exchange, 400, e.getMessage(), e.field());
                return;
            }
            if (request.stream()) {
                stream(exchange, request);
            } else {
                whole(exchange, request);
            }
        } finally {
            active.decrementAndGet();
        }
    }

    /**
     * Waits (polling) until no request is inside this handler, at most {@code timeout}: after the service's
     * shutdown, this lets the last responses be written before the server closes.
     *
     * @return whether the handler went idle in time
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (active.get() > 0) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private void whole(HttpExchange exchange, GenerateRequest request) throws IOException {
        InferenceJob job = service.submit(request, TokenSink.NONE);
        if (job == null) {
            refused(exchange);
            return;
        }
        GenerationResult result;
        try {
            result = job.result().get();
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            error(exchange, 500, failure(e), null);
            return;
        }
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(result.toMap()));
    }

    private void stream(HttpExchange exchange, GenerateRequest request) throws IOException {
        LinkedBlockingQueue<Integer> tokens = new LinkedBlockingQueue<>();
        InferenceJob job = service.submit(request, tokens::add);
        if (job == null) {
            refused(exchange);
            return;
        }
        job.result().whenComplete((r, e) -> tokens.add(END)); // after every token: the worker added those first
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        TokenText text = new TokenText();
        try {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int token = tokens.take(); token != END; token = tokens.take()) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("token", token);
                data.put("text", text.append(token));
                event(out, "token", data);
            }
            try {
                event(out, "done", job.result().get().toMap());
            } catch (ExecutionException e) {
                event(out, "error", Map.of("error", failure(e)));
            }
        } catch (IOException e) {
            job.cancel(); // the client went away
            throw e;
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
        }
    }

    private static void event(OutputStream out, String name, Map<String, Object> data) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(JSON.writeValueAsBytes(data));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void refused(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
        error(exchange, 503, service.isAccepting() ? "the request queue is full; retry later"
                : "the service is shutting down", null);
    }

    private static String failure(ExecutionException e) {
        Throwable cause = e.getCause();
        return "generation failed: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    private static void error(HttpExchange exchange, int status, String message, String field) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** The body, or null if it is longer than {@code limit} bytes (reading stops there). */
    static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }
}
