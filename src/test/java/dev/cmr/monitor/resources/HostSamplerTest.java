package dev.cmr.monitor.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** HostSampler against the real machine: OSHI's readings checked against the kernel's own files. */
class HostSamplerTest {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    @Test
    void processRssIsWithinTenPercentOfVmRssInProcSelfStatus() throws IOException {
        if (!Files.isReadable(STATUS)) {
            System.out.println("skipped: " + STATUS + " is absent, so there is no kernel figure to compare with");
            assumeTrue(false, STATUS + " is absent");
        }
        try (HostSampler sampler = new HostSampler()) {
            sampler.sample(System.nanoTime()); // OSHI's first use loads classes: let RSS settle before comparing

            ResourceSample sample = sampler.sample(System.nanoTime());
            long vmRssBytes = kilobytesField(STATUS, "VmRSS:") * 1024;

            assertThat(sampler.lastError()).isNull();
            assertThat(sample.values().get("process_rss_bytes")).isCloseTo((double) vmRssBytes,
                    within(0.10 * vmRssBytes));
        }
    }

    @Test
    void systemMemoryTotalMatchesProcMeminfoAndUsedLiesWithinIt() throws IOException {
        assumeTrue(Files.isReadable(MEMINFO), MEMINFO + " is absent");
        try (HostSampler sampler = new HostSampler()) {
            ResourceSample sample = sampler.sample(System.nanoTime());

            double total = sample.values().get("system_memory_total_bytes");
            assertThat(total).isEqualTo(kilobytesField(MEMINFO, "MemTotal:") * 1024.0);
            assertThat(sample.values().get("system_memory_used_bytes")).isGreaterThan(0.0).isLessThanOrEqualTo(total);
        }
    }

    @Test
    void cpuGaugesAreAbsentFromTheFirstSampleAndBoundedAfterwards() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        try (HostSampler sampler = new HostSampler()) {
            long t0 = System.nanoTime();
            ResourceSample first = sampler.sample(t0);
            assertThat(first.timestampNanos()).isEqualTo(t0);
            // A delta needs two readings: the first sample has no CPU figure rather than a made-up zero.
            assertThat(first.values()).doesNotContainKeys("system_cpu_percent", "process_cpu_core_percent");

            burnCpuFor(TimeUnit.MILLISECONDS.toNanos(300)); // at least one clock tick of busy time elapses
            ResourceSample second = sampler.sample(System.nanoTime());

            assertThat(second.values()).containsKeys("system_cpu_percent", "process_cpu_core_percent");
            assertThat(second.values().get("system_cpu_percent")).isBetween(0.0, 100.0);
            // Percent of one core: a busy JVM thread is several tens of percent, the whole process at most all cores.
            int logical = Math.max(cores,
                    new oshi.SystemInfo().getHardware().getProcessor().getLogicalProcessorCount());
            assertThat(second.values().get("process_cpu_core_percent")).isBetween(1.0, 100.0 * logical);
        }
    }

    private static volatile long sink;

    private static void burnCpuFor(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    private static long kilobytesField(Path file, String field) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                assertThat(parts[1]).isEqualTo("kB");
                return Long.parseLong(parts[0]);
            }
        }
        throw new AssertionError(file + " has no " + field);
    }
}
