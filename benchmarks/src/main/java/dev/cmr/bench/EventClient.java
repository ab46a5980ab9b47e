package dev.cmr.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard's live feed without the page: one connection to {@code GET /api/events}, read to the end on a daemon
 * thread and counted in bytes; {@link #close()} disconnects (the server drops the stream at its next write).
 */
public final class EventClient implements AutoCloseable {
    private final HttpURLConnection connection;
    private final AtomicLong bytes = new AtomicLong();
    private final Thread reader;

    public EventClient(String url) throws IOException {
        connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty("Accept", "text/event-stream");
        if (connection.getResponseCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + connection.getResponseCode());
        }
        InputStream in = connection.getInputStream();
        reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    bytes.addAndGet(n);
                }
            } catch (IOException e) {
                // disconnected by close()
            }
        }, "event-client");
        reader.setDaemon(true);
        reader.start();
    }

    public long bytes() {
        return bytes.get();
    }

    @Override
    public void close() throws InterruptedException {
        connection.disconnect();
        reader.join(5_000);
    }
}
