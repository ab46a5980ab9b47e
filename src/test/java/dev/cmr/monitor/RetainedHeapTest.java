package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/**
 * Memory must not depend on how many records were made. Measured as heap in use after full collections, with the
 * monitor strongly reachable, at 1e5 and at 1e7 records over all 32 layers and every timed stage.
 */
class RetainedHeapTest {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Test
    void retainedHeapStaysFlatFromOneHundredThousandToTenMillionRecords() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            record(monitor, 100_000);
            monitor.getStats();
            monitor.collectInterval();
            long atFirst = usedAfterGc();

            record(monitor, 10_000_000 - 100_000);
            MonitorStats stats = monitor.getStats();
            monitor.collectInterval();
            long atLast = usedAfterGc();

            assertThat(stats.totalCaptures() + stats.totalReconstructions() + stats.retrieval().totalRetrievals()
                    + stats.totalForwards()).isEqualTo(10_000_000L);
            // The only growth allowed is noise from the JVM itself (class metadata lives off-heap; JIT and
            // logging objects are small): far below one histogram per record, which would be ~80 MB here.
            assertThat(atLast - atFirst).as("heap growth in bytes").isLessThan(512 * 1024);
        }
    }

    private static void record(CmrPerformanceMonitor monitor, int n) {
        for (int i = 0; i < n; i++) {
            int layer = i & 31;
            long nanos = 500 + (i * 7919L) % 3_000_000;
            switch ((i >>> 5) & 3) {
                case 0 -> monitor.recordCapture(layer, 4, 3, nanos);
                case 1 -> monitor.recordReconstruction(layer, 2, nanos);
                case 2 -> monitor.recordRetrieval(layer, 8, 2, (i & 64) == 0, nanos);
                default -> monitor.recordForward(nanos * 10);
            }
        }
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
