package dev.cmr.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scraper in the manner of Prometheus: one daemon thread GETs {@code url} every {@code periodMillis} (measured
 * from the start of one scrape to the next; a slow scrape delays the next), reads the whole body and counts
 * scrapes that answered 200 and those that did not (other status or I/O error). Counters are read from any thread.
 */
public final class MetricsScraper implements AutoCloseable {
    private final String url;
    private final long periodMillis;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    public MetricsScraper(String url, long periodMillis) {
        this.url = url;
        this.periodMillis = periodMillis;
        thread = new Thread(this::loop, "metrics-scraper");
        thread.setDaemon(true);
        thread.start();
    }

    public long ok() {
        return ok.get();
    }

    public long failed() {
        return failed.get();
    }

    public long bytes() {
        return bytes.get();
    }

    private void loop() {
        while (!stopped) {
            long start = System.nanoTime();
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(5_000);
                c.setReadTimeout(10_000);
                if (c.getResponseCode() == 200) {
                    try (InputStream in = c.getInputStream()) {
                        bytes.addAndGet(in.readAllBytes().length);
                    }
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    c.disconnect();
                }
            } catch (IOException e) {
                failed.incrementAndGet();
            }
            long left = periodMillis - (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(15_000);
    }
}
