package dev.cmr.monitor.http;

import com.sun.net.httpserver.HttpHandler;
import dev.cmr.monitor.export.prometheus.MetricsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a {@link MonitorServer} listens and whom it lets in. Immutable; made by {@link #builder()}, whose
 * {@link Builder#build()} checks every value and names the field it rejects.
 *
 * <p>Defaults: bind {@value #DEFAULT_BIND}, port 0 (any free port), no token, not insecure, request bodies up to
 * {@value #DEFAULT_MAX_BODY_BYTES} bytes, a client must send its whole request within
 * {@value #DEFAULT_CLIENT_TIMEOUT_SECONDS} s, {@value #DEFAULT_THREADS} handler threads of which at most
 * {@value #DEFAULT_MAX_EVENT_CLIENTS} hold server-sent event streams, events every
 * {@code metric_collection_interval} of the monitor, {@code /metrics} from the monitor's Prometheus
 * {@code MetricsEndpoint}.
 *
 * @param bindAddress     host name or literal address to bind; anything that is not loopback needs a token or
 *                        {@code insecure}
 * @param bearerToken     the token every request must present as {@code Authorization: Bearer <token>}; null for none
 * @param eventIntervalMillis milliseconds between server-sent events; 0 means the monitor's collection interval
 * @param metrics         {@code Accept} header -> scrape, for {@code GET /metrics}; null serves the monitor's
 *                        Prometheus metrics
 * @param routes          extra application routes, served with the same auth, body cap and 404/405 handling
 */
public record ServerOptions(String bindAddress, int port, String bearerToken, boolean insecure, int maxBodyBytes,
                            int clientTimeoutSeconds, int threads, int maxEventClients, long eventIntervalMillis,
                            Function<String, MetricsEndpoint.Scrape> metrics, List<ExtraRoute> routes) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_CLIENT_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_THREADS = 8;
    public static final int DEFAULT_MAX_EVENT_CLIENTS = 4;

    /** One application route: an exact path and method. */
    public record ExtraRoute(String method, String path, HttpHandler handler) {
    }

    public ServerOptions {
        routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: loopback, any free port. */
    public static ServerOptions defaults() {
        return builder().build();
    }

    public static final class Builder {
        private String bindAddress = DEFAULT_BIND;
        private int port;
        private String bearerToken;
        private boolean insecure;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int clientTimeoutSeconds = DEFAULT_CLIENT_TIMEOUT_SECONDS;
        private int threads = DEFAULT_THREADS;
        private int maxEventClients = DEFAULT_MAX_EVENT_CLIENTS;
        private long eventIntervalMillis;
        private Function<String, MetricsEndpoint.Scrape> metrics;
        private final List<ExtraRoute> routes = new ArrayList<>();

        private Builder() {
        }

        public Builder bindAddress(String host) {
            bindAddress = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bearerToken(String token) {
            bearerToken = token;
            return this;
        }

        /** Reads the token from a file (UTF-8, surrounding whitespace trimmed). */
        public Builder bearerTokenFile(Path file) {
            try {
                bearerToken = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("bearer token file " + file + " cannot be read: " + e.getMessage(), e);
            }
            if (bearerToken.isEmpty()) {
                throw new IllegalArgumentException("bearer token file " + file + " is empty");
            }
            return this;
        }

        /** Reads the token from an environment variable, which must be set and not blank. */
        public Builder bearerTokenFromEnv(String variable) {
            String value = System.getenv(variable);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("bearer token environment variable " + variable
                        + " is not set");
            }
            bearerToken = value.strip();
            return this;
        }

        /** Serves a non-loopback address without a token: anyone who reaches the port reads and triggers. */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        public Builder maxBodyBytes(int bytes) {
            maxBodyBytes = bytes;
            return this;
        }

        /** Seconds a client has to send its whole request; it is disconnected after that. */
        public Builder clientTimeoutSeconds(int seconds) {
            clientTimeoutSeconds = seconds;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder maxEventClients(int clients) {
            maxEventClients = clients;
            return this;
        }

        public Builder eventIntervalMillis(long millis) {
            eventIntervalMillis = millis;
            return this;
        }

        public Builder metrics(Function<String, MetricsEndpoint.Scrape> scrape) {
            metrics = scrape;
            return this;
        }

        /** Adds an application route; its method and path must not be taken by a built-in route. */
        public Builder route(String method, String path, HttpHandler handler) {
            if (method == null || !method.matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("route method must be letters, got " + method);
            }
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("route path must start with '/', got " + path);
            }
            if (handler == null) {
                throw new IllegalArgumentException("route handler must not be null");
            }
            routes.add(new ExtraRoute(method.toUpperCase(Locale.ROOT), path, handler));
            return this;
        }

        public ServerOptions build() {
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("bind_address must not be blank");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
            }
            if (bearerToken != null && bearerToken.isBlank()) {
                throw new IllegalArgumentException("bearer_token must not be blank");
            }
            if (maxBodyBytes < 0) {
                throw new IllegalArgumentException("max_body_bytes must be >= 0, got " + maxBodyBytes);
            }
            if (clientTimeoutSeconds < 1) {
                throw new IllegalArgumentException("client_timeout_seconds must be >= 1, got " + clientTimeoutSeconds);
            }
            if (maxEventClients < 0) {
                throw new IllegalArgumentException("max_event_clients must be >= 0, got " + maxEventClients);
            }
            if (threads < maxEventClients + 2) {
                throw new IllegalArgumentException("threads must be at least max_event_clients + 2 ("
                        + (maxEventClients + 2) + ") so that event streams never take every thread, got " + threads);
            }
            if (eventIntervalMillis < 0) {
                throw new IllegalArgumentException("event_interval_millis must be >= 0, got " + eventIntervalMillis);
            }
            return new ServerOptions(bindAddress, port, bearerToken, insecure, maxBodyBytes, clientTimeoutSeconds,
                    threads, maxEventClients, eventIntervalMillis, metrics, routes);
        }
    }
}
