package dev.cmr.monitor.resources;

import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_CLOCK_EVENT_REASONS;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_ENERGY;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_GPU_UTILIZATION;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_MEMORY_TOTAL;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_MEMORY_USED;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_MEMORY_UTILIZATION;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_POWER;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_SM_CLOCK;
import static dev.cmr.monitor.probe.CmrProbe.CMRP_NVML_TEMPERATURE;

import dev.cmr.monitor.probe.CmrProbe.cmrp_nvml_sample;
import dev.cmr.monitor.probe.CmrProbe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource gauges of one NVIDIA GPU through NVML (libnvidia-ml.so.1, loaded by libcmrprobe with dlopen), source
 * name {@code nvml<index>}. Gauges, each absent when the GPU does not support it or the read failed:
 * <ul>
 *   <li>{@value #GPU_UTILIZATION}, {@value #MEMORY_UTILIZATION}: percent busy over NVML's own sample period
 *       (1/6 s to 1 s, product dependent);</li>
 *   <li>{@value #MEMORY_USED}, {@value #MEMORY_TOTAL}: device memory, bytes;</li>
 *   <li>{@value #POWER}: board power draw, milliwatts;</li>
 *   <li>{@value #ENERGY_DELTA}: energy used since the previous sample, millijoules, from NVML's total-energy
 *       counter; absent on the first sample, after a sample without energy, and if the counter went back;</li>
 *   <li>{@value #TEMPERATURE}: GPU core temperature, degrees Celsius;</li>
 *   <li>{@value #SM_CLOCK}: streaming-multiprocessor clock, MHz;</li>
 *   <li>{@value #CLOCK_EVENT_REASONS}: why clocks are held down, a bitmask that {@link ClockEventReasons#decode}
 *       names.</li>
 * </ul>
 *
 * <p>Contract:
 * <ol>
 *   <li>{@link #sample(long)} blocks in the NVIDIA driver for nine queries (microseconds to a few milliseconds; far
 *       longer while a GPU is being reset): call it only from the sampler thread, never from a recording one.</li>
 *   <li>{@code sample} and {@code close} are serialised by this object's monitor, so closing from another thread
 *       is safe; a closed sampler returns {@code null} from {@code sample}.</li>
 *   <li>Each open sampler holds one reference on NVML in libcmrprobe; the last {@code close} shuts NVML down and
 *       unloads it. One NVML library per process: opening with a different library while one is open fails.</li>
 * </ol>
 */
public final class NvmlSampler implements ResourceSampler {
    /** The library NVIDIA's driver installs and {@link #open(int)} loads. */
    public static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";
    /** The source name of GPU {@code i} is this prefix followed by {@code i}: {@code nvml0}, {@code nvml1}... */
    public static final String NAME_PREFIX = "nvml";

    public static final String GPU_UTILIZATION = "gpu_utilization_percent";
    public static final String MEMORY_UTILIZATION = "gpu_memory_utilization_percent";
    public static final String MEMORY_USED = "gpu_memory_used_bytes";
    public static final String MEMORY_TOTAL = "gpu_memory_total_bytes";
    public static final String POWER = "gpu_power_mw";
    public static final String ENERGY_DELTA = "gpu_energy_delta_mj";
    public static final String TEMPERATURE = "gpu_temperature_c";
    public static final String SM_CLOCK = "gpu_sm_clock_mhz";
    public static final String CLOCK_EVENT_REASONS = "gpu_clock_event_reasons";

    /** NVML's own name buffer size (NVML_DEVICE_NAME_V2_BUFFER_SIZE). */
    private static final int NAME_CAPACITY = 96;

    private final int index;
    private final String name;
    private final String gpuName;
    private final cmrp_nvml_sample raw;
    private boolean closed;
    private boolean havePreviousEnergy;
    private long previousEnergyMj;
    private String lastError;

    private NvmlSampler(int index, String gpuName) {
        this.index = index;
        this.name = NAME_PREFIX + index;
        this.gpuName = gpuName;
        this.raw = new cmrp_nvml_sample();
    }

    /** Opens GPU {@code gpuIndex} (NVML's numbering) through {@value #DEFAULT_LIBRARY}. */
    public static NvmlSampler open(int gpuIndex) throws NvmlUnavailableException {
        return open(DEFAULT_LIBRARY, gpuIndex);
    }

    /**
     * Opens GPU {@code gpuIndex} through {@code library} (a file name the dynamic loader resolves, or a path).
     * Blocks while NVML loads and initialises (up to a second or more when the driver wakes idle GPUs).
     *
     * @throws NvmlUnavailableException with the precise reason when NVML cannot be loaded or initialised, or does
     *     not see that GPU
     * @throws IllegalArgumentException when {@code gpuIndex} is negative or {@code library} blank
     */
    public static NvmlSampler open(String library, int gpuIndex) throws NvmlUnavailableException {
        if (gpuIndex < 0) {
            throw new IllegalArgumentException("gpuIndex must be >= 0, was " + gpuIndex);
        }
        acquire(library);
        try {
            int count = deviceCountLoaded();
            if (gpuIndex >= count) {
                throw new NvmlUnavailableException(
                        "NVML sees " + count + " GPU(s); there is no GPU with index " + gpuIndex);
            }
            byte[] buffer = new byte[NAME_CAPACITY];
            if (CmrProbe.cmrp_nvml_device_name(gpuIndex, buffer, buffer.length) != 0) {
                throw new NvmlUnavailableException(lastNativeError());
            }
            return new NvmlSampler(gpuIndex, cString(buffer));
        } catch (NvmlUnavailableException | RuntimeException | Error e) {
            CmrProbe.cmrp_nvml_shutdown(); // the reference taken above; nothing stays loaded for a failed open
            throw e;
        }
    }

    /** One sampler per GPU NVML sees through {@code library}, in index order (empty when it sees none). */
    public static List<NvmlSampler> openAll(String library) throws NvmlUnavailableException {
        acquire(library);
        List<NvmlSampler> samplers = new ArrayList<>();
        try {
            int count = deviceCountLoaded();
            for (int i = 0; i < count; i++) {
                samplers.add(open(library, i));
            }
            return samplers;
        } catch (NvmlUnavailableException | RuntimeException | Error e) {
            samplers.forEach(NvmlSampler::close);
            throw e;
        } finally {
            CmrProbe.cmrp_nvml_shutdown(); // each sampler holds its own reference
        }
    }

    private static void acquire(String library) throws NvmlUnavailableException {
        if (library == null || library.isBlank()) {
            throw new IllegalArgumentException("library must be a non-blank library name or path");
        }
        try {
            CmrProbe.load();
        } catch (Throwable e) { // UnsatisfiedLinkError or the Loader's own errors: a reason, not a crash
            throw new NvmlUnavailableException("NVML unavailable: libcmrprobe could not be loaded: " + e);
        }
        if (CmrProbe.cmrp_nvml_load(library) != 0) {
            throw new NvmlUnavailableException(lastNativeError());
        }
    }

    private static int deviceCountLoaded() throws NvmlUnavailableException {
        int[] count = new int[1];
        if (CmrProbe.cmrp_nvml_device_count(count) != 0) {
            throw new NvmlUnavailableException(lastNativeError());
        }
        return count[0];
    }

    private static String lastNativeError() {
        return CmrProbe.cmrp_last_error().getString();
    }

    private static String cString(byte[] buffer) {
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return name;
    }

    /** NVML's index of this GPU. */
    public int gpuIndex() {
        return index;
    }

    /** The product name NVML reports, e.g. "NVIDIA A100-SXM4-40GB". */
    public String gpuName() {
        return gpuName;
    }

    @Override
    public synchronized ResourceSample sample(long nowNanos) {
        if (closed) {
            lastError = name + " is closed";
            return null;
        }
        String error = CmrProbe.cmrp_nvml_read(index, raw) == 0 ? null : lastNativeError();
        int valid = raw.valid();
        Map<String, Double> values = new LinkedHashMap<>();
        if (has(valid, CMRP_NVML_GPU_UTILIZATION)) {
            values.put(GPU_UTILIZATION, (double) raw.gpu_utilization_percent());
        }
        if (has(valid, CMRP_NVML_MEMORY_UTILIZATION)) {
            values.put(MEMORY_UTILIZATION, (double) raw.memory_utilization_percent());
        }
        if (has(valid, CMRP_NVML_MEMORY_USED)) {
            values.put(MEMORY_USED, (double) raw.memory_used_bytes());
        }
        if (has(valid, CMRP_NVML_MEMORY_TOTAL)) {
            values.put(MEMORY_TOTAL, (double) raw.memory_total_bytes());
        }
        if (has(valid, CMRP_NVML_POWER)) {
            values.put(POWER, (double) raw.power_mw());
        }
        putEnergyDelta(valid, values);
        if (has(valid, CMRP_NVML_TEMPERATURE)) {
            values.put(TEMPERATURE, (double) raw.temperature_c());
        }
        if (has(valid, CMRP_NVML_SM_CLOCK)) {
            values.put(SM_CLOCK, (double) raw.sm_clock_mhz());
        }
        if (has(valid, CMRP_NVML_CLOCK_EVENT_REASONS)) {
            values.put(CLOCK_EVENT_REASONS, (double) raw.clock_event_reasons()); // bits 0..8 used: exact in a double
        }
        lastError = error != null ? error : unsupportedNote(raw.unsupported());
        return valid == 0 ? null : new ResourceSample(name, nowNanos, values);
    }

    /** A delta only between two consecutive samples that both read the counter, so it never spans a gap. */
    private void putEnergyDelta(int valid, Map<String, Double> values) {
        if (!has(valid, CMRP_NVML_ENERGY)) {
            havePreviousEnergy = false;
            return;
        }
        long energyMj = raw.energy_mj();
        if (havePreviousEnergy && energyMj >= previousEnergyMj) { // the counter restarts when the driver reloads
            values.put(ENERGY_DELTA, (double) (energyMj - previousEnergyMj));
        }
        previousEnergyMj = energyMj;
        havePreviousEnergy = true;
    }

    private String unsupportedNote(int unsupported) {
        if (unsupported == 0) {
            return null;
        }
        List<String> gauges = new ArrayList<>();
        addIf(unsupported, CMRP_NVML_GPU_UTILIZATION, GPU_UTILIZATION, gauges);
        addIf(unsupported, CMRP_NVML_MEMORY_UTILIZATION, MEMORY_UTILIZATION, gauges);
        addIf(unsupported, CMRP_NVML_MEMORY_USED, MEMORY_USED, gauges);
        addIf(unsupported, CMRP_NVML_MEMORY_TOTAL, MEMORY_TOTAL, gauges);
        addIf(unsupported, CMRP_NVML_POWER, POWER, gauges);
        addIf(unsupported, CMRP_NVML_ENERGY, ENERGY_DELTA, gauges);
        addIf(unsupported, CMRP_NVML_TEMPERATURE, TEMPERATURE, gauges);
        addIf(unsupported, CMRP_NVML_SM_CLOCK, SM_CLOCK, gauges);
        addIf(unsupported, CMRP_NVML_CLOCK_EVENT_REASONS, CLOCK_EVENT_REASONS, gauges);
        return "not supported by " + gpuName + " (" + name + "): " + String.join(", ", gauges);
    }

    private static void addIf(int bits, int bit, String gauge, List<String> gauges) {
        if (has(bits, bit)) {
            gauges.add(gauge);
        }
    }

    private static boolean has(int bits, int bit) {
        return (bits & bit) != 0;
    }

    @Override
    public synchronized String lastError() {
        return lastError;
    }

    /** Releases this sampler's reference on NVML and its native buffer. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CmrProbe.cmrp_nvml_shutdown();
        raw.deallocate();
    }
}
