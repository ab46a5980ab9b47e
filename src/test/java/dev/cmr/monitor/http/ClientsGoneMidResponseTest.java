package dev.cmr.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that send a request and go away before the answer (a load generator stopping, a browser tab closed) cost
 * the server nothing that stays: after each of them its socket is closed, counted from this process's own open
 * descriptors (Linux {@code /proc/self/fd}).
 */
class ClientsGoneMidResponseTest {
    private static final int CLIENTS = 40;

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

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/api/health", "/api/stats", "/no/such/path"})
    void aClientThatLeavesRightAfterItsRequestLeavesNoSocketOpen(String path) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc/self/fd");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(
                MonitoringConfig.builder().metricCollectionInterval(3600).build());
             MonitorServer server = MonitorServer.start(monitor, ServerOptions.defaults())) {
            monitor.recordForward(1_000_000L);
            long before = openSockets();
            for (int i = 0; i < CLIENTS; i++) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    OutputStream out = s.getOutputStream();
                    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            long after = openSockets();
            while (after > before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                after = openSockets();
            }
            assertThat(after).as("open sockets after %d clients left early (before: %d)", CLIENTS, before)
                    .isLessThanOrEqualTo(before + 2);
        }
    }
}
