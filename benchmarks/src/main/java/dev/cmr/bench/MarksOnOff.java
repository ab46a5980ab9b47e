package dev.cmr.bench;

import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.KvCache;
import dev.cmr.model.SeededInit;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.model.opencl.OpenClGpt2Model;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.OpenClTimeline;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The cost of device marks on the OpenCL backend's forward throughput, measured side by side in one JVM: one CMR
 * model on the OpenCL backend (demo config, capture at layers 1 and 3, reweave at 4 and 5), attached to a monitor
 * that drains an {@link OpenClTimeline} on the model's queue as the demo does; blocks of passes alternate between
 * marks on (the backend marks every layer's start and end on the timeline) and marks off
 * ({@code setDeviceTimeline(null)}), in the order on, off, off, on, repeated, so that JIT state, memory contents and
 * machine drift hit both modes alike. Everything else (monitor, collector, resolver thread, timeline) stays the
 * same in both modes.
 *
 * <p>A pass is the demo's unit: 32 new tokens through a KV cache, 8 passes filling one 256-token sequence (the
 * context), then the cache is cleared for the next sequence. Every pass ends with the blocking read of its logits,
 * so a pass's wall time covers all its device work. A block is a whole number of sequences.
 *
 * <p>Prints the median and minimum block time per pass for each mode, their ratios, and the timeline's counts
 * (marks enqueued, resolved, dropped, failed) so that a run which dropped marks is visible.
 *
 * <p>With a third argument, a second measurement follows in the same JVM: marks toggled before every pass, see
 * {@link #interleaved}.
 *
 * <pre>java -cp target/benchmarks.jar dev.cmr.bench.MarksOnOff [rounds] [sequencesPerBlock] [interleavedSequences]</pre>
 */
public final class MarksOnOff {
    private static final int CHUNK = 32;
    private static final double TARGET = 1.03;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int sequencesPerBlock = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int interleavedSequences = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Gpt2Config config = Gpt2Config.demo();
        int passesPerSequence = config.contextLength() / CHUNK;
        int block = sequencesPerBlock * passesPerSequence;
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(48).maxTotalEntries(160)
                .relevanceThreshold(0.7).memoryWeight(0.3).build();
        // The demo's collection interval (marks are drained once per interval); no alert output in a benchmark.
        MonitoringConfig monitoring = MonitoringConfig.builder().metricCollectionInterval(0.25)
                .enableAlerts(false).build();
        SplittableRandom random = new SplittableRandom(7);
        int[][][] sequences = new int[16][passesPerSequence][CHUNK];
        for (int[][] sequence : sequences) {
            for (int[] chunk : sequence) {
                for (int i = 0; i < CHUNK; i++) {
                    chunk[i] = random.nextInt(256);
                }
            }
        }
        OpenClGpt2Model backend = new OpenClGpt2Model(SeededInit.weights(config, 42), OpenClDevice.first());
        System.out.printf("backend: %s%n", backend.description());
        System.out.printf("rounds %d x (on, off, off, on), %d passes of %d tokens per block%n", rounds, block, CHUNK);
        try (FullCmrModel cmr = new FullCmrModel(backend, new CmrConfig(Set.of(1, 3), Set.of(4, 5), memory));
             OpenClTimeline timeline = OpenClTimeline.open(backend.queueHandle(), JournalSettings.defaults());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(monitoring);
             KvCache cache = cmr.newCache()) {
            monitor.attachDeviceTimeline(timeline);
            cmr.attach(monitor);
            int[] next = {0};
            Runnable sequence = () -> {
                cache.clear();
                for (int[] chunk : sequences[next[0]++ & 15]) {
                    cmr.forward(chunk, cache);
                }
            };
            // Warm-up in both modes: the JIT, PoCL's kernel caches and the memory buffer reach their steady state.
            for (boolean on : new boolean[] {false, true, false, true}) {
                backend.setDeviceTimeline(on ? timeline : null);
                for (int i = 0; i < 8; i++) {
                    sequence.run();
                }
            }
            double[] marked = new double[2 * rounds];
            double[] unmarked = new double[2 * rounds];
            // CPU time of the whole process (model thread, PoCL's threads, resolver, collector) per pass: unlike wall
            // time it does not grow when other processes take the cores, only when this process does more work.
            double[] markedCpu = new double[2 * rounds];
            double[] unmarkedCpu = new double[2 * rounds];
            // The resolver thread's own CPU time and wake-ups per pass (it runs in both modes; marks make it work).
            double[][] resolverCpu = new double[2][2 * rounds];
            double[][] resolverWakes = new double[2][2 * rounds];
            int m = 0;
            int u = 0;
            for (int r = 0; r < rounds; r++) {
                for (boolean on : new boolean[] {true, false, false, true}) {
                    backend.setDeviceTimeline(on ? timeline : null); // takes effect from the next pass on
                    long[] resolverStart = ResolverThreads.usage();
                    long cpuStart = OS.getProcessCpuTime();
                    long start = System.nanoTime();
                    for (int s = 0; s < sequencesPerBlock; s++) {
                        sequence.run();
                    }
                    double perPass = (System.nanoTime() - start) / (double) block;
                    double cpuPerPass = (OS.getProcessCpuTime() - cpuStart) / (double) block;
                    long[] resolverEnd = ResolverThreads.usage();
                    int mode = on ? 1 : 0;
                    int slot = on ? m : u;
                    resolverCpu[mode][slot] = (resolverEnd[0] - resolverStart[0]) / (double) block;
                    resolverWakes[mode][slot] = (resolverEnd[1] - resolverStart[1]) / (double) block;
                    if (on) {
                        markedCpu[m] = cpuPerPass;
                        marked[m++] = perPass;
                    } else {
                        unmarkedCpu[u] = cpuPerPass;
                        unmarked[u++] = perPass;
                    }
                }
                // One line per round, so that run.sh's timestamps tie each round to the load log.
                System.out.printf("round %2d: on %,.1f / %,.1f µs, off %,.1f / %,.1f µs per pass%n", r + 1,
                        marked[m - 2] / 1e3, marked[m - 1] / 1e3, unmarked[u - 2] / 1e3, unmarked[u - 1] / 1e3);
            }
            if (interleavedSequences > 0) {
                interleaved(cmr, backend, timeline, cache, sequences, interleavedSequences);
            }
            backend.setDeviceTimeline(null);
            awaitResolved(timeline, 5_000);
            monitor.collectInterval();

            double medOn = Stats.median(marked);
            double medOff = Stats.median(unmarked);
            double ratio = medOn / medOff;
            double minRatio = Stats.min(marked) / Stats.min(unmarked);
            System.out.printf("%n| mode | blocks | passes/block | median µs/pass | min µs/pass |%n"
                    + "|---|---:|---:|---:|---:|%n");
            System.out.printf("| marks off | %d | %d | %,.1f | %,.1f |%n", u, block, medOff / 1e3,
                    Stats.min(unmarked) / 1e3);
            System.out.printf("| marks on | %d | %d | %,.1f | %,.1f |%n", m, block, medOn / 1e3,
                    Stats.min(marked) / 1e3);
            System.out.printf("%nprocess CPU time per pass (all threads), median: marks off %,.1f µs, marks on %,.1f µs, "
                            + "on / off %.4f (%+.2f%%)%n", Stats.median(unmarkedCpu) / 1e3, Stats.median(markedCpu) / 1e3,
                    Stats.median(markedCpu) / Stats.median(unmarkedCpu), (Stats.median(markedCpu) / Stats.median(unmarkedCpu) - 1) * 100);
            System.out.printf("resolver thread per pass, median: marks off %,.1f µs CPU in %.1f wake-ups, marks on "
                            + "%,.1f µs CPU in %.1f wake-ups%n", Stats.median(resolverCpu[0]) / 1e3,
                    Stats.median(resolverWakes[0]), Stats.median(resolverCpu[1]) / 1e3, Stats.median(resolverWakes[1]));
            double[] cpuRounds = Stats.perRoundRatios(markedCpu, unmarkedCpu);
            double[] cpuCi = Stats.bootstrapMedianInterval(cpuRounds, 10_000);
            System.out.printf("process CPU on / off within each round: median %.4f (%+.2f%%), 95%% bootstrap interval "
                    + "%.4f..%.4f%n", Stats.median(cpuRounds), (Stats.median(cpuRounds) - 1) * 100, cpuCi[0], cpuCi[1]);
            System.out.printf("on / off (medians): %.4f, i.e. %+.2f%%; (minima): %.4f, i.e. %+.2f%%%n", ratio,
                    (ratio - 1) * 100, minRatio, (minRatio - 1) * 100);
            System.out.printf("target on / off <= %.2f (medians): %s%n", TARGET, ratio <= TARGET ? "met" : "NOT met");
            double[] withinRound = Stats.perRoundRatios(marked, unmarked);
            double[] sorted = withinRound.clone();
            Arrays.sort(sorted);
            System.out.printf("on / off within each round (mean of its two on blocks / mean of its two off blocks): "
                            + "median %.4f (%+.2f%%), quartiles %.4f..%.4f, over %d rounds%n", Stats.median(withinRound),
                    (Stats.median(withinRound) - 1) * 100, sorted[sorted.length / 4], sorted[(3 * sorted.length) / 4],
                    withinRound.length);
            double[] ci = Stats.bootstrapMedianInterval(withinRound, 10_000);
            System.out.printf("95%% bootstrap interval of that median: %.4f..%.4f (%+.2f%%..%+.2f%%)%n", ci[0], ci[1],
                    (ci[0] - 1) * 100, (ci[1] - 1) * 100);
            StringBuilder each = new StringBuilder();
            for (double r : withinRound) {
                each.append(String.format(" %.3f", r));
            }
            System.out.println("per round:" + each);
            DeviceStats device = monitor.getStats().device();
            System.out.printf("timeline: %d marks enqueued, %d resolved, %d dropped, %d failed, last error %s%n",
                    timeline.enqueuedMarks(), timeline.resolvedMarks(), timeline.droppedMarks(),
                    timeline.failedMarks(), timeline.lastError());
            System.out.printf("monitor: %d layer device times, %d unmatched marks, clock error bound %d ns, "
                            + "%d forward passes, %d records rejected%n", device.layerTimes(),
                    device.unmatchedMarks(), device.clockErrorBoundNanos(), monitor.getStats().totalForwards(),
                    monitor.getStats().totalRejected());
        }
    }

    /**
     * Second measurement: marks toggled before every pass, so that each on pass has off passes right before and
     * after it. Position p of sequence k (its KV cache holds 32p tokens) runs with marks on when p + k is even, so
     * each position runs in both modes equally often. Per position: median pass time per mode; the ratio is the sum
     * of the on medians over the sum of the off medians, with a bootstrap interval from resampling each cell.
     * Caveat: the last marks of an on pass resolve during the following off pass (resolver thread).
     */
    private static void interleaved(FullCmrModel cmr, OpenClGpt2Model backend, OpenClTimeline timeline,
                                    KvCache cache, int[][][] sequences, int count) {
        int positions = sequences[0].length;
        double[][][] times = new double[2][positions][(count + 1) / 2]; // [on?1:0][position][sample]
        int[][] n = new int[2][positions];
        for (int k = 0; k < count; k++) {
            cache.clear();
            int[][] sequence = sequences[k & 15];
            for (int p = 0; p < positions; p++) {
                int on = ((p + k) & 1) == 0 ? 1 : 0;
                backend.setDeviceTimeline(on == 1 ? timeline : null);
                long start = System.nanoTime();
                cmr.forward(sequence[p], cache);
                times[on][p][n[on][p]++] = System.nanoTime() - start;
            }
            if ((k + 1) % 20 == 0) {
                System.out.printf("interleaved: %d of %d sequences%n", k + 1, count);
            }
        }
        System.out.printf("%nInterleaved per pass, %d sequences of %d passes (cache position = 32 x p tokens):%n"
                + "| p | on: passes | median µs | off: passes | median µs | on / off |%n"
                + "|---:|---:|---:|---:|---:|---:|%n", count, positions);
        double sumOn = 0;
        double sumOff = 0;
        for (int p = 0; p < positions; p++) {
            double on = Stats.median(Arrays.copyOf(times[1][p], n[1][p]));
            double off = Stats.median(Arrays.copyOf(times[0][p], n[0][p]));
            sumOn += on;
            sumOff += off;
            System.out.printf("| %d | %d | %,.1f | %d | %,.1f | %.4f |%n", p, n[1][p], on / 1e3, n[0][p], off / 1e3,
                    on / off);
        }
        double ratio = sumOn / sumOff;
        SplittableRandom random = new SplittableRandom(13);
        double[] boot = new double[2000];
        for (int b = 0; b < boot.length; b++) {
            double bOn = 0;
            double bOff = 0;
            for (int p = 0; p < positions; p++) {
                bOn += Stats.median(resample(times[1][p], n[1][p], random));
                bOff += Stats.median(resample(times[0][p], n[0][p], random));
            }
            boot[b] = bOn / bOff;
        }
        Arrays.sort(boot);
        System.out.printf("interleaved on / off (sum of per-position medians): %.4f (%+.2f%%), 95%% bootstrap "
                        + "interval %.4f..%.4f; target <= %.2f: %s%n", ratio, (ratio - 1) * 100,
                boot[(int) (boot.length * 0.025)], boot[(int) (boot.length * 0.975)], TARGET,
                ratio <= TARGET ? "met" : "NOT met");
    }

    private static double[] resample(double[] v, int n, SplittableRandom random) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = v[random.nextInt(n)];
        }
        return out;
    }

    private static void awaitResolved(OpenClTimeline timeline, long maxMillis) throws InterruptedException {
        long end = System.nanoTime() + maxMillis * 1_000_000;
        while (timeline.resolvedMarks() + timeline.failedMarks() < timeline.enqueuedMarks()
                && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }
}
