package dev.cmr.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that send a request and go away before the answer (a load generator stopping, a browser tab closed) cost
 * the server nothing that stays: after each of them its socket is closed, counted from this process's own open
 * descriptors (Linux {@code /proc/self/fd}), and the JDK server holds no connection object for it, counted as live
 * instances of its connection class in a class histogram (which collects garbage first).
 */
class ClientsGoneMidResponseTest {
    private static final int CLIENTS = 40;
    private static final String CONNECTION_CLASS = "sun.net.httpserver.HttpConnection";

    private static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    /** Live instances of the JDK server's connection class, from the HotSpot diagnostic command. */
    private static long liveConnections() {
        try {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(CONNECTION_CLASS)
                    + "(\\s|$)", Pattern.MULTILINE).matcher(histogram);
            return row.find() ? Long.parseLong(row.group(1)) : 0;
        } catch (Exception e) {
            throw new AssertionError("no class histogram from the DiagnosticCommand MBean", e);
        }
    }

    /** Sends {@code path}, reads {@code readFirst} bytes of the answer, then resets the connection. */
    private static void leaveMidResponse(int port, String path, int readFirst) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoLinger(true, 0); // close with a reset: the server's next write fails at once
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            for (int i = 0; i < readFirst && in.read() >= 0; i++) {
                // the headers and a little of the body, as a client stopped mid-download has
            }
        }
    }

    private static long settle(LongSupplier count, long limit) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long now = count.getAsLong();
        while (now > limit && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = count.getAsLong();
        }
        return now;
    }

    private static long sockets() {
        try {
            return openSockets();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static CmrPerformanceMonitor monitor() {
        CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(
                MonitoringConfig.builder().metricCollectionInterval(3600).build());
        for (int i = 0; i < 200; i++) {
            monitor.recordForward(1_000_000L + i);
            monitor.recordError("component_" + (i % 60), new IllegalStateException("failure " + i));
        }
        return monitor;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/api/health", "/api/stats", "/no/such/path"})
    void aClientThatLeavesRightAfterItsRequestLeavesNoSocketOpen(String path) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc/self/fd");
        try (CmrPerformanceMonitor monitor = monitor();
             MonitorServer server = MonitorServer.start(monitor, ServerOptions.defaults())) {
            long before = openSockets();
            for (int i = 0; i < CLIENTS; i++) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    OutputStream out = s.getOutputStream();
                    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            long after = settle(ClientsGoneMidResponseTest::sockets, before + 2);
            assertThat(after).as("open sockets after %d clients left early (before: %d)", CLIENTS, before)
                    .isLessThanOrEqualTo(before + 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/api/stats", "/api/diagnostics"})
    void aClientThatLeavesMidResponseLeavesNoConnectionHeld(String path) throws Exception {
        try (CmrPerformanceMonitor monitor = monitor();
             MonitorServer server = MonitorServer.start(monitor, ServerOptions.defaults())) {
            leaveMidResponse(server.port(), path, 64); // the server's classes loaded and counted from here
            long before = liveConnections();
            for (int i = 0; i < CLIENTS; i++) {
                leaveMidResponse(server.port(), path, 64);
            }
            long after = settle(ClientsGoneMidResponseTest::liveConnections, before + 2);
            assertThat(after).as("live %s after %d clients left mid-response (before: %d)", CONNECTION_CLASS,
                    CLIENTS, before).isLessThanOrEqualTo(before + 2);
        }
    }

    @Test
    void anEventStreamWhoseClientLeftHoldsNoConnection() throws Exception {
        try (CmrPerformanceMonitor monitor = monitor();
             MonitorServer server = MonitorServer.start(monitor,
                     ServerOptions.builder().eventIntervalMillis(50).build())) {
            long before = liveConnections();
            for (int i = 0; i < 10; i++) {
                leaveMidResponse(server.port(), "/api/events", 64);
            }
            long after = settle(ClientsGoneMidResponseTest::liveConnections, before + 1);
            assertThat(after).as("live %s after 10 event streams were left (before: %d)", CONNECTION_CLASS, before)
                    .isLessThanOrEqualTo(before + 1);
        }
    }
}
