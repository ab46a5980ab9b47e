package dev.cmr.bench;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.CaptureRecorder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of {@link CmrPerformanceMonitor#getStats()} on a monitor that already holds {@code n} capture records
 * spread over 32 layers (recorded in {@code @Setup} by the benchmark thread through pre-bound handles, durations
 * log-uniform in 1 µs..2 ms). The monitor's collector thread runs as in production (one interval per second).
 *
 * <ul>
 *   <li>{@code getStatsQuiescent}: nothing recorded since the previous call, so no per-slot histogram changed.</li>
 *   <li>{@code getStatsAfterOneRecordPerLayer}: one capture in each of the 32 layers, then getStats, so all 32
 *       capture histograms changed and are rebuilt. The result includes the 32 records (about 32 x the record
 *       cost, a few hundred ns), which is negligible next to getStats.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class StatsBenchmark {
    @Param({"1000", "1000000", "100000000"})
    public long n;

    CmrPerformanceMonitor monitor;
    CaptureRecorder[] handles;
    long[] nanos;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().maxLayers(Inputs.LAYERS).build());
        handles = new CaptureRecorder[Inputs.LAYERS];
        for (int layer = 0; layer < Inputs.LAYERS; layer++) {
            handles[layer] = monitor.captureRecorder(layer);
        }
        nanos = Inputs.nanos(Inputs.nextSeed());
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            handles[(int) (i & (Inputs.LAYERS - 1))].record(8, 6, nanos[(int) (i & Inputs.MASK)]);
        }
        long fillNanos = System.nanoTime() - start;
        MonitorStats stats = monitor.getStats();
        System.out.printf("[stats] filled n=%d in %.2f s (%.1f ns/record); totalCaptures=%d%n",
                n, fillNanos / 1e9, (double) fillNanos / Math.max(1, n), stats.totalCaptures());
        if (stats.totalCaptures() != n) {
            throw new IllegalStateException("expected " + n + " captures, monitor counted " + stats.totalCaptures());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        monitor.close();
    }

    @Benchmark
    public MonitorStats getStatsQuiescent() {
        return monitor.getStats();
    }

    @Benchmark
    public MonitorStats getStatsAfterOneRecordPerLayer() {
        int i = next;
        for (int layer = 0; layer < Inputs.LAYERS; layer++) {
            handles[layer].record(8, 6, nanos[(i + layer) & Inputs.MASK]);
        }
        next = (i + Inputs.LAYERS) & Inputs.MASK;
        return monitor.getStats();
    }
}
