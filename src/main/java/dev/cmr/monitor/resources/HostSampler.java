package dev.cmr.monitor.resources;

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
    /** Busy share of all logical CPUs since the previous poll, 0..100. */
    public static final String SYSTEM_CPU_PERCENT = "system_cpu_percent";
    /** Physical memory in use (total minus available), bytes. */
    public static final String SYSTEM_MEMORY_USED_BYTES = "system_memory_used_bytes";
    /** Physical memory, bytes. */
    public static final String SYSTEM_MEMORY_TOTAL_BYTES = "system_memory_total_bytes";
    /** Resident set size of this process, bytes. */
    public static final String PROCESS_RSS_BYTES = "process_rss_bytes";
    /** CPU time of this process since the previous poll, as a percentage of one core (up to 100 x cores). */
    public static final String PROCESS_CPU_CORE_PERCENT = "process_cpu_core_percent";

    private CentralProcessor processor;
    private GlobalMemory memory;
    private OSProcess process;
    private boolean initialised;
    /** What could not be initialised, or null: it stays absent, and every later lastError() still says why. */
    private String unavailable;
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
            GaugeReadings handles = new GaugeReadings();
            initialise(handles);
            unavailable = handles.error();
        }
        if (processor == null && memory == null && process == null) {
            lastError = unavailable;
            return null;
        }
        GaugeReadings readings = new GaugeReadings(unavailable);
        if (processor != null) {
            readings.read(SYSTEM_CPU_PERCENT, () -> systemCpuPercent(readings));
        }
        if (process != null) {
            readings.read("process", () -> processGauges(nowNanos, readings));
        }
        if (memory != null) {
            readings.read("system_memory", () -> {
                long total = memory.getTotal();
                long available = memory.getAvailable();
                if (total > 0 && available >= 0 && available <= total) {
                    readings.put(SYSTEM_MEMORY_USED_BYTES, total - available);
                    readings.put(SYSTEM_MEMORY_TOTAL_BYTES, total);
                } else {
                    throw new IllegalStateException("total " + total + ", available " + available);
                }
            });
        }
        lastError = readings.error();
        return readings.toSample(NAME, nowNanos);
    }

    /** Gets OSHI's handles; each one that fails stays null, with its reason in {@code handles}. */
    private void initialise(GaugeReadings handles) {
        initialised = true;
        SystemInfo system;
        try {
            system = new SystemInfo();
        } catch (RuntimeException | LinkageError e) {
            // OSHI throws UnsupportedOperationException on an unknown platform; JNA can fail to load.
            handles.fail("OSHI unavailable", e);
            return;
        }
        handles.read("processor", () -> {
            CentralProcessor cpu = system.getHardware().getProcessor();
            previousTicks = cpu.getSystemCpuLoadTicks();
            cores = Math.max(cores, cpu.getLogicalProcessorCount());
            processor = cpu; // last: set only with its baseline
        });
        handles.read("memory", () -> memory = system.getHardware().getMemory());
        handles.read("process", () -> {
            // The JDK's pid, not OSHI's: on Linux OSHI asks libc through JNA.
            int pid = Math.toIntExact(ProcessHandle.current().pid());
            OSProcess p = system.getOperatingSystem().getProcess(pid);
            if (p == null) {
                throw new IllegalStateException("OSHI found no process " + pid);
            }
            process = p;
        });
    }

    private void systemCpuPercent(GaugeReadings readings) {
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
        readings.put(SYSTEM_CPU_PERCENT, 100.0 * load);
    }

    private void processGauges(long nowNanos, GaugeReadings readings) {
        if (!process.updateAttributes()) {
            throw new IllegalStateException("OSHI could not re-read process " + process.getProcessID());
        }
        readings.put(PROCESS_RSS_BYTES, process.getResidentSetSize());
        long cpuMillis = process.getKernelTime() + process.getUserTime();
        if (previousCpuMillis >= 0 && nowNanos > previousCpuAtNanos) {
            double wallMillis = (nowNanos - previousCpuAtNanos) / 1e6;
            double percent = 100.0 * Math.max(0, cpuMillis - previousCpuMillis) / wallMillis;
            // CPU time arrives in whole clock ticks: over a short window one tick too many can overshoot what the
            // cores could have done, so cap at that.
            readings.put(PROCESS_CPU_CORE_PERCENT, Math.min(percent, 100.0 * cores));
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
}
