package dev.cmr.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady generation load on {@code POST /v1/generate}: {@code clients} threads, each posting a streamed request
 * ({@code "stream": true}, {@code max_tokens} tokens) as soon as its previous one ended, so the server's worker
 * always has the next request waiting. Tokens are counted as their {@code token} events arrive, so a block's count
 * does not depend on where requests start or end. Failed requests (non-200, I/O errors) are counted and retried
 * after 100 ms. Threads: the counters are read from any thread.
 */
public final class GenerateLoad implements AutoCloseable {
    private final String url;
    private final int maxTokens;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    public GenerateLoad(String url, int clients, int maxTokens) {
        this.url = url;
        this.maxTokens = maxTokens;
        for (int i = 0; i < clients; i++) {
            int id = i;
            Thread t = new Thread(() -> loop(id), "generate-client-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Tokens received so far. */
    public long tokens() {
        return tokens.get();
    }

    public long requests() {
        return requests.get();
    }

    public long failures() {
        return failures.get();
    }

    private void loop(int id) {
        byte[] body = ("{\"prompt\": \"the monitor watches client " + id + "\", \"max_tokens\": " + maxTokens
                + ", \"temperature\": 0.8, \"stream\": true}").getBytes(StandardCharsets.UTF_8);
        while (!stopped) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
                if (c.getResponseCode() != 200) {
                    failures.incrementAndGet();
                    c.disconnect();
                    Thread.sleep(100);
                    continue;
                }
                try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null && !stopped; ) {
                        if (line.equals("event: token")) {
                            tokens.incrementAndGet();
                        }
                    }
                }
                requests.incrementAndGet();
            } catch (IOException e) {
                failures.incrementAndGet();
                sleepQuietly();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
