package dev.cmr.bench;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.CaptureRecorder;
import dev.cmr.monitor.record.DurationRecorder;
import dev.cmr.monitor.record.ReconstructionRecorder;
import dev.cmr.monitor.record.RetrievalRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Retained size of a {@link CmrPerformanceMonitor} after {@code n} records per timed stage, made by 1 or 2 recording
 * threads that are still alive (parked on a latch) when the graph is measured; a dead thread's counts would be
 * folded into the monitor's retired totals and its per-thread memory dropped.
 *
 * <p>Two sizes are printed: {@code owned}, the objects reachable from the monitor without passing through a thread,
 * thread group, class loader or class ({@link OwnedGraph}, sized by JOL), which is the monitor's own memory; and
 * JOL's plain {@code GraphLayout.parseInstance(monitor).totalSize()}, which also walks from the recorders' owner
 * threads into the rest of the JVM (thread group, other threads, class loaders...), shown for reference only.
 *
 * <p>For each {@code n}, spread evenly over the threads and round-robin over 32 layers: {@code n} captures,
 * {@code n} reconstructions, {@code n} retrievals, {@code n} layer (block) times and {@code n / 32} forward passes,
 * so that every timed slot (capture, reconstruction, retrieval and layer time of each layer, and forward) holds
 * counts. Durations are log-uniform in
 * 1 µs..2 ms. Before measuring, {@code getStats()} and {@code collectInterval()} are called so that the reader-side
 * merged histograms and one history entry exist.
 *
 * <p>Run: {@code java -Djdk.attach.allowAttachSelf=true -XX:+EnableDynamicAgentLoading -Djol.magicFieldOffset=true
 * -cp target/benchmarks.jar dev.cmr.bench.RetainedMemory [footprint-dir]}. With a directory argument, each case's
 * class footprint of the owned graph is written there as {@code footprint-<n>-<threads>t.txt}.
 */
public final class RetainedMemory {
    private static final long[] SIZES = {0, 100_000, 1_000_000, 10_000_000};
    private static final int[] THREADS = {1, 2};

    private RetainedMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("jol.magicFieldOffset") == null) {
            // Lambdas (hidden classes) and records in the graph need it on JDK 17; must be set before JOL starts.
            System.setProperty("jol.magicFieldOffset", "true");
        }
        Path footprints = args.length > 0 ? Path.of(args[0]) : null;
        if (footprints != null) {
            Files.createDirectories(footprints);
        }
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        System.out.println(VM.current().details().lines().filter(l -> l.contains("Compressed references")).findFirst().orElse(""));
        System.out.println();
        System.out.println("| records/stage | threads | owned bytes | owned KiB | owned objects "
                + "| GraphLayout.totalSize (whole reachable graph) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (long n : SIZES) {
            for (int threads : THREADS) {
                Result r = measure(n, threads, footprints);
                System.out.printf("| %s | %d | %,d | %.1f | %,d | %,d |%n",
                        human(n), threads, r.ownedBytes, r.ownedBytes / 1024.0, r.ownedObjects, r.jolTotal);
            }
        }
    }

    private record Result(long ownedBytes, long ownedObjects, long jolTotal) {
    }

    private static Result measure(long n, int threads, Path footprints) throws Exception {
        try (CmrPerformanceMonitor monitor =
                     new CmrPerformanceMonitor(MonitoringConfig.builder().maxLayers(Inputs.LAYERS).build())) {
            CountDownLatch recorded = new CountDownLatch(threads);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long share = n / threads + (t < n % threads ? 1 : 0);
                long seed = Inputs.nextSeed();
                Thread worker = new Thread(() -> {
                    record(monitor, share, seed);
                    recorded.countDown();
                    try {
                        release.await(); // stay alive: a dead thread's memory is folded away by the reader
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "recorder-" + t);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
            recorded.await();
            MonitorStats stats = monitor.getStats();
            monitor.collectInterval();
            if (stats.totalCaptures() != n || stats.totalReconstructions() != n) {
                throw new IllegalStateException("expected " + n + " captures and reconstructions, got "
                        + stats.totalCaptures() + " and " + stats.totalReconstructions());
            }
            OwnedGraph owned = OwnedGraph.of(monitor);
            long jolTotal = GraphLayout.parseInstance(monitor).totalSize();
            if (footprints != null) {
                Files.writeString(footprints.resolve("footprint-" + n + "-" + threads + "t.txt"), owned.footprint());
            }
            release.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            return new Result(owned.totalSize, owned.totalCount, jolTotal);
        }
    }

    private static void record(CmrPerformanceMonitor monitor, long count, long seed) {
        CaptureRecorder[] captures = new CaptureRecorder[Inputs.LAYERS];
        ReconstructionRecorder[] reconstructions = new ReconstructionRecorder[Inputs.LAYERS];
        RetrievalRecorder[] retrievals = new RetrievalRecorder[Inputs.LAYERS];
        DurationRecorder[] layerTimes = new DurationRecorder[Inputs.LAYERS];
        for (int layer = 0; layer < Inputs.LAYERS; layer++) {
            captures[layer] = monitor.captureRecorder(layer);
            reconstructions[layer] = monitor.reconstructionRecorder(layer);
            retrievals[layer] = monitor.retrievalRecorder(layer);
            layerTimes[layer] = monitor.layerRecorder(layer);
        }
        long[] nanos = Inputs.nanos(seed);
        for (long i = 0; i < count; i++) {
            int layer = (int) (i & (Inputs.LAYERS - 1));
            long d = nanos[(int) (i & Inputs.MASK)];
            captures[layer].record(8, 6, d);
            reconstructions[layer].record(4, d, 0.9);
            retrievals[layer].record(16, 4, (i & 3) == 0, d);
            layerTimes[layer].record(4 * d);
            if (layer == Inputs.LAYERS - 1) {
                monitor.recordForward(d * Inputs.LAYERS);
            }
        }
    }

    /** 100000 -> "1e5"; anything that is not a power of ten as is. */
    private static String human(long n) {
        String digits = Long.toString(n);
        return n >= 10 && digits.matches("10+") ? "1e" + (digits.length() - 1) : digits;
    }
}
