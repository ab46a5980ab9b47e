package dev.cmr.monitor.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes whole responses: JSON through Jackson, bytes with a content type, and the error shape
 * {@code {"status": <code>, "error": <message>}}. Every response says {@code nosniff} and {@code no-store}: the
 * numbers are live, and a browser must not guess a type. Stateless; callable from any handler thread.
 */
final class HttpReplies {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Reads request bodies strictly: a repeated key or content after the document would make the request mean
     * something other than what one reading of it says.
     */
    static final ObjectMapper REQUEST_JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    static final String JSON_TYPE = "application/json; charset=utf-8";

    private HttpReplies() {
    }

    static byte[] toJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a response: " + e.getOriginalMessage(), e);
        }
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        bytes(exchange, status, JSON_TYPE, toJson(body));
    }

    static void error(HttpExchange exchange, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        json(exchange, status, body);
    }

    static void bytes(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        commonHeaders(exchange);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void commonHeaders(HttpExchange exchange) {
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
