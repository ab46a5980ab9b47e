package dev.cmr.cli;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.export.Exports;
import dev.cmr.monitor.http.MonitorServer;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.serve.GenerateHandler;
import dev.cmr.serve.InferenceService;
import dev.cmr.serve.Replicas;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A running {@code serve}: the monitor, the model replicas, the inference service and the HTTP server, and the one
 * shutdown path that SIGTERM's hook and the tests both take. {@link #shutdown()} runs once (later calls wait for the
 * first): the service stops accepting (new requests get 503) and accepted ones finish within the grace period (then
 * are cancelled); the handler's last responses are written; the server closes; the monitor's report files are written
 * into the output folder ({@code report.json}, {@code stats.json}, and the profile files when anything was
 * profiled); then the server, devices, replicas and monitor close. Thread-safe.
 */
final class ServeRun {
    static final Duration HANDLER_DRAIN = Duration.ofSeconds(5);

    private final CmrPerformanceMonitor monitor;
    private final Replicas replicas;
    private final DemoDevices devices;
    private final InferenceService service;
    private final GenerateHandler handler;
    private final MonitorServer server;
    private final Path out;
    private final Duration grace;
    private final PrintStream console;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping; // guarded by this
    private volatile List<Path> written = List.of();

    ServeRun(CmrPerformanceMonitor monitor, Replicas replicas, DemoDevices devices, InferenceService service,
             GenerateHandler handler, MonitorServer server, Path out, Duration grace, PrintStream console) {
        this.monitor = monitor;
        this.replicas = replicas;
        this.devices = devices;
        this.service = service;
        this.handler = handler;
        this.server = server;
        this.out = out;
        this.grace = grace;
        this.console = console;
    }

    int port() {
        return server.port();
    }

    InferenceService service() {
        return service;
    }

    CmrPerformanceMonitor monitor() {
        return monitor;
    }

    /** The files the shutdown wrote. */
    List<Path> written() {
        return written;
    }

    /** Blocks until {@link #shutdown()} has finished. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Stops serving as the class comment says; returns once the reports are written and everything is closed. */
    void shutdown() {
        synchronized (this) {
            if (stopping) {
                waitStopped();
                return;
            }
            stopping = true;
        }
        try {
            console.println("serve: shutting down: finishing accepted requests (at most " + grace.toSeconds() + " s)");
            boolean inTime = service.shutdown(grace);
            if (!inTime) {
                console.println("serve: the grace period ran out; the remaining requests were cancelled");
            }
            handler.awaitIdle(HANDLER_DRAIN);
            server.close();
            written = writeReports();
            written.forEach(f -> console.printf("wrote %s%n", f.toAbsolutePath()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        } catch (RuntimeException e) {
            console.println("serve: the reports could not be written: " + e.getMessage());
        } finally {
            devices.close();
            replicas.close();
            monitor.close();
            stopped.countDown();
        }
    }

    private List<Path> writeReports() {
        List<Path> files = new ArrayList<>();
        try {
            Path report = out.resolve("report.json");
            Path stats = out.resolve("stats.json");
            var s = monitor.getStats();
            Exports.writeReport(s, monitor.evaluateHealth(), report);
            Exports.writeStats(s, stats);
            files.add(report);
            files.add(stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProfileResults profile = monitor.getProfileResults();
        if (!profile.executions().isEmpty()) {
            files.addAll(profile.writeReport(out));
        }
        return files;
    }

    private void waitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
