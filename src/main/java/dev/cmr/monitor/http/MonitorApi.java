package dev.cmr.monitor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cmr.io.ConfigObject;
import dev.cmr.io.ConfigValues;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.TrackedStats;
import dev.cmr.monitor.alert.ActiveAlert;
import dev.cmr.monitor.export.prometheus.MetricsEndpoint;
import dev.cmr.monitor.health.HealthReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The JSON endpoints over one monitor. Every handler reads the monitor's snapshots through its public API and writes
 * one response; none touches the record path. Threads: any handler thread, concurrently (the monitor's readers are
 * thread-safe).
 *
 * <ul>
 *   <li>{@code GET /health}: {@link ActuatorHealth}, 503 when RED;</li>
 *   <li>{@code GET /api/stats}: {@code MonitorStats.toMap()} plus {@code tracked_blocks} (name -> timing);</li>
 *   <li>{@code GET /api/live}, {@code /api/diagnostics}, {@code /api/alerts}: the monitor's maps as they are;</li>
 *   <li>{@code GET /api/profile}: {@code ProfileResults.toMap()}; {@code POST /api/profile?passes=N} (or a JSON
 *       body {@code {"passes": N}}) fires {@code profileNextPasses(N)} and answers 202 at once;</li>
 *   <li>{@code GET /metrics}: the scrape function's content type and bytes.</li>
 * </ul>
 */
final class MonitorApi {
    /** The most passes one POST may trigger: a trigger holds device marks until its passes close. */
    static final int MAX_TRIGGER_PASSES = 10_000;

    private final CmrPerformanceMonitor monitor;

    MonitorApi(CmrPerformanceMonitor monitor) {
        this.monitor = monitor;
    }

    /** {@code /health}, for load balancers: 503 when RED. */
    void health(HttpExchange exchange) throws IOException {
        HealthReport report = monitor.getHealth();
        HttpReplies.json(exchange, ActuatorHealth.httpStatus(report), ActuatorHealth.toMap(report));
    }

    /** {@code /api/health}, for pages: the same body, always 200, since a RED monitor is an answer, not an error. */
    void healthView(HttpExchange exchange) throws IOException {
        HttpReplies.json(exchange, 200, ActuatorHealth.toMap(monitor.getHealth()));
    }

    void stats(HttpExchange exchange) throws IOException {
        HttpReplies.json(exchange, 200, statsMap());
    }

    void live(HttpExchange exchange) throws IOException {
        HttpReplies.json(exchange, 200, monitor.getLiveStats().toMap());
    }

    void diagnostics(HttpExchange exchange) throws IOException {
        HttpReplies.json(exchange, 200, monitor.runDiagnostics().toMap());
    }

    void alerts(HttpExchange exchange) throws IOException {
        HttpReplies.json(exchange, 200, monitor.alerts().toMap());
    }

    void profile(HttpExchange exchange) throws IOException {
        HttpReplies.json(exchange, 200, monitor.getProfileResults().toMap());
    }

    void triggerProfile(HttpExchange exchange) throws IOException {
        int passes = requestedPasses(exchange);
        monitor.profileNextPasses(passes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "triggered");
        body.put("passes", passes);
        HttpReplies.json(exchange, 202, body);
    }

    static void metrics(HttpExchange exchange, Function<String, MetricsEndpoint.Scrape> scrape) throws IOException {
        MetricsEndpoint.Scrape s = scrape.apply(exchange.getRequestHeaders().getFirst("Accept"));
        HttpReplies.bytes(exchange, 200, s.contentType(), s.body());
    }

    /** What a server-sent {@code update} event carries: live stats, health, active alerts and the stats map. */
    Map<String, Object> update() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("live", monitor.getLiveStats().toMap());
        m.put("health", ActuatorHealth.toMap(monitor.getHealth()));
        m.put("alerts", monitor.alerts().activeAlerts().stream().map(ActiveAlert::toMap).toList());
        m.put("stats", statsMap());
        return m;
    }

    private Map<String, Object> statsMap() {
        Map<String, Object> m = new LinkedHashMap<>(monitor.getStats().toMap());
        Map<String, Object> tracked = new TreeMap<>();
        for (Map.Entry<String, TrackedStats> e : monitor.getTrackedStats().entrySet()) {
            tracked.put(e.getKey(), e.getValue().toMap());
        }
        m.put("tracked_blocks", tracked);
        return m;
    }

    private static int requestedPasses(HttpExchange exchange) throws IOException {
        String fromQuery = queryParameter(exchange.getRequestURI().getRawQuery(), "passes");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String value = fromQuery;
        if (body.length > 0) {
            JsonNode json;
            try {
                json = HttpReplies.REQUEST_JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new HttpError(400, "malformed JSON body: " + e.getOriginalMessage());
            }
            if (json == null || !json.isObject()) {
                throw new HttpError(400, "the body must be a JSON object such as {\"passes\": 10}");
            }
            JsonNode passes = json.get("passes");
            if (passes != null) {
                if (!passes.isIntegralNumber() || !passes.canConvertToInt()) {
                    throw new HttpError(400, "passes must be an integer, got " + ConfigObject.shown(passes));
                }
                if (fromQuery != null) {
                    throw new HttpError(400, "passes given twice: in the query and in the body");
                }
                value = passes.asText();
            }
        }
        if (value == null) {
            throw new HttpError(400, "passes is missing: POST /api/profile?passes=N");
        }
        int passes;
        try {
            passes = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "passes must be an integer, got " + ConfigValues.quoted(value));
        }
        if (passes < 1 || passes > MAX_TRIGGER_PASSES) {
            throw new HttpError(400, "passes must be in [1, " + MAX_TRIGGER_PASSES + "], got " + passes);
        }
        return passes;
    }

    /** The first value of {@code name} in a raw query string, decoded; null when absent. */
    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        try {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed query: " + e.getMessage());
        }
        return null;
    }
}
