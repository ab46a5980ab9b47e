package dev.cmr.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler behind the server's root context: for every request, in order,
 * <ol>
 *   <li>the bearer token (401 with {@code WWW-Authenticate: Bearer} when it is missing or wrong);</li>
 *   <li>the body cap: a declared {@code Content-Length} over the cap is 413 before anything is read, and the body
 *       stream is swapped for a {@link CappedInputStream} that fails past the cap (413 as well);</li>
 *   <li>the route: an exact path, else the longest matching prefix route; none is 404, a route without the
 *       request's method is 405 with {@code Allow};</li>
 *   <li>the handler. An {@link HttpError} becomes its status; any other failure is 500 (when nothing was sent yet)
 *       and is logged; the exchange is always closed. The response body is a {@link ResponseStream}: a response
 *       that was cut short (the client went away, or the handler failed after the headers) ends its connection,
 *       and {@link #handle} throws so that the JDK server forgets the connection too.</li>
 * </ol>
 * Routes are fixed at construction; {@link #handle} runs on the server's handler threads concurrently.
 */
final class Router implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final BearerAuth auth;
    private final int maxBodyBytes;
    private final Map<String, Map<String, HttpHandler>> exact;
    private final Map<String, Map<String, HttpHandler>> prefixes;

    /** Routes under construction, then frozen by {@link #build}. */
    static final class Routes {
        private final Map<String, Map<String, HttpHandler>> exact = new LinkedHashMap<>();
        private final Map<String, Map<String, HttpHandler>> prefixes = new LinkedHashMap<>();

        Routes exact(String method, String path, HttpHandler handler) {
            add(exact, method, path, handler);
            return this;
        }

        /** Every path that starts with {@code prefix} (which ends with '/'). */
        Routes prefix(String method, String prefix, HttpHandler handler) {
            add(prefixes, method, prefix, handler);
            return this;
        }

        private static void add(Map<String, Map<String, HttpHandler>> table, String method, String path,
                                HttpHandler handler) {
            HttpHandler old = table.computeIfAbsent(path, p -> new TreeMap<>()).putIfAbsent(method, handler);
            if (old != null) {
                throw new IllegalArgumentException("route " + method + " " + path + " is already taken");
            }
        }

        Router build(BearerAuth auth, int maxBodyBytes) {
            return new Router(auth, maxBodyBytes, exact, prefixes);
        }
    }

    private Router(BearerAuth auth, int maxBodyBytes, Map<String, Map<String, HttpHandler>> exact,
                   Map<String, Map<String, HttpHandler>> prefixes) {
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.exact = Map.copyOf(exact);
        this.prefixes = Map.copyOf(prefixes);
    }

    /**
     * Answers one exchange and closes it. Throws when the response could not be completed (the client went away,
     * a write failed, or the handler failed after the headers were sent): the JDK server forgets a connection only
     * when its handler throws. Closing the exchange closes the socket, but the connection object, with its buffers,
     * would stay registered until {@code sun.net.httpserver.maxRspTime}, which is unset by default.
     */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ResponseStream response = new ResponseStream(exchange.getResponseBody());
        exchange.setStreams(new CappedInputStream(exchange.getRequestBody(), maxBodyBytes), response);
        try {
            dispatch(exchange);
        } catch (HttpError e) {
            replyIfPossible(exchange, response, e.status(), e.getMessage());
        } catch (CappedInputStream.BodyTooLarge e) {
            replyIfPossible(exchange, response, 413, e.getMessage());
        } catch (IOException e) {
            // The client went away or stalled past the timeout: nobody is left to answer.
            LOG.debug("HTTP exchange {} {} ended: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                    e.toString());
            response.abandon(e);
        } catch (RuntimeException | Error e) {
            LOG.warn("HTTP handler for {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            replyIfPossible(exchange, response, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            exchange.close();
        }
        if (response.failure() != null) {
            throw response.failure();
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        if (!auth.allows(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"cmr-monitor\"");
            throw new HttpError(401, "missing or wrong bearer token");
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && declaredLength(length) > maxBodyBytes) {
            throw new HttpError(413, "request body is larger than " + maxBodyBytes + " bytes");
        }

        String path = exchange.getRequestURI().getPath();
        Map<String, HttpHandler> byMethod = path == null ? null : exact.get(path);
        if (byMethod == null && path != null) {
            byMethod = longestPrefix(path);
        }
        if (byMethod == null) {
            throw new HttpError(404, "no such path");
        }
        HttpHandler handler = byMethod.get(exchange.getRequestMethod());
        if (handler == null) {
            exchange.getResponseHeaders().set("Allow", String.join(", ", byMethod.keySet()));
            throw new HttpError(405, exchange.getRequestMethod() + " is not allowed here; allowed: "
                    + String.join(", ", byMethod.keySet()));
        }
        handler.handle(exchange);
    }

    private Map<String, HttpHandler> longestPrefix(String path) {
        String best = null;
        for (String prefix : prefixes.keySet()) {
            if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : prefixes.get(best);
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "Content-Length is not a number: " + header);
        }
    }

    private static void replyIfPossible(HttpExchange exchange, ResponseStream response, int status, String message) {
        if (exchange.getResponseCode() != -1) {
            // The headers are out and the body may be cut anywhere: end the connection rather than the response,
            // so the client cannot take what it got for the whole answer.
            response.abandon(new IOException("the handler failed after the response started (" + status + ": "
                    + message + ")"));
            return;
        }
        try {
            HttpReplies.error(exchange, status, message);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot send {} to {}: {}", status, exchange.getRemoteAddress(), e.toString());
            response.abandon(e instanceof IOException io ? io : new IOException(e));
        }
    }
}
