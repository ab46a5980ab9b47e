package dev.cmr.monitor.resources;

import java.util.LinkedHashMap;
import java.util.Map;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OSProcess;

/**
 * Host CPU and memory through OSHI, source name {@code host}. Gauges:
 *
 * <pre>
 * system_cpu_percent        busy share of all logical CPUs since the previous sample, [0, 100]
 * process_cpu_core_percent  this JVM's CPU time since the previous sample per wall time, in percent of ONE core
 *                           (as top shows it): [0, 100 * logical CPUs]
 * process_rss_bytes         this JVM's resident set size
 * system_memory_used_bytes  total minus available (available counts reclaimable page cache as free)
 * system_memory_total_bytes physical memory
 * </pre>
 *
 * <p>The two CPU gauges are deltas: the first sample only sets their baseline, so they are absent from it (never a
 * made-up zero), and they stay absent while no CPU tick has elapsed since the baseline. Process CPU time comes from
 * the kernel in clock ticks (10 ms on Linux), so over a 50 ms poll it is coarse (and capped at 100 * logical CPUs,
 * which one tick too many could overshoot); over a second it is accurate. OSHI caches the system's tick counters for
 * 300 ms (its {@code oshi.util.memoizer.expiration}, a JVM-wide setting this class leaves alone): polled faster than
 * that, {@code system_cpu_percent} is absent from the polls that saw no fresh counters and the next one covers the
 * whole span.
 *
 * <p>Contract: as {@link ResourceSampler}. OSHI is initialised on the first {@link #sample(long)}, on the sampling
 * thread, so constructing this class costs nothing and cannot fail. Each gauge is read on its own: one that fails is
 * absent and its error is kept in {@link #lastError()}; nothing is thrown.
 */
public final class HostSampler implements ResourceSampler {
    public static final String NAME = "host";

    private CentralProcessor processor;
    private GlobalMemory memory;
    private OSProcess process;
    private boolean initialised;
    /** What could not be initialised: it stays absent, and every later lastError() still says why. */
    private String unavailable = "";
    private int cores = Runtime.getRuntime().availableProcessors();

    private long[] previousTicks;
    private long previousCpuMillis = -1;
    private long previousCpuAtNanos;
    private volatile String lastError;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ResourceSample sample(long nowNanos) {
        if (!initialised) {
            StringBuilder initErrors = new StringBuilder();
            initialise(initErrors);
            unavailable = initErrors.toString();
        }
        if (processor == null && memory == null && process == null) {
            lastError = unavailable;
            return null;
        }
        StringBuilder errors = new StringBuilder(unavailable);
        Map<String, Double> values = new LinkedHashMap<>();
        if (processor != null) {
            read("system_cpu_percent", errors, () -> systemCpuPercent(values));
        }
        if (process != null) {
            read("process", errors, () -> processGauges(nowNanos, values));
        }
        if (memory != null) {
            read("system_memory", errors, () -> {
                long total = memory.getTotal();
                long available = memory.getAvailable();
                if (total > 0 && available >= 0 && available <= total) {
                    values.put("system_memory_used_bytes", (double) (total - available));
                    values.put("system_memory_total_bytes", (double) total);
                } else {
                    throw new IllegalStateException("total " + total + ", available " + available);
                }
            });
        }
        lastError = errors.length() == 0 ? null : errors.toString();
        return values.isEmpty() ? null : new ResourceSample(NAME, nowNanos, values);
    }

    private void initialise(StringBuilder errors) {
        initialised = true;
        SystemInfo system;
        try {
            system = new SystemInfo();
        } catch (RuntimeException | LinkageError e) {
            // OSHI throws UnsupportedOperationException on an unknown platform; JNA can fail to load.
            append(errors, "OSHI unavailable", e);
            return;
        }
        read("processor", errors, () -> {
            CentralProcessor cpu = system.getHardware().getProcessor();
            previousTicks = cpu.getSystemCpuLoadTicks();
            cores = Math.max(cores, cpu.getLogicalProcessorCount());
            processor = cpu; // last: set only with its baseline
        });
        read("memory", errors, () -> memory = system.getHardware().getMemory());
        read("process", errors, () -> {
            // The JDK's pid, not OSHI's: on Linux OSHI asks libc through JNA.
            int pid = Math.toIntExact(ProcessHandle.current().pid());
            OSProcess p = system.getOperatingSystem().getProcess(pid);
            if (p == null) {
                throw new IllegalStateException("OSHI found no process " + pid);
            }
            process = p;
        });
    }

    private void systemCpuPercent(Map<String, Double> values) {
        long[] ticks = processor.getSystemCpuLoadTicks();
        long elapsed = 0;
        for (int i = 0; i < ticks.length; i++) {
            elapsed += ticks[i] - previousTicks[i];
        }
        if (elapsed <= 0) {
            return; // no tick since the baseline: keep it, so the next sample covers the whole span
        }
        double load = processor.getSystemCpuLoadBetweenTicks(previousTicks, ticks);
        previousTicks = ticks;
        values.put("system_cpu_percent", 100.0 * load);
    }

    private void processGauges(long nowNanos, Map<String, Double> values) {
        if (!process.updateAttributes()) {
            throw new IllegalStateException("OSHI could not re-read process " + process.getProcessID());
        }
        values.put("process_rss_bytes", (double) process.getResidentSetSize());
        long cpuMillis = process.getKernelTime() + process.getUserTime();
        if (previousCpuMillis >= 0 && nowNanos > previousCpuAtNanos) {
            double wallMillis = (nowNanos - previousCpuAtNanos) / 1e6;
            double percent = 100.0 * Math.max(0, cpuMillis - previousCpuMillis) / wallMillis;
            // CPU time arrives in whole clock ticks: over a short window one tick too many can overshoot what the
            // cores could have done, so cap at that.
            values.put("process_cpu_core_percent", Math.min(percent, 100.0 * cores));
        }
        previousCpuMillis = cpuMillis;
        previousCpuAtNanos = nowNanos;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        // OSHI holds no native resources between calls.
    }

    private interface Read {
        void run() throws Exception;
    }

    /** Runs one gauge's read; a failure is noted and leaves the gauge absent. */
    private static void read(String what, StringBuilder errors, Read read) {
        try {
            read.run();
        } catch (Exception | LinkageError e) {
            append(errors, what, e);
        }
    }

    private static void append(StringBuilder errors, String what, Throwable e) {
        if (errors.length() > 0) {
            errors.append("; ");
        }
        errors.append(what).append(": ").append(e);
    }
}
