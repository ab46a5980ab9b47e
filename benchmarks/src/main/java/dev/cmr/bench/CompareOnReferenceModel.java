package dev.cmr.bench;

import dev.cmr.model.FullCmrModel;
import dev.cmr.model.hooks.HookKind;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.profile.ChangeStatus;
import dev.cmr.monitor.profile.CompareSettings;
import dev.cmr.monitor.profile.MetricChange;
import dev.cmr.monitor.profile.ProfileComparator;
import dev.cmr.monitor.profile.ProfileComparison;
import dev.cmr.monitor.profile.ProfileSamples;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Does compare flag noise, and does it find a real slowdown, on the reference model? The demo's CMR model on the
 * CPU backend, profiled through the public API, in two blocks {@code a} and {@code b} that alternate pass by pass in
 * one JVM (so that machine drift hits both alike); each block's per-pass samples are then compared as
 * {@code cmr-monitor compare} compares two profile.json files (default settings: threshold 10%, 95% bootstrap
 * interval). First with the same code in both, then with layer 2 of every {@code b} pass made slower by a
 * {@code LAYER_EXIT} hook that spins for a given share of that layer's median host time (measured in a calibration
 * phase before). Prints both tables, the flagged metrics and whether the slowed layer was named.
 *
 * <pre>java -cp target/benchmarks.jar dev.cmr.bench.CompareOnReferenceModel [passes] [slowdown]</pre>
 */
public final class CompareOnReferenceModel {
    private static final int SLOW_LAYER = 2;
    private static final int[] TOKENS = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160};

    public static void main(String[] args) {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        double slowdown = args.length > 1 ? Double.parseDouble(args[1]) : 0.20;
        System.out.println(report("same code in a and b", run(passes, 0)));
        System.out.println(report("layer " + SLOW_LAYER + " of b slowed by " + Math.round(slowdown * 100) + "%",
                run(passes, slowdown)));
    }

    private static String report(String title, ProfileComparison c) {
        StringBuilder out = new StringBuilder("## " + title + "\n\n").append(c.toTable());
        for (MetricChange m : c.changes()) {
            if (m.status() == ChangeStatus.REGRESSION || m.status() == ChangeStatus.IMPROVEMENT) {
                out.append("flagged: ").append(m.key()).append(' ').append(m.status()).append(' ')
                        .append(m.reason()).append('\n');
            }
        }
        long flagged = c.changes().stream().filter(m -> m.status() == ChangeStatus.REGRESSION
                || m.status() == ChangeStatus.IMPROVEMENT).count();
        return out.append("flagged metrics: ").append(flagged).append(" of ").append(c.changes().size())
                .append('\n').toString();
    }

    private static ProfileComparison run(int passes, double slowdown) {
        long[] spin = {0};
        boolean[] slow = {false};
        try (FullCmrModel cmr = new FullCmrModel(DemoSetup.backend(false), DemoSetup.cmrConfig());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MonitoringConfig.builder()
                     .metricCollectionInterval(3600).enableResourceSampling(false).enableAlerts(false).build())) {
            cmr.hooks().register(HookKind.LAYER_EXIT, "spin", event -> {
                if (slow[0] && event.layer() == SLOW_LAYER) {
                    long until = System.nanoTime() + spin[0];
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            });
            cmr.attach(monitor);
            for (int i = 0; i < 50; i++) {
                cmr.forward(TOKENS); // JIT and BLAS warm-up, unprofiled
            }
            monitor.enableProfiling();
            for (int i = 0; i < 30; i++) {
                try (ProfileBlock block = monitor.profileExecution("calibrate")) {
                    cmr.forward(TOKENS);
                }
            }
            long[] calibration = ProfileSamples.of(monitor.getProfileResults())
                    .get("calibrate/layer " + SLOW_LAYER + "/host_ns");
            spin[0] = (long) (slowdown * median(calibration));
            System.out.printf("layer %d median host time %.1f µs; spin %.1f µs in every b pass%n", SLOW_LAYER,
                    median(calibration) / 1e3, spin[0] / 1e3);
            monitor.reset();
            for (int pass = 0; pass < passes; pass++) {
                for (String block : new String[] {"a", "b"}) {
                    slow[0] = block.equals("b");
                    try (ProfileBlock b = monitor.profileExecution(block)) {
                        cmr.forward(TOKENS);
                    }
                }
            }
            Map<String, long[]> samples = ProfileSamples.of(monitor.getProfileResults());
            return new ProfileComparator(CompareSettings.DEFAULTS).compare(renamed(samples, "a/"),
                    renamed(samples, "b/"));
        }
    }

    private static Map<String, long[]> renamed(Map<String, long[]> samples, String prefix) {
        Map<String, long[]> out = new TreeMap<>();
        samples.forEach((key, values) -> {
            if (key.startsWith(prefix)) {
                out.put("forward/" + key.substring(prefix.length()), values);
            }
        });
        return out;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
