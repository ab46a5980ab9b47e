package dev.cmr.cli;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.KvCache;
import dev.cmr.model.SeededInit;
import dev.cmr.model.TokenSampler;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.alert.ChannelStats;
import dev.cmr.monitor.diagnose.DiagnosticsReport;
import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.export.Exports;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: the reference CMR model, seeded, run over the built-in corpus with the monitor attached, then a
 * summary table and the report files; the first {@value #PROFILED_PASSES} passes of the recall are profiled (an
 * on-demand trigger) and their bottleneck report is written beside the other files. Exit 0 when done; 2 for a bad
 * option, before any work; 1 when alert notifications could not be appended to {@code alerts.jsonl} (the reports
 * are still written, and one line on stderr says how many were lost and why).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the reference CMR model over the built-in corpus, monitored, and write reports. "
                + "Exit 0: done; 1: alert notifications could not be written; 2: a bad option.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).", defaultValue = "cmr-demo-out")
    Path out;

    @Option(names = "--seed", description = "Weight seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Option(names = "--rounds", description = "Passes over the corpus (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int rounds;

    @Option(names = "--chunk", description = "Tokens per forward pass (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int chunk;

    @Option(names = "--generate", description = "Tokens generated after each passage (default: ${DEFAULT-VALUE}).",
            defaultValue = "16")
    int generate;

    @Option(names = "--device", description = "auto, cpu or opencl; auto runs on OpenCL when a device exists, "
            + "else on the CPU (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
    String device;

    /** The block name of the demo's forward passes, and how many of the recall's passes it profiles. */
    static final String PROFILED_BLOCK = "forward";
    static final int PROFILED_PASSES = 12;

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws Exception {
        DeviceChoice choice;
        Path alertFile = out.resolve("alerts.jsonl");
        CmrPerformanceMonitor monitor;
        try {
            checkOptions(ReferenceSetup.MODEL.contextLength());
            OutputFolder.prepare("--out", out);
            choice = DeviceChoice.choose(device, DeviceChoice.needsDetection(device) ? OpenClDevice.detect()
                    : new OpenClDevice.Detection(null, "not probed"));
            // Here, so that an alert file that cannot be written is refused with the options.
            monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().metricCollectionInterval(0.25)
                    .enableRealTime(true).healthCheckInterval(1.0)
                    .alertChannels(List.of("console", "file")).alertFile(alertFile.toString()).build());
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try (monitor) {
            Gpt2Config config = ReferenceSetup.MODEL;
            console.printf("device: %s%n", choice.reason());
            CmrConfig cmrConfig = ReferenceSetup.cmrConfig();
            ReferenceSetup.describe(seed, cmrConfig, console);
            ByteTokenizer tokenizer = new ByteTokenizer();
            List<String> corpus = DemoCorpus.sequences();
            Gpt2Backend backend = choice.open(SeededInit.weights(config, seed));
            try (FullCmrModel cmr = new FullCmrModel(backend, cmrConfig)) {
                warmUp(cmr, monitor, tokenizer.encode(corpus.get(0)));
                try (DemoDevices devices = DemoDevices.bind(backend, monitor, console)) { // after warm-up
                    cmr.attach(monitor);
                    run(cmr, monitor, devices, tokenizer, corpus, alertFile);
                }
            }
            return reportLostAlerts(monitor);
        }
    }

    /**
     * One line on stderr when the file channel failed to append some notifications (counted by the channel, not
     * taken from the alert history), naming the file and the last reason; {@link ExitCodes#FAILED} then.
     */
    private static int reportLostAlerts(CmrPerformanceMonitor monitor) {
        ChannelStats file = fileChannel(monitor);
        if (file.failed() == 0) {
            return ExitCodes.OK;
        }
        ErrorCounter.LastError last = monitor.getStats().lastErrors()
                .get(CmrPerformanceMonitor.ALERT_CHANNEL_COMPONENT + file.name());
        System.err.printf("demo: %d of %d alert notifications were lost: %s%n", file.failed(),
                file.failed() + file.sent(), last != null ? last.message() : file.lastError());
        return ExitCodes.FAILED;
    }

    private static ChannelStats fileChannel(CmrPerformanceMonitor monitor) {
        return monitor.alerts().channelStats().stream().filter(c -> c.name().equals("file")).findFirst()
                .orElseThrow();
    }

    private void run(FullCmrModel cmr, CmrPerformanceMonitor monitor, DemoDevices devices, ByteTokenizer tokenizer,
                     List<String> corpus, Path alertFile) throws Exception {
        long start = System.nanoTime();
        int tokens = 0;
        int total = rounds * corpus.size();
        int done = 0;
        for (int round = 0; round < rounds; round++) {
            for (String passage : corpus) {
                int[] ids = tokenizer.encode(passage);
                tokens += runPassage(cmr, monitor, ids);
                int[] prompt = Arrays.copyOf(ids, Math.min(ids.length, chunk));
                int[] generated = cmr.generate(prompt, generate, TokenSampler.greedy(), ByteTokenizer.END_OF_TEXT);
                tokens += prompt.length + Math.max(0, generated.length - 1);
                done++;
                console.printf("  [%3d%%] round %d, passage %d/%d: %d tokens, %.1f s elapsed%n",
                        100 * done / total, round + 1, done - round * corpus.size(), corpus.size(), ids.length,
                        (System.nanoTime() - start) / 1e9);
            }
        }
        // Recall: memory frozen (no capture), the corpus read twice; the second reading asks the retriever the
        // same questions of an unchanged buffer, so its cache answers them.
        cmr.setMemoryEnabled(false);
        // The profile: the first passes of the recall, through the on-demand trigger a server would use.
        CompletableFuture<Void> profiled = monitor.profileNextPasses(PROFILED_PASSES);
        for (int pass = 1; pass <= 2; pass++) {
            for (String passage : corpus) {
                tokens += runPassage(cmr, monitor, tokenizer.encode(passage));
            }
            console.printf("  recall %d/2 with memory frozen: %d retrieval cache hits so far, %.1f s elapsed%n",
                    pass, cmr.retriever().cacheHits(), (System.nanoTime() - start) / 1e9);
        }
        cmr.setMemoryEnabled(true);
        double seconds = (System.nanoTime() - start) / 1e9;
        devices.awaitMarks(Duration.ofSeconds(5));
        monitor.collectInterval();
        profiled.get(5, TimeUnit.SECONDS);
        ProfileResults profile = monitor.getProfileResults();
        MonitorStats stats = monitor.getStats();
        HealthReport health = monitor.evaluateHealth();
        DiagnosticsReport diagnostics = monitor.runDiagnostics();
        console.println();
        SummaryTable.print(stats, console);
        console.printf("%nthroughput: %d tokens in %.2f s = %.0f tokens/s%n", tokens, seconds, tokens / seconds);
        SummaryTable.printHealth(health, diagnostics, console);

        Path report = out.resolve("report.json");
        Path statsFile = out.resolve("stats.json");
        Path series = out.resolve("timeseries.csv");
        Path resources = out.resolve("resources.csv");
        Path healthHistory = out.resolve("health.csv");
        Path diagnosticsFile = out.resolve("diagnostics.json");
        Path errors = out.resolve("errors.csv");
        Exports.writeReport(stats, health, report);
        Exports.writeHealthHistoryCsv(monitor.getHealthHistory(), healthHistory);
        Exports.writeDiagnostics(diagnostics, diagnosticsFile);
        Exports.writeStats(stats, statsFile);
        Exports.writeErrorsCsv(stats, errors);
        List<IntervalSnapshot> history = monitor.getHistory();
        Exports.writeTimeSeriesCsv(history, series);
        Exports.writeResourcesCsv(history, resources);
        console.printf("%nwrote %s%nwrote %s%nwrote %s (%d intervals)%nwrote %s (%d resource gauges)%n",
                report.toAbsolutePath(), statsFile.toAbsolutePath(), series.toAbsolutePath(), history.size(),
                resources.toAbsolutePath(), Exports.resourceColumns(history).size() - 1);
        console.printf("wrote %s (%d errors)%n", errors.toAbsolutePath(), stats.totalErrors());
        console.printf("wrote %s (%d health checks)%nwrote %s%nappended %d alert notifications to %s%n",
                healthHistory.toAbsolutePath(), monitor.getHealthHistory().size(),
                diagnosticsFile.toAbsolutePath(), fileChannel(monitor).sent(), alertFile.toAbsolutePath());
        List<Path> profileFiles = profile.writeReport(out);
        ExecutionProfile forward = profile.execution(PROFILED_BLOCK);
        if (forward == null) {
            console.println("no recall pass was profiled");
        } else {
            console.printf("profiled %d recall passes: %s%n", forward.passes(), forward.reason());
        }
        profileFiles.forEach(f -> console.printf("wrote %s%n", f.toAbsolutePath()));
    }

    /** Every option's bound, before any work: a pass must fit the context (generation stops at its end). */
    private void checkOptions(int context) {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, was " + rounds);
        }
        if (chunk < 1 || chunk > context) {
            throw new IllegalArgumentException("--chunk must be in [1, " + context + "] (the model's context), was "
                    + chunk);
        }
        if (generate < 0) {
            throw new IllegalArgumentException("--generate must be >= 0, was " + generate);
        }
    }

    /**
     * Runs a passage through one sequence in chunks, so later chunks see the memory of earlier ones; each chunk is a
     * {@value #PROFILED_BLOCK} block, profiled only when a trigger takes it (the no-op block otherwise).
     */
    private int runPassage(FullCmrModel cmr, CmrPerformanceMonitor monitor, int[] ids) {
        try (KvCache cache = cmr.newCache()) {
            int limit = Math.min(ids.length, cache.contextLength());
            for (int from = 0; from < limit; from += chunk) {
                try (ProfileBlock block = monitor.profileExecution(PROFILED_BLOCK)) {
                    cmr.forward(Arrays.copyOfRange(ids, from, Math.min(limit, from + chunk)), cache);
                }
            }
            return limit;
        }
    }

    /** JIT, BLAS or OpenCL warm-up, unmonitored; the memory it captures is cleared so the run starts empty. */
    private void warmUp(FullCmrModel cmr, CmrPerformanceMonitor monitor, int[] ids) {
        for (int i = 0; i < 3; i++) {
            runPassage(cmr, monitor, ids);
        }
        cmr.buffer().clear();
        cmr.retriever().clearCache();
    }
}
