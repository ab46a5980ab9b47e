package dev.cmr.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and stalled clients: they are cut off after the request deadline (surefire sets
 * {@code sun.net.httpserver.maxReqTime} to 3 s for the test JVM) and never hold other clients up; event streams are
 * bounded, outlive the request deadline, and a client that disconnects is dropped.
 */
class MonitorServerStallTest {
    private static final long DEADLINE_MILLIS = 3_000;
    private final CmrPerformanceMonitor monitor =
            new CmrPerformanceMonitor(MonitoringConfig.builder().metricCollectionInterval(3600).build());
    private final List<Socket> sockets = new ArrayList<>();
    private MonitorServer server;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        monitor.close();
    }

    private Socket open(String partialRequest) throws IOException {
        Socket socket = new Socket(server.address().getAddress(), server.port());
        sockets.add(socket);
        socket.getOutputStream().write(partialRequest.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Milliseconds until the server closed the connection, reading whatever it sent. */
    private static long millisUntilClosed(Socket socket, long startNanos) throws IOException {
        socket.setSoTimeout(15_000);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a stalled connection open for 15 s", e);
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void stalledClientsAreCutOffWhileOthersAreServed() throws Exception {
        server = MonitorServer.start(monitor, ServerOptions.builder().threads(4).maxEventClients(1).build());
        long start = System.nanoTime();
        Socket halfHeaders = open("GET /health HTTP/1.1\r\nHost: loc");
        Socket halfBody = open("POST /api/profile HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"pas");
        Socket nothing = open("");

        for (int i = 0; i < 10; i++) {
            long before = System.nanoTime();
            assertThat(RawHttp.get(server.address(), "/health").status()).isEqualTo(200);
            assertThat((System.nanoTime() - before) / 1_000_000).as("ms to serve while 3 clients stall")
                    .isLessThan(1_000);
        }

        assertThat(millisUntilClosed(halfHeaders, start)).isBetween(DEADLINE_MILLIS - 500, DEADLINE_MILLIS + 5_000);
        assertThat(millisUntilClosed(halfBody, start)).isBetween(DEADLINE_MILLIS - 500, DEADLINE_MILLIS + 5_000);
        assertThat(millisUntilClosed(nothing, start)).isLessThan(DEADLINE_MILLIS + 35_000);
        assertThat(RawHttp.get(server.address(), "/health").status()).isEqualTo(200);
    }

    private static String readUntil(InputStream in, String marker, int maxBytes) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().contains(marker)) {
            int b = in.read();
            if (b < 0 || sb.length() > maxBytes) {
                throw new AssertionError("stream ended before '" + marker + "': " + sb);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    @Test
    void eventStreamsAreBoundedOutliveTheDeadlineAndDisconnectedClientsAreDropped() throws Exception {
        server = MonitorServer.start(monitor, ServerOptions.builder().eventIntervalMillis(100).maxEventClients(1)
                .build());
        Socket first = open("GET /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        first.setSoTimeout(10_000);
        InputStream in = first.getInputStream();
        String head = readUntil(in, "event: update\ndata: {", 1 << 20);
        assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream");

        RawHttp.Response refused = RawHttp.get(server.address(), "/api/events");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("5");

        monitor.recordForward(1_000_000L);
        long until = System.nanoTime() + (DEADLINE_MILLIS + 1_500) * 1_000_000;
        int updates = 0;
        while (System.nanoTime() < until) {
            readUntil(in, "event: update\n", 1 << 20);
            updates++;
        }
        assertThat(updates).as("updates past the request deadline").isGreaterThan(20);
        readUntil(in, "\"total_forwards\":1", 1 << 20);

        first.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.eventClients() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.eventClients()).isZero();
        Socket second = open("GET /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        second.setSoTimeout(10_000);
        assertThat(readUntil(second.getInputStream(), "event: update", 1 << 20)).startsWith("HTTP/1.1 200");
    }
}
