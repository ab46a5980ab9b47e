package dev.cmr.monitor.resources;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Polls resource samplers on a daemon thread of its own ({@code cmr-monitor-sampler}) and keeps each source's latest
 * sample for the collector.
 *
 * <ol>
 *   <li>One poll calls every sampler in turn with the same {@link System#nanoTime()} (the poll's start). Polls are
 *       spaced by the interval measured from the end of one to the start of the next (fixed delay): a slow sampler
 *       stretches the period instead of causing a burst of catch-up polls, so two polls are never closer than the
 *       interval.</li>
 *   <li>A sampler that returns null or throws is counted as a failure of that source ({@link #status()}), its
 *       previous sample is dropped from the latest ones, and the other samplers and later polls go on. These are
 *       the monitor's own troubles, not the model's: they never reach the monitor's error counts (and so never its
 *       error rate). A sampler that throws, breaking its contract, is also logged once ({@link System.Logger}).</li>
 *   <li>Readers never block the sampler and never wait for a poll: the latest samples are one immutable map,
 *       replaced after each poll through an {@link AtomicReference} (set by the sampler thread, read with a volatile
 *       load by any thread).</li>
 *   <li>{@link #latestValues(long)} leaves out a source whose newest sample is older than
 *       {@value #STALE_AFTER_INTERVALS} intervals, so a hung sampler shows up as missing values rather than as
 *       frozen ones.</li>
 *   <li>The last {@value #TRAIL_POLLS} polls are kept for {@link #samplesBetween}: the resource curves beside a
 *       profiled window.</li>
 *   <li>{@link #close()} stops the thread and closes every sampler; the latest samples stay readable.</li>
 * </ol>
 */
public final class ResourcePoller implements AutoCloseable {
    static final int STALE_AFTER_INTERVALS = 3;
    /** Polls kept for {@link #samplesBetween}: over an hour at the default one-second interval. */
    public static final int TRAIL_POLLS = 4096;
    private static final System.Logger LOG = System.getLogger(ResourcePoller.class.getName());

    /** One source's health: polls made, failed polls, and the sampler's last error (also after partial samples). */
    public record Status(String source, long polls, long failures, String lastError) {
    }

    private static final class Source {
        final ResourceSampler sampler;
        final String name;
        final AtomicLong polls = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile String lastError;
        boolean loggedThrow; // sampler thread only

        Source(ResourceSampler sampler, String name) {
            this.sampler = sampler;
            this.name = name;
        }
    }

    private final long intervalNanos;
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final AtomicReference<Map<String, ResourceSample>> latest = new AtomicReference<>(Map.of());
    private final ResourceTrail trail = new ResourceTrail(TRAIL_POLLS);
    private final ScheduledExecutorService executor;

    /** Starts polling {@code samplers} at once and then every {@code intervalNanos}. */
    public ResourcePoller(long intervalNanos, List<? extends ResourceSampler> samplers) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos must be > 0, was " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        for (ResourceSampler sampler : samplers) {
            add(sampler);
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cmr-monitor-sampler");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            // An exception escaping would cancel the schedule for good; poll() catches per sampler, this is the net.
            try {
                poll(System.nanoTime());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.ERROR, "resource sampling poll failed", e);
            }
        }, 0, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Adds a sampler, polled from the next poll on; this object now owns it and closes it in {@link #close()}.
     *
     * @throws IllegalArgumentException if its name is blank or already taken (the values would collide)
     */
    public void add(ResourceSampler sampler) {
        String name = sampler.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("sampler name must be a non-blank name, was " + name);
        }
        synchronized (sources) {
            for (Source s : sources) {
                if (s.name.equals(name)) {
                    throw new IllegalArgumentException("a resource sampler named '" + name + "' is already added");
                }
            }
            sources.add(new Source(sampler, name));
        }
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /** Polls every sampler once; the sampler thread calls this on schedule (synchronized: one poll at a time). */
    synchronized void poll(long nowNanos) {
        Map<String, ResourceSample> next = new LinkedHashMap<>();
        for (Source source : sources) {
            source.polls.incrementAndGet();
            ResourceSample sample = null;
            String error;
            try {
                sample = source.sampler.sample(nowNanos);
                error = source.sampler.lastError();
                if (sample == null && error == null) {
                    error = "returned no sample and no error";
                }
            } catch (RuntimeException | LinkageError e) {
                error = "threw " + e;
                if (!source.loggedThrow) {
                    source.loggedThrow = true;
                    LOG.log(System.Logger.Level.WARNING, "resource sampler '" + source.name
                            + "' threw (samplers must not); its failures are counted in its status", e);
                }
            }
            source.lastError = error;
            if (sample == null) {
                source.failures.incrementAndGet();
            } else {
                next.put(source.name, sample);
            }
        }
        Map<String, ResourceSample> poll = Collections.unmodifiableMap(next);
        latest.set(poll);
        trail.add(poll);
    }

    /** Each source's newest sample from the last poll, by source name; a source whose poll failed is absent. */
    public Map<String, ResourceSample> latest() {
        return latest.get();
    }

    /**
     * The latest values as one map keyed {@code <source>.<gauge>}, sorted, leaving out sources whose sample is
     * older than {@value #STALE_AFTER_INTERVALS} intervals at {@code nowNanos}.
     */
    public Map<String, Double> latestValues(long nowNanos) {
        Map<String, Double> values = new TreeMap<>();
        for (Map.Entry<String, ResourceSample> e : latest.get().entrySet()) {
            ResourceSample sample = e.getValue();
            if (nowNanos - sample.timestampNanos() <= STALE_AFTER_INTERVALS * intervalNanos) {
                String prefix = e.getKey() + ".";
                sample.values().forEach((gauge, value) -> values.put(prefix + gauge, value));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * The values of the last {@value #TRAIL_POLLS} polls over a window of the {@link System#nanoTime()} clock, with
     * the poll just before and just after it: keyed {@code <source>.<gauge>}, each a list of
     * {@code [timestamp nanos, value]} pairs in time order. Never waits for a poll.
     */
    public Map<String, List<double[]>> samplesBetween(long fromNanos, long toNanos) {
        return trail.between(fromNanos, toNanos);
    }

    /** Per source, in the order they were added. */
    public List<Status> status() {
        List<Status> out = new ArrayList<>();
        for (Source s : sources) {
            out.add(new Status(s.name, s.polls.get(), s.failures.get(), s.lastError));
        }
        return out;
    }

    /** Failed polls over all sources. */
    public long failures() {
        long n = 0;
        for (Source s : sources) {
            n += s.failures.get();
        }
        return n;
    }

    /**
     * Stops the thread (waiting up to 5 s for a poll in progress), then closes every sampler. If a poll is still
     * running after that (a hung vendor call), the samplers are left open, since closing one under a running call is
     * what native libraries crash on, and a warning is logged.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        boolean stopped = false;
        try {
            stopped = executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!stopped) {
            LOG.log(System.Logger.Level.WARNING,
                    "the resource sampler thread did not stop within 5 s; samplers left open");
            return;
        }
        for (Source s : sources) {
            try {
                s.sampler.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "resource sampler '" + s.name + "' failed to close", e);
            }
        }
    }
}
