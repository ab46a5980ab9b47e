package dev.cmr.monitor.http;

import com.sun.net.httpserver.HttpServer;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.export.prometheus.MetricsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The monitor over HTTP: JSON endpoints, server-sent events, {@code /metrics} and the dashboard, on the JDK's
 * {@code com.sun.net.httpserver}. Any application starts one over its own monitor with
 * {@link #start(CmrPerformanceMonitor, ServerOptions)} and closes it when done; the monitor is not closed with it.
 *
 * <p>Routes: {@code GET /} (the dashboard), {@code /static/*} (its files), {@code /webjars/uplot/*} (uPlot),
 * {@code GET /health} (503 when RED), {@code GET /api/health} (the same, always 200), {@code GET /api/stats},
 * {@code /api/live}, {@code /api/diagnostics}, {@code /api/alerts}, {@code GET|POST /api/profile},
 * {@code GET /api/events}, {@code GET /metrics} (Prometheus, or the options' scrape function), and the options' extra
 * routes; see {@link Router} for auth, the body cap, 404 and 405.
 *
 * <ol>
 *   <li>Binds {@code 127.0.0.1} unless told otherwise; a non-loopback address without a bearer token fails at
 *       start unless {@code insecure} is set.</li>
 *   <li>Requests run on a fixed pool of {@code threads} daemon threads (more connections wait in its queue); at
 *       most {@code maxEventClients} of them hold event streams.</li>
 *   <li>A client that has not sent its whole request within {@code clientTimeoutSeconds} is disconnected, through
 *       the JDK server's {@code sun.net.httpserver.maxReqTime}. That property is read once per JVM, when the first
 *       JDK HTTP server is made: the first server's timeout holds for all, and one set on the command line wins.</li>
 *   <li>Responses go out with {@code TCP_NODELAY} ({@code sun.net.httpserver.nodelay}, read at the same moment and
 *       with the same caveat): the JDK server writes a response's headers and body separately, and without it
 *       every keep-alive response waits for the client's delayed ACK (about 40 ms on Linux).</li>
 *   <li>Nothing the server does throws into the monitor or the model: handlers only read the monitor's snapshots
 *       (and fire {@code profileNextPasses}), and every failure stays in the exchange.</li>
 * </ol>
 */
public final class MonitorServer implements AutoCloseable {
    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService executor;
    private final EventStream events;

    private MonitorServer(HttpServer server, ExecutorService executor, EventStream events) {
        this.server = server;
        this.executor = executor;
        this.events = events;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalArgumentException when the bind address is not loopback and there is neither a token nor
     *                                  {@code insecure}, or the host is unknown
     * @throws UncheckedIOException     when the port cannot be bound
     */
    public static MonitorServer start(CmrPerformanceMonitor monitor, ServerOptions options) {
        if (monitor == null) {
            throw new IllegalArgumentException("monitor must not be null");
        }
        InetAddress address = resolve(options.bindAddress());
        if (!address.isLoopbackAddress() && options.bearerToken() == null && !options.insecure()) {
            throw new IllegalArgumentException("bind address " + options.bindAddress() + " ("
                    + address.getHostAddress() + ") is not loopback: give a bearer token (from a file or an "
                    + "environment variable) or set insecure to serve it to anyone who can reach the port");
        }
        if (System.getProperty(MAX_REQ_TIME) == null) {
            System.setProperty(MAX_REQ_TIME, Integer.toString(options.clientTimeoutSeconds()));
        }
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }

        MonitorApi api = new MonitorApi(monitor);
        long intervalMillis = options.eventIntervalMillis() > 0 ? options.eventIntervalMillis()
                : Math.max(10, Math.round(monitor.config().metricCollectionIntervalSeconds() * 1e3));
        EventStream events = new EventStream(api::update, options.maxEventClients(), intervalMillis);
        Router router;
        try {
            router = routes(api, events, options, monitor);
        } catch (RuntimeException e) {
            events.close();
            throw e;
        }

        ExecutorService executor = handlerPool(options.threads());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, options.port()), 64);
        } catch (IOException e) {
            events.close();
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind " + options.bindAddress() + ":" + options.port() + ": "
                    + e.getMessage(), e);
        }
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
        return new MonitorServer(server, executor, events);
    }

    private static Router routes(MonitorApi api, EventStream events, ServerOptions options,
                                 CmrPerformanceMonitor monitor) {
        StaticFiles dashboard = new StaticFiles("/static/", StaticFiles.DASHBOARD_ROOT);
        StaticFiles uplot = new StaticFiles("/webjars/uplot/", StaticFiles.UPLOT_ROOT);
        Router.Routes routes = new Router.Routes()
                .exact("GET", "/", ex -> dashboard.serveFile(ex, "index.html"))
                .prefix("GET", "/static/", dashboard::handle)
                .prefix("GET", "/webjars/uplot/", uplot::handle)
                .exact("GET", "/health", api::health)
                .exact("GET", "/api/health", api::healthView)
                .exact("GET", "/api/stats", api::stats)
                .exact("GET", "/api/live", api::live)
                .exact("GET", "/api/diagnostics", api::diagnostics)
                .exact("GET", "/api/alerts", api::alerts)
                .exact("GET", "/api/profile", api::profile)
                .exact("POST", "/api/profile", api::triggerProfile)
                .exact("GET", "/api/events", events::handle);
        // Prometheus by default; an application may serve its own registry's scrape instead.
        Function<String, MetricsEndpoint.Scrape> scrape = options.metrics() != null ? options.metrics()
                : new MetricsEndpoint(monitor)::scrape;
        routes.exact("GET", "/metrics", ex -> MonitorApi.metrics(ex, scrape));
        for (ServerOptions.ExtraRoute r : options.routes()) {
            routes.exact(r.method(), r.path(), r.handler());
        }
        return routes.build(new BearerAuth(options.bearerToken()), options.maxBodyBytes());
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind address " + host + " is not a known host", e);
        }
    }

    private static ExecutorService handlerPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "cmr-monitor-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The bound port (the chosen one when the options said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Number of open server-sent event streams. */
    public int eventClients() {
        return events.clients();
    }

    /** Ends the event streams, stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        events.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
