package dev.cmr.monitor.export.prometheus;

import dev.cmr.monitor.CmrPerformanceMonitor;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What {@code GET /metrics} answers for one monitor: a {@link MonitorCollector} in a registry of its own, written by
 * client_java's text writers. Content negotiation: OpenMetrics text ({@code application/openmetrics-text;
 * version=1.0.0}) when the Accept header asks for it, as Prometheus does by default; otherwise the Prometheus text
 * format 0.0.4 ({@code text/plain; version=0.0.4}), also for a missing header. Protobuf is never offered.
 *
 * <p>Thread-safe: scrapes may run concurrently; each reads the monitor's snapshots afresh.
 */
public final class MetricsEndpoint {
    /** One answer: the Content-Type header and the body. */
    public record Scrape(String contentType, byte[] body) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();

    public MetricsEndpoint(CmrPerformanceMonitor monitor) {
        registry.register(new MonitorCollector(monitor));
    }

    /** @param acceptHeader the request's Accept header, or null */
    public Scrape scrape(String acceptHeader) {
        ExpositionFormatWriter writer = writerFor(acceptHeader);
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
