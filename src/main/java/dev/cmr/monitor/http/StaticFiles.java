package dev.cmr.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;

/**
 * Files served from the classpath under one root ({@code dev/cmr/monitor/http/dashboard/}, or the uPlot webjar's
 * folder): {@code GET <prefix><rest>} reads {@code <root><rest>}. The path never leaves the root:
 * <ol>
 *   <li>a raw path holding an encoded slash or backslash ({@code %2f}, {@code %5c}), a backslash or a NUL is 404;</li>
 *   <li>the decoded rest is normalized segment by segment ({@code .} dropped, {@code ..} pops); a {@code ..} with
 *       nothing to pop is 404;</li>
 *   <li>the resolved name must start with the root, and its extension must be one of {@link #TYPES}; else 404.</li>
 * </ol>
 * Stateless apart from the immutable root; thread-safe.
 */
final class StaticFiles {
    /** The dashboard's own files. */
    static final String DASHBOARD_ROOT = "dev/cmr/monitor/http/dashboard/";
    /** uPlot, from the org.webjars.npm:uplot jar on the classpath. */
    static final String UPLOT_ROOT = "META-INF/resources/webjars/uplot/";
    static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private final String prefix;
    private final String root;

    StaticFiles(String prefix, String root) {
        this.prefix = prefix;
        this.root = root;
    }

    void handle(HttpExchange exchange) throws IOException {
        serve(exchange, resolve(exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getPath()));
    }

    /** Serves one named file of the root: the dashboard's page at {@code /}. */
    void serveFile(HttpExchange exchange, String name) throws IOException {
        serve(exchange, root + name);
    }

    /** The classpath name of the file a request asks for, or an {@link HttpError} 404. */
    String resolve(String rawPath, String decodedPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || decodedPath.indexOf('\\') >= 0
                || decodedPath.indexOf('\0') >= 0 || !decodedPath.startsWith(prefix)) {
            throw notFound();
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decodedPath.substring(prefix.length()).split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw notFound();
                }
                segments.removeLast();
            } else {
                segments.addLast(segment);
            }
        }
        String name = root + String.join("/", segments);
        if (segments.isEmpty() || !name.startsWith(root) || type(name) == null) {
            throw notFound();
        }
        return name;
    }

    private void serve(HttpExchange exchange, String name) throws IOException {
        byte[] body;
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw notFound();
            }
            body = in.readAllBytes();
        }
        HttpReplies.bytes(exchange, 200, type(name), body);
    }

    private static String type(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(name.substring(dot + 1));
    }

    private static HttpError notFound() {
        return new HttpError(404, "no such file");
    }
}
