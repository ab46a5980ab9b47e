package dev.cmr.bench;

import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.CmrPerformanceMonitor;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The monitor's cost on the demo's CMR forward pass, measured side by side in one JVM: the same model alternates
 * between attached and detached in blocks (order A D D A, repeated), so JIT state, memory contents and machine
 * drift affect both modes alike. Prints the median block time per pass for each mode and their ratio.
 *
 * <pre>java -cp target/benchmarks.jar dev.cmr.bench.MonitorOverhead [rounds] [passesPerBlock]</pre>
 */
public final class MonitorOverhead {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int block = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Gpt2Config config = Gpt2Config.demo();
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(48).maxTotalEntries(160)
                .relevanceThreshold(0.55).build();
        SplittableRandom random = new SplittableRandom(7);
        int[][] inputs = new int[64][32];
        for (int[] input : inputs) {
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(256);
            }
        }
        try (FullCmrModel cmr = new FullCmrModel(Gpt2Model.seeded(config, 42),
                new CmrConfig(Set.of(1, 3), Set.of(4, 5), memory));
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            int[] next = {0};
            Runnable pass = () -> cmr.forward(inputs[next[0]++ & 63]);
            for (int i = 0; i < 200; i++) {
                pass.run();
            }
            cmr.attach(monitor);
            for (int i = 0; i < 200; i++) {
                pass.run();
            }
            double[] attached = new double[2 * rounds];
            double[] detached = new double[2 * rounds];
            int a = 0;
            int d = 0;
            for (int r = 0; r < rounds; r++) {
                for (boolean on : new boolean[] {true, false, false, true}) {
                    if (on) {
                        cmr.attach(monitor);
                    } else {
                        cmr.detach();
                    }
                    long start = System.nanoTime();
                    for (int i = 0; i < block; i++) {
                        pass.run();
                    }
                    double perPass = (System.nanoTime() - start) / (double) block;
                    if (on) {
                        attached[a++] = perPass;
                    } else {
                        detached[d++] = perPass;
                    }
                }
            }
            double ma = Stats.median(attached);
            double md = Stats.median(detached);
            System.out.printf("| mode | blocks | passes/block | median µs/pass | min µs/pass |%n|---|---:|---:|---:|---:|%n");
            System.out.printf("| detached | %d | %d | %.1f | %.1f |%n", d, block, md / 1e3, Stats.min(detached) / 1e3);
            System.out.printf("| attached | %d | %d | %.1f | %.1f |%n", a, block, ma / 1e3, Stats.min(attached) / 1e3);
            System.out.printf("%nattached / detached (medians): %.4f, i.e. %+.2f%%; (mins): %.4f%n", ma / md,
                    (ma / md - 1) * 100, Stats.min(attached) / Stats.min(detached));
            System.out.printf("monitor saw %d forward passes, %d records rejected%n",
                    monitor.getStats().totalForwards(), monitor.getStats().totalRejected());
        }
    }
}
