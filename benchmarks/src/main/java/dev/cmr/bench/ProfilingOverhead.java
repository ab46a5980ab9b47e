package dev.cmr.bench;

import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.KvCache;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.device.OpenClTimeline;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfileResults;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The profiler's cost on the demo's CMR forward pass, measured side by side in one JVM: one CMR model (demo config,
 * capture at layers 1 and 3, reweave at 4 and 5) attached to one monitor in both modes; blocks of passes alternate
 * between profiling on and off in the order on, off, off, on, repeated, so that JIT state, memory contents and
 * machine drift hit both modes alike.
 *
 * <ul>
 *   <li>off: profiling disabled; every pass still runs inside {@code monitor.profileExecution("forward")}, which
 *       returns the no-op block, so the call site is the same in both modes;</li>
 *   <li>on: profiling enabled; every pass is a real block: the model's layer, sync-wait and stage spans land in
 *       the thread's span buffer, the block reads the thread's counters at open and close and builds a
 *       {@code PassTrace} at close, and on OpenCL the backend marks every kernel on the timeline (it asks
 *       {@code isProfiling()} at each pass).</li>
 * </ul>
 * On OpenCL the device timeline is set up as the demo does ({@code OpenClTimeline.open(queue, defaults)}, bound to
 * the backend and attached to the monitor) and stays in both modes, so layer marks run in both; kernel marks are the
 * on mode's own. {@link CmrPerformanceMonitor#getProfileResults()} is called once after every on block, outside the
 * timed region (it drains the timeline and analyses the block's passes); enabling profiling from off starts a new
 * session, so every on block's results hold that block's passes alone and the per-name bound of 10,000 passes is
 * never what is measured.
 *
 * <p>A pass is the demo's unit: 32 new tokens through a KV cache, 8 passes filling one 256-token sequence, then the
 * cache is cleared for the next sequence; on OpenCL every pass ends with the blocking read of its logits. A block is
 * a whole number of sequences. Prints, per mode, the median and minimum wall time per pass and the median process
 * CPU time per pass (all threads: model, PoCL workers, resolver, collector); the within-round on / off ratios (mean
 * of a round's two on blocks over the mean of its two off blocks) of wall and CPU time, with the 95% bootstrap
 * interval of their median; and whether the target is met: within-round wall-time median at most 1.03 on the CPU
 * backend, 1.05 on OpenCL.
 *
 * <pre>java -cp target/benchmarks.jar dev.cmr.bench.ProfilingOverhead cpu|opencl [rounds] [sequencesPerBlock]</pre>
 */
public final class ProfilingOverhead {
    private static final int CHUNK = DemoSetup.CHUNK;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || !(args[0].equals("cpu") || args[0].equals("opencl"))) {
            System.err.println("usage: ProfilingOverhead cpu|opencl [rounds] [sequencesPerBlock]");
            System.exit(2);
        }
        boolean openCl = args[0].equals("opencl");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int sequencesPerBlock = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        double target = openCl ? 1.05 : 1.03;
        int block = sequencesPerBlock * (DemoSetup.CONFIG.contextLength() / CHUNK);
        int[][][] sequences = DemoSetup.sequences(16);
        Gpt2Backend backend = DemoSetup.backend(openCl);
        System.out.printf("backend: %s%n", backend.description());
        System.out.printf("rounds %d x (on, off, off, on), %d passes of %d tokens per block%n", rounds, block, CHUNK);
        try (FullCmrModel cmr = new FullCmrModel(backend, DemoSetup.cmrConfig());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(DemoSetup.monitoring());
             KvCache cache = cmr.newCache()) {
            OpenClTimeline timeline = DemoSetup.bindTimeline(backend, monitor);
            cmr.attach(monitor);
            int[] next = {0};
            Runnable sequence = () -> {
                cache.clear();
                for (int[] chunk : sequences[next[0]++ & 15]) {
                    try (ProfileBlock p = monitor.profileExecution("forward")) {
                        cmr.forward(chunk, cache);
                    }
                }
            };
            ProfileResults last = null;
            for (boolean on : new boolean[] {false, true, false, true}) { // warm-up in both modes
                setProfiling(monitor, on);
                for (int i = 0; i < 8; i++) {
                    sequence.run();
                }
                if (on) {
                    last = monitor.getProfileResults();
                }
            }
            double[] onWall = new double[2 * rounds];
            double[] offWall = new double[2 * rounds];
            double[] onCpu = new double[2 * rounds];
            double[] offCpu = new double[2 * rounds];
            int n = 0;
            int f = 0;
            for (int r = 0; r < rounds; r++) {
                for (boolean on : new boolean[] {true, false, false, true}) {
                    setProfiling(monitor, on);
                    long cpuStart = OS.getProcessCpuTime();
                    long start = System.nanoTime();
                    for (int s = 0; s < sequencesPerBlock; s++) {
                        sequence.run();
                    }
                    double perPass = (System.nanoTime() - start) / (double) block;
                    double cpuPerPass = (OS.getProcessCpuTime() - cpuStart) / (double) block;
                    if (on) {
                        last = monitor.getProfileResults(); // outside the timed region
                        onCpu[n] = cpuPerPass;
                        onWall[n++] = perPass;
                    } else {
                        offCpu[f] = cpuPerPass;
                        offWall[f++] = perPass;
                    }
                }
                // One line per round, so that run.sh's timestamps tie each round to the load log.
                System.out.printf("round %2d: on %,.1f / %,.1f µs, off %,.1f / %,.1f µs per pass%n", r + 1,
                        onWall[n - 2] / 1e3, onWall[n - 1] / 1e3, offWall[f - 2] / 1e3, offWall[f - 1] / 1e3);
            }
            monitor.disableProfiling();
            report(onWall, offWall, onCpu, offCpu, block, target, args[0]);
            ExecutionProfile forward = last.execution("forward");
            describe(forward, block);
            if (forward != null && forward.representativePass() != null) {
                bookkeeping(monitor, forward.representativePass(), Stats.median(offWall));
            }
            DemoSetup.unbindTimeline(backend, monitor, timeline);
            System.out.printf("monitor: %d forward passes, %d records rejected%n", monitor.getStats().totalForwards(),
                    monitor.getStats().totalRejected());
        }
    }

    private static void setProfiling(CmrPerformanceMonitor monitor, boolean on) {
        if (on) {
            monitor.enableProfiling(); // from off: a new session, so the results hold this block alone
        } else {
            monitor.disableProfiling();
        }
    }

    private static void report(double[] onWall, double[] offWall, double[] onCpu, double[] offCpu, int block,
                               double target, String backend) {
        System.out.printf("%n| mode | blocks | passes/block | median µs/pass | min µs/pass | process CPU µs/pass "
                + "(median) |%n|---|---:|---:|---:|---:|---:|%n");
        System.out.printf("| profiling off | %d | %d | %,.1f | %,.1f | %,.1f |%n", offWall.length, block,
                Stats.median(offWall) / 1e3, Stats.min(offWall) / 1e3, Stats.median(offCpu) / 1e3);
        System.out.printf("| profiling on | %d | %d | %,.1f | %,.1f | %,.1f |%n", onWall.length, block,
                Stats.median(onWall) / 1e3, Stats.min(onWall) / 1e3, Stats.median(onCpu) / 1e3);
        double medians = Stats.median(onWall) / Stats.median(offWall);
        System.out.printf("%non / off (medians of blocks): %.4f (%+.2f%%); (minima): %.4f%n", medians,
                (medians - 1) * 100, Stats.min(onWall) / Stats.min(offWall));
        double wall = ratioLine("wall time", Stats.perRoundRatios(onWall, offWall), target);
        ratioLine("process CPU", Stats.perRoundRatios(onCpu, offCpu), target);
        System.out.printf("target <= %.2f (%s), within-round wall-time median: %s%n", target, backend,
                wall <= target ? "met" : "NOT met");
    }

    /** Prints the within-round ratios' median, quartiles and bootstrap interval; returns the median. */
    private static double ratioLine(String what, double[] ratios, double target) {
        double median = Stats.median(ratios);
        double[] ci = Stats.bootstrapMedianInterval(ratios, 10_000);
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        System.out.printf("%s on / off within each round: median %.4f (%+.2f%%), quartiles %.4f..%.4f, 95%% "
                        + "bootstrap interval %.4f..%.4f (%+.2f%%..%+.2f%%), %d rounds; upper bound %s %.2f%n", what,
                median, (median - 1) * 100, sorted[sorted.length / 4], sorted[(3 * sorted.length) / 4], ci[0], ci[1],
                (ci[0] - 1) * 100, (ci[1] - 1) * 100, ratios.length, ci[1] <= target ? "<=" : ">", target);
        return median;
    }

    /**
     * The profiler's host-side bookkeeping per pass, without the model: blocks holding the span records of the
     * representative pass (its layer, stage and sync-wait spans, timestamps prepared beforehand), timed with profiling
     * on (real blocks: counters read at open and close, spans appended, a PassTrace built and kept) and off (the
     * no-op block, the same span records), alternating in batches of 1,000 blocks, 10 batches each after 50 of warm-up; printed as the
     * median difference per block and as a share of the median off pass. Device marks are not in it.
     */
    private static void bookkeeping(CmrPerformanceMonitor monitor, PassTrace shape, double passNanos) {
        int batch = 1_000;
        double[][] perBlock = new double[2][10];
        for (int warm = 0; warm < 50; warm++) { // the JIT needs some 10^5 blocks to settle
            replay(monitor, shape, batch, true);
            replay(monitor, shape, batch, false);
        }
        for (int b = 0; b < 10; b++) {
            for (int on = 1; on >= 0; on--) {
                perBlock[on][b] = replay(monitor, shape, batch, on == 1) / (double) batch;
            }
        }
        monitor.disableProfiling();
        double on = Stats.median(perBlock[1]);
        double off = Stats.median(perBlock[0]);
        System.out.printf("bookkeeping per block of %d host spans and %d sync waits, without the model: on %,.2f µs, "
                        + "off %,.2f µs, difference %,.2f µs = %.3f%% of a median off pass%n", shape.hostSpans().size(),
                shape.syncWaits().size(), on / 1e3, off / 1e3, (on - off) / 1e3, (on - off) / passNanos * 100);
    }

    /** Wall time of {@code count} blocks named forward, each with the spans of {@code shape}. */
    private static long replay(CmrPerformanceMonitor monitor, PassTrace shape, int count, boolean on) {
        setProfiling(monitor, on);
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            try (ProfileBlock p = monitor.profileExecution("forward")) {
                PassReplay.record(monitor, shape, shape.startNanos(), 1);
            }
        }
        return System.nanoTime() - start;
    }

    /** What the last on block's results hold, so that a run that profiled nothing is visible. */
    private static void describe(ExecutionProfile forward, int block) {
        if (forward == null) {
            System.out.println("last on block: no execution named forward (profiling did not happen)");
            return;
        }
        System.out.printf("last on block: %d of %d passes, backend %s, %d layers, %d stages, %d kernels, "
                        + "%d dropped spans, representative pass: %s%n", forward.passes(), block,
                forward.backend(), forward.layers().size(), forward.stages().size(), forward.kernels().size(),
                forward.droppedSpans(), forward.representativePass() == null ? "none"
                        : forward.representativePass().hostSpans().size() + " host spans, "
                        + forward.representativePass().deviceSpans().size() + " device spans");
    }
}
