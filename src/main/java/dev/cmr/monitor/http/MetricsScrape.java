package dev.cmr.monitor.http;

/**
 * One scrape of {@code GET /metrics}: the negotiated content type and the body. The server sends exactly these
 * bytes; the function that makes them (for example the Prometheus {@code MetricsEndpoint}) owns the format.
 */
public record MetricsScrape(String contentType, byte[] body) {
    public MetricsScrape {
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("contentType must not be blank");
        }
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
    }
}
