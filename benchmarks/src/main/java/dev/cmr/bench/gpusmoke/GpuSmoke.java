package dev.cmr.bench.gpusmoke;

import dev.cmr.monitor.device.BackendStatus;
import dev.cmr.monitor.device.CudaTimeline;
import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.Devices;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.LayerMarkTag;
import dev.cmr.monitor.probe.CmrProbe;
import dev.cmr.monitor.resources.ClockEventReasons;
import dev.cmr.monitor.resources.NvmlSampler;
import dev.cmr.monitor.resources.NvmlUnavailableException;
import dev.cmr.monitor.resources.ResourceSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end smoke run of the CUDA timeline and the NVML sampler on a real NVIDIA GPU; prints what they read and
 * exits 0 when the checks below hold, 1 when one fails, 2 when the machine has no usable GPU (the message names the
 * missing library: libcuda.so.1 for CUDA, libnvidia-ml.so.1 for NVML).
 *
 * <ol>
 *   <li>{@link Devices#detect()}, printed.</li>
 *   <li>{@link NvmlSampler} on the GPU, sampled every 250 ms on its own thread from before the work until after it.</li>
 *   <li>{@link CudaTimeline} on the device with the work's stream attached: each operation (memset, copy device to
 *       device, copy device to pinned host; 4 to 256 MiB; 5 repetitions) is enqueued between a start and an end
 *       mark, then the marks are drained and paired. Checks: every mark resolved, none dropped or failed; every end
 *       after its start; device time grows with the bytes moved; enqueueing mark, operation and mark takes the host
 *       less than half the operation's device time at 256 MiB (the marks do not wait for the GPU).</li>
 *   <li>Three seconds of back-to-back memsets, so that NVML's utilization, power and clocks show the GPU busy.</li>
 * </ol>
 *
 * <pre>java -cp target/benchmarks.jar dev.cmr.bench.gpusmoke.GpuSmoke path/to/libcudawork.so [device]</pre>
 *
 * The device number is both the CUDA ordinal and the NVML index; {@code gpu-smoke/run.sh} sets
 * {@code CUDA_DEVICE_ORDER=PCI_BUS_ID} so that the two numberings agree.
 */
public final class GpuSmoke {
    private static final long MIB = 1L << 20;
    private static final long[] SIZES = {4 * MIB, 16 * MIB, 64 * MIB, 256 * MIB};
    private static final String[] OPS = {"memset", "copy device->device", "copy device->host (pinned)"};
    private static final int REPS = 5;
    private static final long START_NANOS = System.nanoTime();

    private GpuSmoke() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GpuSmoke path/to/libcudawork.so [device]");
            System.exit(2);
        }
        Path workLibrary = Path.of(args[0]);
        int device = args.length > 1 ? Integer.parseInt(args[1]) : 0;

        String runtime = null;
        if (Files.isRegularFile(workLibrary)) {
            CudaWork.load(workLibrary);
            runtime = CudaWork.runtimeLibrary();
            // libcmrprobe would otherwise pick the newest libcudart it finds; the timeline's events and the work's
            // stream must belong to one runtime instance. Without a driver this fails, and detect() says why.
            CmrProbe.load();
            CmrProbe.cmrp_cuda_load(null, runtime);
        }
        System.out.println("Devices.detect():");
        List<String> missing = new ArrayList<>();
        for (BackendStatus status : Devices.detect()) {
            System.out.printf("  %-7s %s: %s%n", status.backend(), status.available() ? "available" : "unavailable",
                    status.detail());
            if (!status.available() && (status.backend().equals("cuda") || status.backend().equals("nvml"))) {
                missing.add(status.backend() + ": " + status.detail());
            }
        }
        if (!missing.isEmpty()) {
            System.err.println("gpu-smoke cannot run here: it needs an NVIDIA GPU with its driver "
                    + "(libcuda.so.1 for the CUDA timeline, libnvidia-ml.so.1 for NVML).");
            missing.forEach(m -> System.err.println("  " + m));
            System.exit(2);
        }
        if (runtime == null) {
            System.err.println("gpu-smoke cannot run: no CUDA work library at " + workLibrary
                    + " (run gpu-smoke/run.sh, which builds it with gcc and the CUDA toolkit's headers)");
            System.exit(2);
        }
        System.out.println("CUDA runtime in this process: " + runtime);
        System.out.println("device " + device + ": " + CudaWork.describe(device));

        List<String> failures = new ArrayList<>();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        String[] phase = {"idle"};
        ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();
        try (NvmlSampler nvml = NvmlSampler.open(device)) {
            System.out.printf("NVML: %s as %s%n", nvml.gpuName(), nvml.name());
            sampling.scheduleAtFixedRate(() -> samples.add(row(nvml.sample(System.nanoTime()), phase[0])),
                    0, 250, TimeUnit.MILLISECONDS);
            Thread.sleep(1000);
            long stream = CudaWork.open(device, SIZES[SIZES.length - 1]);
            try {
                phase[0] = "timeline";
                timeline(device, stream, failures);
                phase[0] = "memset load";
                load(SIZES[SIZES.length - 1], 3_000);
                phase[0] = "after";
            } finally {
                CudaWork.close();
            }
            Thread.sleep(1000);
            sampling.shutdown();
            sampling.awaitTermination(5, TimeUnit.SECONDS);
            if (nvml.lastError() != null) {
                System.out.println("NVML last error: " + nvml.lastError());
            }
        } catch (NvmlUnavailableException e) {
            failures.add("NVML: " + e.getMessage());
        } finally {
            sampling.shutdownNow();
        }
        System.out.printf("%nNVML samples (every 250 ms; '-' = not supported by this GPU):%n%s%n", HEADER);
        samples.forEach(System.out::println);
        if (samples.stream().noneMatch(s -> s.contains("memset load"))) {
            failures.add("no NVML sample during the memset load");
        }

        if (failures.isEmpty()) {
            System.out.println("\ngpu-smoke: OK");
        } else {
            System.out.println("\ngpu-smoke: FAILED");
            failures.forEach(f -> System.out.println("  " + f));
            System.exit(1);
        }
    }

    /** Marks every operation of the schedule on the stream, drains, pairs, prints and checks. */
    private static void timeline(int device, long stream, List<String> failures) throws InterruptedException {
        int pairs = OPS.length * SIZES.length;
        long[][] host = new long[pairs][REPS];
        int refused = 0;
        try (CudaTimeline timeline = CudaTimeline.open(device, JournalSettings.defaults())) {
            timeline.attach(stream);
            for (int op = 0; op < OPS.length; op++) { // warm-up: first calls pay for lazy setup
                enqueue(op, SIZES[0]);
            }
            CudaWork.synchronize();
            for (int rep = 0; rep < REPS; rep++) {
                for (int op = 0; op < OPS.length; op++) {
                    for (int s = 0; s < SIZES.length; s++) {
                        int layer = op * SIZES.length + s;
                        long t0 = System.nanoTime();
                        refused += timeline.mark(stream, LayerMarkTag.start(rep, layer)) ? 0 : 1;
                        enqueue(op, SIZES[s]);
                        refused += timeline.mark(stream, LayerMarkTag.end(rep, layer)) ? 0 : 1;
                        host[layer][rep] = System.nanoTime() - t0;
                    }
                }
            }
            Map<Long, long[]> marks = new HashMap<>(); // tag -> {device ns, queued ns}
            long errorBound = drain(timeline, marks, 2 * pairs * REPS, 10_000);
            System.out.printf("%nCUDA timeline: %d marks resolved of %d, %d refused, %d dropped, %d failed, "
                            + "last error %s; clock mapping error bound up to %,d ns%n", marks.size(),
                    2 * pairs * REPS, refused, timeline.droppedMarks(), timeline.failedMarks(), timeline.lastError(),
                    errorBound);
            if (marks.size() != 2 * pairs * REPS || refused != 0 || timeline.droppedMarks() != 0
                    || timeline.failedMarks() != 0) {
                failures.add("not every mark came back: " + marks.size() + " of " + 2 * pairs * REPS
                        + ", refused " + refused + ", dropped " + timeline.droppedMarks() + ", failed "
                        + timeline.failedMarks() + ", last error " + timeline.lastError());
            }
            report(marks, host, failures);
        }
    }

    private static void enqueue(int op, long bytes) {
        switch (op) {
            case 0 -> CudaWork.memset(bytes, 0x5a);
            case 1 -> CudaWork.copyDeviceToDevice(bytes);
            default -> CudaWork.copyDeviceToHost(bytes);
        }
    }

    /** Drains until {@code expected} marks are in or {@code maxMillis} passed; returns the largest error bound. */
    private static long drain(CudaTimeline timeline, Map<Long, long[]> into, int expected, long maxMillis)
            throws InterruptedException {
        DeviceMarkBatch batch = new DeviceMarkBatch(256);
        long bound = -1;
        long end = System.nanoTime() + maxMillis * 1_000_000;
        while (into.size() < expected && System.nanoTime() < end) {
            if (timeline.drain(batch) == 0) {
                Thread.sleep(5);
                continue;
            }
            bound = Math.max(bound, batch.errorBoundNanos());
            for (int i = 0; i < batch.size(); i++) {
                into.put(batch.tag(i), new long[] {batch.deviceNanos(i), batch.queuedNanos(i)});
            }
        }
        return bound;
    }

    private static void report(Map<Long, long[]> marks, long[][] host, List<String> failures) {
        System.out.printf("%n| operation | MiB | device µs (median of %d) | GB/s | host µs for mark+enqueue+mark "
                + "(median) | queued -> device start µs (median) |%n|---|---:|---:|---:|---:|---:|%n", REPS);
        for (int op = 0; op < OPS.length; op++) {
            double[] deviceMedians = new double[SIZES.length];
            for (int s = 0; s < SIZES.length; s++) {
                int layer = op * SIZES.length + s;
                double[] onDevice = new double[REPS];
                double[] lag = new double[REPS];
                int n = 0;
                for (int rep = 0; rep < REPS; rep++) {
                    long[] start = marks.get(LayerMarkTag.start(rep, layer));
                    long[] stop = marks.get(LayerMarkTag.end(rep, layer));
                    if (start == null || stop == null) {
                        continue;
                    }
                    if (stop[0] < start[0]) {
                        failures.add(OPS[op] + " " + SIZES[s] / MIB + " MiB rep " + rep + ": end mark "
                                + (start[0] - stop[0]) + " ns before its start mark");
                    }
                    onDevice[n] = stop[0] - start[0];
                    lag[n++] = start[0] - start[1];
                }
                if (n == 0) {
                    continue;
                }
                double device = median(Arrays.copyOf(onDevice, n));
                double hostNanos = median(Arrays.stream(host[layer]).asDoubleStream().toArray());
                deviceMedians[s] = device;
                System.out.printf("| %s | %d | %,.1f | %.1f | %,.1f | %,.1f |%n", OPS[op], SIZES[s] / MIB,
                        device / 1e3, SIZES[s] / device, hostNanos / 1e3, median(Arrays.copyOf(lag, n)) / 1e3);
                if (s == SIZES.length - 1 && hostNanos >= device / 2) {
                    failures.add(OPS[op] + " " + SIZES[s] / MIB + " MiB: the host took " + (long) hostNanos
                            + " ns to mark and enqueue, the device " + (long) device + " ns: marks seem to block");
                }
            }
            double growth = deviceMedians[SIZES.length - 1] / deviceMedians[0];
            System.out.printf("  %s: device time %d MiB / %d MiB = %.1f (bytes ratio %d)%n", OPS[op],
                    SIZES[SIZES.length - 1] / MIB, SIZES[0] / MIB, growth, SIZES[SIZES.length - 1] / SIZES[0]);
            if (!(growth >= 4)) {
                failures.add(OPS[op] + ": device time does not grow with the bytes (x" + growth + " for x"
                        + SIZES[SIZES.length - 1] / SIZES[0] + " bytes)");
            }
        }
    }

    /** Back-to-back memsets for {@code millis}, in batches, so that NVML sees a busy GPU. */
    private static void load(long bytes, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 20; i++) {
                CudaWork.memset(bytes, i);
            }
            CudaWork.synchronize();
        }
    }

    private static final String HEADER = String.format("%8s  %-12s %5s %5s %10s %10s %8s %9s %5s %6s  %s",
            "t ms", "phase", "gpu%", "mem%", "used MiB", "total MiB", "power W", "energy mJ", "°C", "SM MHz",
            "clock event reasons");

    private static String row(ResourceSample sample, String phase) {
        long t = (System.nanoTime() - START_NANOS) / 1_000_000;
        if (sample == null) {
            return String.format("%8d  %-12s (no sample)", t, phase);
        }
        Map<String, Double> v = sample.values();
        Double reasons = v.get(NvmlSampler.CLOCK_EVENT_REASONS);
        return String.format("%8d  %-12s %5s %5s %10s %10s %8s %9s %5s %6s  %s", t, phase,
                num(v.get(NvmlSampler.GPU_UTILIZATION), 1), num(v.get(NvmlSampler.MEMORY_UTILIZATION), 1),
                num(v.get(NvmlSampler.MEMORY_USED), MIB), num(v.get(NvmlSampler.MEMORY_TOTAL), MIB),
                num(v.get(NvmlSampler.POWER), 1000), num(v.get(NvmlSampler.ENERGY_DELTA), 1),
                num(v.get(NvmlSampler.TEMPERATURE), 1), num(v.get(NvmlSampler.SM_CLOCK), 1),
                reasons == null ? "-" : ClockEventReasons.decode(reasons.longValue()));
    }

    private static String num(Double value, double divisor) {
        return value == null ? "-" : String.format("%.0f", value / divisor);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
