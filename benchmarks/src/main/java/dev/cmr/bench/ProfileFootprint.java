package dev.cmr.bench;

import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.KvCache;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.device.OpenClTimeline;
import dev.cmr.monitor.engine.ProfileSessions;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfileResults;
import java.util.List;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;

/**
 * What profiled passes of the demo's CMR forward pass keep on the heap, measured with JOL:
 * <ol>
 *   <li><b>One real pass.</b> The demo model (capture at 1 and 3, reweave at 4 and 5, 32 tokens per pass through a
 *       KV cache) runs {@code passes} profiled blocks on the given backend (on OpenCL with the demo's device
 *       timeline, so kernels are marked). Printed: the monitor's own memory ({@link OwnedGraph}) before the blocks
 *       and after them with every mark resolved, per pass; then, from {@code getProfileResults()}, the
 *       representative pass ({@link PassTrace}: host spans, sync waits, the device spans joined at results time,
 *       device durations) and each of its parts, and the whole results object.</li>
 *   <li><b>The per-name bound.</b> A fresh monitor (default config) gets {@code 10,000} and then {@code 20,000}
 *       blocks of one name, each holding spans of the same layers and stages, in the same number, as the real pass
 *       (recorded through the public span API, timestamps scaled down 1000x so that a block takes microseconds; span
 *       count and types, not durations, decide the size), and the same device durations. Device marks are not
 *       replayed: on OpenCL add the session's mark log, bounded at {@value ProfileSessions#MAX_DEVICE_MARKS} marks
 *       of 32 bytes (8 MiB). Printed: the monitor's own memory at each count, the first minus the empty monitor's
 *       per pass, and the second, which must equal the first (the oldest passes are dropped).</li>
 * </ol>
 * Run: {@code java -Djdk.attach.allowAttachSelf=true -XX:+EnableDynamicAgentLoading -Djol.magicFieldOffset=true
 * -cp target/benchmarks.jar dev.cmr.bench.ProfileFootprint cpu|opencl [passes]}.
 */
public final class ProfileFootprint {
    private static final int CHUNK = DemoSetup.CHUNK;

    private ProfileFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        boolean openCl = args.length > 0 && args[0].equals("opencl");
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        PassTrace real = realPasses(openCl, passes);
        boundedPasses(real);
    }

    private static PassTrace realPasses(boolean openCl, int passes) throws InterruptedException {
        Gpt2Backend backend = DemoSetup.backend(openCl);
        int[][] chunks = DemoSetup.sequences(1)[0];
        System.out.printf("backend: %s, %d profiled passes of %d tokens%n", backend.description(), passes, CHUNK);
        try (FullCmrModel cmr = new FullCmrModel(backend, DemoSetup.cmrConfig());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(DemoSetup.monitoring());
             KvCache cache = cmr.newCache()) {
            OpenClTimeline timeline = DemoSetup.bindTimeline(backend, monitor);
            cmr.attach(monitor);
            monitor.enableProfiling();
            run(monitor, cmr, cache, chunks, 16); // warm-up; its blocks open the thread's span buffer
            monitor.disableProfiling();
            awaitResolved(timeline);
            monitor.getProfileResults();
            monitor.enableProfiling(); // a new session
            long before = OwnedGraph.of(monitor).totalSize;
            run(monitor, cmr, cache, chunks, passes);
            awaitResolved(timeline);
            monitor.collectInterval(); // drains the timeline into the session's mark log
            long after = OwnedGraph.of(monitor).totalSize;
            System.out.printf("%n| what (JOL totalSize; a part's size includes the enum constants it refers to) | bytes |"
                    + "%n|---|---:|%n");
            System.out.printf("| monitor (owned) before the session's blocks | %,d |%n", before);
            System.out.printf("| monitor (owned) after %d profiled passes, marks resolved | %,d |%n", passes, after);
            System.out.printf("| growth per pass (passes and device marks kept by the session) | %,.0f |%n",
                    (after - before) / (double) passes);
            ProfileResults results = monitor.getProfileResults();
            ExecutionProfile forward = results.execution("forward");
            PassTrace pass = forward.representativePass();
            System.out.printf("| representative pass, whole (%d host spans, %d sync waits, %d device spans, %d device "
                            + "durations) | %,d |%n", pass.hostSpans().size(), pass.syncWaits().size(),
                    pass.deviceSpans().size(), pass.deviceDurations().size(), size(pass));
            System.out.printf("| of which host spans | %,d |%n", size(pass.hostSpans()));
            System.out.printf("| of which sync waits | %,d |%n", size(pass.syncWaits()));
            System.out.printf("| of which device spans (joined at results time) | %,d |%n", size(pass.deviceSpans()));
            System.out.printf("| of which device durations | %,d |%n", size(pass.deviceDurations()));
            System.out.printf("| pass as kept at close (no device spans) | %,d |%n", size(new PassTrace(
                    pass.startNanos(), pass.endNanos(), pass.hostSpans(), pass.syncWaits(), List.of(),
                    pass.clockErrorBoundNanos(), pass.deviceDurations())));
            System.out.printf("| getProfileResults() of the %d passes (%d kernels) | %,d |%n", forward.passes(),
                    forward.kernels().size(), size(results));
            DemoSetup.unbindTimeline(backend, monitor, timeline);
            return pass;
        }
    }

    private static void run(CmrPerformanceMonitor monitor, FullCmrModel cmr, KvCache cache, int[][] chunks,
                            int passes) {
        for (int p = 0; p < passes; p++) {
            if (p % chunks.length == 0) {
                cache.clear();
            }
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                cmr.forward(chunks[p % chunks.length], cache);
            }
        }
    }

    private static void boundedPasses(PassTrace shape) {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            monitor.enableProfiling();
            replay(monitor, shape, 1); // opens the thread's span buffer
            monitor.disableProfiling();
            monitor.enableProfiling(); // a new, empty session
            long empty = OwnedGraph.of(monitor).totalSize;
            int bound = ProfileSessions.MAX_PASSES_PER_NAME;
            replay(monitor, shape, bound);
            long atBound = OwnedGraph.of(monitor).totalSize;
            replay(monitor, shape, bound);
            long twice = OwnedGraph.of(monitor).totalSize;
            ExecutionProfile forward = monitor.getProfileResults().execution("forward");
            System.out.printf("%nPassTrace-shaped passes of one name, default config (max_profile_spans %d):%n",
                    MonitoringConfig.defaults().maxProfileSpans());
            System.out.printf("| passes recorded | passes kept | monitor (owned) bytes | MiB | per kept pass over the "
                    + "empty session |%n|---:|---:|---:|---:|---:|%n");
            System.out.printf("| 0 | 0 | %,d | %.2f | |%n", empty, empty / 1048576.0);
            System.out.printf("| %,d | %,d | %,d | %.2f | %,.0f |%n", bound, bound, atBound, atBound / 1048576.0,
                    (atBound - empty) / (double) bound);
            System.out.printf("| %,d | %,d | %,d | %.2f | %,.0f |%n", 2 * bound, forward.passes(), twice,
                    twice / 1048576.0, (twice - empty) / (double) forward.passes());
            System.out.printf("the execution's dropped_spans: %d (passes dropped beyond the bound count there)%n",
                    forward.droppedSpans());
        }
    }

    /** {@code count} blocks, each with the spans and device durations of {@code shape}, times scaled down 1000x. */
    private static void replay(CmrPerformanceMonitor monitor, PassTrace shape, int count) {
        for (int n = 0; n < count; n++) {
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                long last = PassReplay.record(monitor, shape, System.nanoTime(), 1000);
                for (Map.Entry<Integer, Long> e : shape.deviceDurations().entrySet()) {
                    monitor.recordDeviceTime(e.getKey(), e.getValue());
                }
                while (System.nanoTime() <= last) {
                    Thread.onSpinWait(); // the block closes after its last span
                }
            }
        }
    }

    private static long size(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    private static void awaitResolved(OpenClTimeline timeline) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (timeline != null && timeline.resolvedMarks() + timeline.failedMarks() < timeline.enqueuedMarks()
                && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }
}
