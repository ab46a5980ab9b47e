package dev.cmr.bench;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.CaptureRecorder;
import java.lang.management.ManagementFactory;

/**
 * Per-call view of what {@code StatsBenchmark.getStatsAfterOneRecordPerLayer} averages: bytes allocated by the
 * calling thread and wall time of each {@code getStats()} that follows one capture in each of 32 layers, over
 * {@code ROUNDS} calls (about 2 s), printed for the first calls, every 500th call, and every call that allocates
 * more than 100 KB. Also the first {@code getStats()} of the JVM and the recording thread's own allocation. The
 * calls start about 0.1 s after the monitor, so the collector's first intervals (at 1 s and 2 s) fall among them.
 *
 * <p>{@code java -cp target/benchmarks.jar dev.cmr.bench.GetStatsAllocation}
 */
public final class GetStatsAllocation {
    private static final int ROUNDS = 4000;

    private GetStatsAllocation() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        try (CmrPerformanceMonitor monitor =
                     new CmrPerformanceMonitor(MonitoringConfig.builder().maxLayers(Inputs.LAYERS).build())) {
            CaptureRecorder[] handles = new CaptureRecorder[Inputs.LAYERS];
            for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                handles[layer] = monitor.captureRecorder(layer);
            }
            long[] nanos = Inputs.nanos(Inputs.nextSeed());

            long b0 = mx.getThreadAllocatedBytes(tid);
            for (long i = 0; i < 1_000_000; i++) {
                handles[(int) (i & (Inputs.LAYERS - 1))].record(8, 6, nanos[(int) (i & Inputs.MASK)]);
            }
            long b1 = mx.getThreadAllocatedBytes(tid);
            System.out.printf("recording thread: first 1e6 records allocated %,d B%n", b1 - b0);

            long t0 = System.nanoTime();
            b0 = mx.getThreadAllocatedBytes(tid);
            monitor.getStats();
            System.out.printf("first getStats() of this JVM: %,d B, %d us%n",
                    mx.getThreadAllocatedBytes(tid) - b0, (System.nanoTime() - t0) / 1000);

            long start = System.nanoTime();
            int k = 0;
            int heavy = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                    handles[layer].record(8, 6, nanos[(k++) & Inputs.MASK]);
                }
                b0 = mx.getThreadAllocatedBytes(tid);
                t0 = System.nanoTime();
                monitor.getStats();
                long micros = (System.nanoTime() - t0) / 1000;
                long bytes = mx.getThreadAllocatedBytes(tid) - b0;
                if (bytes > 100_000) {
                    heavy++;
                }
                if (round < 3 || round % 500 == 0 || bytes > 100_000) {
                    System.out.printf("t=%5d ms  call %4d: %,10d B  %6d us%n",
                            (t0 - start) / 1_000_000, round, bytes, micros);
                }
            }
            System.out.printf("%d of %d calls allocated more than 100 KB%n", heavy, ROUNDS);

            b0 = mx.getThreadAllocatedBytes(tid);
            for (long i = 0; i < 100_000_000; i++) {
                handles[(int) (i & (Inputs.LAYERS - 1))].record(8, 6, nanos[(int) (i & Inputs.MASK)]);
            }
            System.out.printf("recording thread: then 1e8 more records allocated %,d B%n",
                    mx.getThreadAllocatedBytes(tid) - b0);
        }
    }
}
