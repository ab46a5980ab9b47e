package dev.cmr.monitor.store;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's background thread: runs a task every {@code metric_collection_interval} (closing an interval into
 * the time series), and any task added with {@link #every} (the health check) on its own period. One daemon thread
 * per monitor, named {@code cmr-monitor-collector}; a task that throws is reported to the given handler and the
 * schedule goes on. The thread holds its task (and so the monitor) until
 * {@link #close()}: close monitors you no longer use.
 */
public final class IntervalScheduler implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final java.util.function.Consumer<Throwable> onFailure;

    public IntervalScheduler(long periodNanos, Runnable task, java.util.function.Consumer<Throwable> onFailure) {
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "cmr-monitor-collector");
            t.setDaemon(true);
            return t;
        };
        this.onFailure = onFailure;
        executor = Executors.newSingleThreadScheduledExecutor(factory);
        every(periodNanos, task);
    }

    /**
     * Runs another task every {@code periodNanos} on the same thread (the health check), so it never runs while
     * an interval is being closed. Failures go to the same handler.
     *
     * @throws java.util.concurrent.RejectedExecutionException after {@link #close()}
     */
    public void every(long periodNanos, Runnable task) {
        executor.scheduleAtFixedRate(() -> {
            // Anything that escapes cancels a fixed-rate schedule for good, silently: report it and go on (a
            // VirtualMachineError is reported, then rethrown, since the JVM is in no state to go on).
            try {
                task.run();
            } catch (VirtualMachineError e) {
                onFailure.accept(e);
                throw e;
            } catch (Throwable e) {
                onFailure.accept(e);
            }
        }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
