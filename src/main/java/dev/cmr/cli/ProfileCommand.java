package dev.cmr.cli;

import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.KvCache;
import dev.cmr.model.SeededInit;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.ProfileSchedule;
import dev.cmr.monitor.engine.ProfileSessions;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.BottleneckReport;
import dev.cmr.monitor.profile.Formats;
import dev.cmr.monitor.profile.ProfileResults;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the reference CMR model (the demo's model and CMR settings) under the profiler: {@code --warmup} profiled
 * passes thrown away, then {@code --passes} kept, each one {@code forward} block of {@code --chunk} tokens through a
 * KV cache that is cleared when full; then writes the four report files and prints the execution's verdict, the
 * top bottlenecks and the paths. Every option is checked before any work. Exit codes: 0 done, 1 a failure during
 * the run, 2 bad input.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profile the reference CMR model and write profile.json, bottlenecks.md, bottlenecks.html and "
                + "trace.json. Exit 0: done; 1: the run failed; 2: a bad option.")
final class ProfileCommand implements Callable<Integer> {
    static final String BLOCK = "forward";
    static final int TOP = 3;
    /** The passes a profile keeps per block name, and so the most worth running. */
    static final int MAX_PASSES = ProfileSessions.MAX_PASSES_PER_NAME;

    @Option(names = "--device", defaultValue = "auto",
            description = DeviceChoice.MODES + "; auto runs on OpenCL when a device exists (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--passes", defaultValue = "30", description = "Passes kept (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--warmup", defaultValue = "5",
            description = "Profiled passes thrown away first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--chunk", defaultValue = "32", description = "Tokens per pass (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--seed", defaultValue = "42", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "cmr-profile-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    private final PrintStream console = System.out;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Gpt2Config config = ReferenceSetup.MODEL;
        DeviceChoice choice;
        try {
            checkOptions(config);
            OutputFolder.prepare("--out", out);
            choice = DeviceChoice.choose(device, DeviceChoice.needsDetection(device) ? OpenClDevice.detect()
                    : new OpenClDevice.Detection(null, "not probed"));
        } catch (IllegalArgumentException e) {
            err.println("profile: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try {
            console.printf("device: %s%n", choice.reason());
            ReferenceSetup.describe(seed, ReferenceSetup.cmrConfig(), console);
            ProfileResults results = run(choice, config);
            List<Path> files = results.writeReport(out);
            summary(results.execution(BLOCK), console);
            files.forEach(f -> console.printf("wrote %s%n", f.toAbsolutePath()));
            return ExitCodes.OK;
        } catch (RuntimeException e) {
            // ErrorLines prints it as one line, exit 1, with the stack trace under --verbose.
            throw new IllegalStateException("failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("profile: interrupted");
            return ExitCodes.FAILED;
        }
    }

    private void checkOptions(Gpt2Config config) {
        if (passes < 1 || passes > MAX_PASSES) {
            throw new IllegalArgumentException("--passes must be in [1, " + MAX_PASSES + "], was " + passes);
        }
        if (warmup < 0 || warmup > MAX_PASSES) {
            throw new IllegalArgumentException("--warmup must be in [0, " + MAX_PASSES + "], was " + warmup);
        }
        if (chunk < 1 || chunk > config.contextLength()) {
            throw new IllegalArgumentException("--chunk must be in [1, " + config.contextLength()
                    + "] (the model's context), was " + chunk);
        }
    }

    private ProfileResults run(DeviceChoice choice, Gpt2Config config)
            throws InterruptedException {
        MonitoringConfig monitoring = MonitoringConfig.builder().metricCollectionInterval(0.25)
                .resourceSamplingInterval(0.05).enableAlerts(false).profileMemory(true).build();
        int[] tokens = ReferenceSetup.corpusTokens();
        Gpt2Backend backend = choice.open(SeededInit.weights(config, seed));
        try (FullCmrModel cmr = new FullCmrModel(backend, ReferenceSetup.cmrConfig());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(monitoring);
             KvCache cache = cmr.newCache()) {
            try (DemoDevices devices = DemoDevices.bind(backend, monitor, console)) {
                cmr.attach(monitor);
                monitor.setProfileSchedule(new ProfileSchedule(0, warmup, passes, 1));
                monitor.enableProfiling();
                int from = 0;
                for (int pass = 0; pass < warmup + passes; pass++) {
                    if (cache.length() + chunk > cache.contextLength()) {
                        cache.clear();
                    }
                    int[] ids = Arrays.copyOfRange(tokens, from, from + chunk);
                    from = from + 2 * chunk > tokens.length ? 0 : from + chunk;
                    try (ProfileBlock block = monitor.profileExecution(BLOCK)) {
                        cmr.forward(ids, cache);
                    }
                }
                devices.awaitMarks(Duration.ofSeconds(5));
                return monitor.getProfileResults();
            }
        }
    }

    private static void summary(ExecutionProfile e, PrintStream console) {
        if (e == null) {
            console.println("no pass was profiled");
            return;
        }
        console.printf("%n%s: %d passes on %s, %s per pass: %s, %s%n", e.name(), e.passes(), e.backend().key(),
                Formats.duration(e.wallNanos()), e.verdict(), e.reason());
        console.println("top bottlenecks:");
        BottleneckReport.top(e, TOP).forEach(line -> console.printf("  %s%n", line));
    }
}
