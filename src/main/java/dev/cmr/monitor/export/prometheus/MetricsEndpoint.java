package dev.cmr.monitor.export.prometheus;

import dev.cmr.monitor.CmrPerformanceMonitor;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@code GET /metrics} answers for one monitor: a {@link MonitorCollector} in a registry of its own, written by
 * client_java's text writers. Content negotiation: OpenMetrics text ({@code application/openmetrics-text;
 * version=1.0.0}) when the Accept header asks for it, as Prometheus does by default; otherwise the Prometheus text
 * format 0.0.4 ({@code text/plain; version=0.0.4}), also for a missing header. Protobuf is never offered.
 *
 * <p>Thread-safe. Requests that arrive while a scrape of the same format is being rendered share its answer instead
 * of rendering again (one scrape in flight per format): an answer is then at most one render old (about a
 * millisecond), and a flood of requests costs one render per render time instead of one each. A request that finds
 * no scrape in flight renders afresh, so sequential scrapes each read the monitor's current snapshots.
 */
public final class MetricsEndpoint {
    /** One answer: the Content-Type header and the body. */
    public record Scrape(String contentType, byte[] body) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final AtomicReference<CompletableFuture<Scrape>> textInFlight = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Scrape>> openMetricsInFlight = new AtomicReference<>();

    public MetricsEndpoint(CmrPerformanceMonitor monitor) {
        registry.register(new MonitorCollector(monitor));
    }

    /** @param acceptHeader the request's Accept header, or null */
    public Scrape scrape(String acceptHeader) {
        ExpositionFormatWriter writer = writerFor(acceptHeader);
        AtomicReference<CompletableFuture<Scrape>> slot =
                writer == formats.getOpenMetricsTextFormatWriter() ? openMetricsInFlight : textInFlight;
        CompletableFuture<Scrape> mine = new CompletableFuture<>();
        for (CompletableFuture<Scrape> running = slot.get(); !slot.compareAndSet(null, mine); running = slot.get()) {
            if (running != null) {
                return shared(running);
            }
        }
        try {
            Scrape scrape = render(writer);
            mine.complete(scrape);
            return scrape;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            slot.compareAndSet(mine, null);
        }
    }

    private static Scrape shared(CompletableFuture<Scrape> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private Scrape render(ExpositionFormatWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing metrics to memory failed", e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    private ExpositionFormatWriter writerFor(String acceptHeader) {
        ExpositionFormatWriter openMetrics = formats.getOpenMetricsTextFormatWriter();
        if (acceptHeader != null && openMetrics.accepts(acceptHeader)) {
            return openMetrics;
        }
        return formats.getPrometheusTextFormatWriter();
    }
}
