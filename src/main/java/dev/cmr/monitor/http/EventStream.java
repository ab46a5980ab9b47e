package dev.cmr.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: server-sent events. Every interval one ticker thread builds the {@code update} event
 * ({@link MonitorApi#update()}) once, plus {@code health} when the overall status changed and {@code alerts} when an
 * active alert appeared, left or changed state, and offers the frames to each client's queue.
 *
 * <ol>
 *   <li>At most {@code maxClients} streams at once (a semaphore); one more is refused with 503 and
 *       {@code Retry-After}, so streams never take every handler thread.</li>
 *   <li>Each stream is written by its own handler thread from its own queue of {@value #QUEUE_FRAMES} frames: a
 *       client that stops reading blocks only its thread, and once its queue is full it is dropped. A client that
 *       disconnects fails its next write (at the latest the keep-alive comment every {@value #KEEPALIVE_SECONDS} s)
 *       and is dropped.</li>
 *   <li>The ticker never throws: a failed snapshot is logged and the tick skipped.</li>
 *   <li>{@link #close()} stops the ticker and ends every stream.</li>
 * </ol>
 */
final class EventStream implements AutoCloseable {
    static final int QUEUE_FRAMES = 16;
    static final int KEEPALIVE_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final byte[] END = new byte[0];

    private final Supplier<Map<String, Object>> updates;
    private final Semaphore slots;
    private final Set<BlockingQueue<byte[]>> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;
    /** Ticker thread only: the overall status and the alerts' rule=state list of the previous tick. */
    private Object lastHealth;
    private Object lastAlerts;

    EventStream(Supplier<Map<String, Object>> updates, int maxClients, long intervalMillis) {
        this.updates = updates;
        this.slots = new Semaphore(maxClients);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cmr-monitor-http-events");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    int clients() {
        return clients.size();
    }

    void handle(HttpExchange exchange) throws IOException {
        if (closed || !slots.tryAcquire()) {
            exchange.getResponseHeaders().set("Retry-After", "5");
            throw new HttpError(503, "too many event streams open");
        }
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            HttpReplies.commonHeaders(exchange);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(HttpReplies.utf8("retry: 2000\n\n"));
            out.write(frame("update", updates.get()));
            out.flush();
            clients.add(queue);
            stream(queue, out);
        } finally {
            clients.remove(queue);
            slots.release();
        }
    }

    private void stream(BlockingQueue<byte[]> queue, OutputStream out) throws IOException {
        while (!closed) {
            byte[] next;
            try {
                next = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next == END) {
                return;
            }
            out.write(next == null ? HttpReplies.utf8(": keep-alive\n\n") : next);
            out.flush();
        }
    }

    private void tick() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            Map<String, Object> update = updates.get();
            broadcast(frame("update", update));
            Object health = update.get("health") instanceof Map<?, ?> h ? h.get("status") : null;
            if (lastHealth != null && !Objects.equals(health, lastHealth)) {
                broadcast(frame("health", update.get("health")));
            }
            lastHealth = health;
            Object alerts = update.get("alerts");
            Object alertStates = alerts instanceof List<?> list
                    ? list.stream().map(a -> a instanceof Map<?, ?> m ? m.get("rule") + "=" + m.get("state") : a)
                            .toList()
                    : null;
            if (lastAlerts != null && !Objects.equals(alertStates, lastAlerts)) {
                broadcast(frame("alerts", alerts));
            }
            lastAlerts = alertStates;
        } catch (RuntimeException e) {
            LOG.warn("server-sent event snapshot failed; tick skipped", e);
        }
    }

    private void broadcast(byte[] frame) {
        for (BlockingQueue<byte[]> queue : clients) {
            if (!queue.offer(frame)) {
                // Too slow to keep up: make room for the end marker and drop it.
                queue.clear();
                queue.offer(END);
                clients.remove(queue);
            }
        }
    }

    private static byte[] frame(String event, Object data) {
        String json = new String(HttpReplies.toJson(data), java.nio.charset.StandardCharsets.UTF_8);
        return HttpReplies.utf8("event: " + event + "\ndata: " + json + "\n\n");
    }

    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        for (BlockingQueue<byte[]> queue : clients) {
            queue.clear();
            queue.offer(END);
        }
    }
}
