package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Profiles for the report views: a CPU-style one (host spans only) and an OpenCL-style one (device and kernels). */
final class ReportFixtures {
    static final long MS = 1_000_000;
    /** Where the passes start on the host clock, like a System.nanoTime value. */
    static final long T0 = 5_000_000_000L;

    private ReportFixtures() {
    }

    /**
     * Block "cpu forward" on the CPU backend: three passes of layers 0 and 1 on thread 11 (layer 0 with a capture and
     * a retrieval, layer 1 with a sync wait) and layer 2 on thread 12, with CPU, RSS and heap samples.
     */
    static ProfileResults cpuStyle() {
        List<ProfiledPass> passes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t = T0 + i * 20 * MS;
            long stretch = i * 100_000L;
            passes.add(new PassTrace(t, t + 10 * MS + stretch, List.of(
                    new HostSpan(0, Stage.LAYER, t + 100_000, t + 4 * MS, 11),
                    new HostSpan(0, Stage.CAPTURE, t + MS, t + 2 * MS, 11),
                    new HostSpan(0, Stage.RETRIEVAL, t + 2 * MS, t + 3 * MS + stretch, 11),
                    new HostSpan(1, Stage.LAYER, t + 4 * MS + stretch, t + 9 * MS, 11),
                    new HostSpan(2, Stage.LAYER, t + 500_000, t + 6 * MS, 12)),
                    List.of(new SyncWaitSpan(1, t + 5 * MS, t + 6 * MS)), List.of(), 0));
        }
        Map<String, List<double[]>> resources = Map.of(
                "host.system_cpu_percent", points(40, 55, 70),
                "host.process_rss_bytes", points(2e8, 2.1e8, 2.05e8),
                "jvm.jvm_heap_used_bytes", points(5e7, 8e7, 6e7),
                "jvm.jvm_thread_count", points(20, 21, 22));
        ExecutionTrace trace = new ExecutionTrace("cpu forward", Backend.CPU, passes, 0, resources, false);
        return new ProfileResults(List.of(new ProfileAnalyzer().analyze(trace)));
    }

    /**
     * Block "generate" on OpenCL: two passes; on thread 7 layer 0 launches matmul and gelu (whole-layer device span
     * around both, overlapping the host), layer 1 launches attention and waits for it in a blocking read; device
     * queue 0, clock error bound 2 us; GPU utilization samples too.
     */
    static ProfileResults openClStyle(String name) {
        List<ProfiledPass> passes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            long t = T0 + i * 20 * MS;
            passes.add(new PassTrace(t, t + 12 * MS, List.of(
                    new HostSpan(0, Stage.LAYER, t, t + 3 * MS, 7),
                    new HostSpan(0, Stage.CAPTURE, t + 2 * MS, t + 3 * MS, 7),
                    new HostSpan(1, Stage.LAYER, t + 3 * MS, t + 11 * MS, 7)),
                    List.of(new SyncWaitSpan(1, t + 4 * MS, t + 10 * MS)), List.of(
                    new DeviceSpan(0, 0, null, t + 200_000, t + 300_000, t + 5 * MS),
                    new DeviceSpan(0, 0, "matmul", t + 400_000, t + 500_000, t + 4 * MS),
                    new DeviceSpan(0, 0, "gelu", t + 600_000, t + 4 * MS, t + 4_900_000),
                    new DeviceSpan(0, 1, null, t + 3_100_000, t + 5 * MS, t + 9_800_000),
                    new DeviceSpan(0, 1, "attention", t + 3_500_000, t + 5_100_000, t + 9_700_000),
                    new DeviceSpan(0, 1, "copy", DeviceSpan.UNKNOWN, t + 9_700_000, t + 9_800_000)), 2_000));
        }
        Map<String, List<double[]>> resources = Map.of(
                "host.process_cpu_core_percent", points(90, 110, 100),
                "nvml0.gpu_utilization_percent", points(30, 95, 80));
        ExecutionTrace trace = new ExecutionTrace(name, Backend.OPENCL, passes, 0, resources, false);
        return new ProfileResults(List.of(new ProfileAnalyzer().analyze(trace)));
    }

    /** Points at T0, T0 + 15 ms, T0 + 30 ms. */
    private static List<double[]> points(double... values) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new double[] {T0 + i * 15 * MS, values[i]});
        }
        return out;
    }
}
