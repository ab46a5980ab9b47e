package dev.cmr.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.SeededInit;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.alert.AlertRule;
import dev.cmr.monitor.alert.ChannelStats;
import dev.cmr.monitor.alert.Severity;
import dev.cmr.monitor.engine.SnapshotService;
import dev.cmr.testing.Await;
import dev.cmr.testing.TmpfsMount;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A full disk under the report folder, for real: a 1 MiB tmpfs mounted for the test and filled to the last byte.
 * Every writer fails with an error that gives the reason, the model and the monitor carry on, the background writers'
 * failures are counted, and once space is back the writers work again. Needs mount rights (root or
 * CAP_SYS_ADMIN, as on the build machines): see {@link TmpfsMount}.
 */
class FullDiskTest {
    private static final String NO_SPACE = "no space left on device";
    private static TmpfsMount disk;
    private static Path mountPoint;

    @BeforeAll
    static void mountATinyFileSystem() throws Exception {
        disk = TmpfsMount.mount("size=1m");
        mountPoint = disk.path();
    }

    /** Fills the file system to the last byte. */
    private static void fill() throws IOException {
        try (OutputStream fill = Files.newOutputStream(mountPoint.resolve("fill"))) {
            byte[] block = new byte[4096];
            while (true) {
                fill.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase(NO_SPACE);
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void reportWritesFailWithTheReasonTheModelCarriesOnAndBackgroundFailuresAreCounted() throws Exception {
        Path alerts = mountPoint.resolve("alerts.jsonl");
        Path intervalLog = mountPoint.resolve("intervals.hlog");
        AlertRule anyForward = AlertRule.above("forward passes seen", "system.p99_latency_seconds", 0.0,
                Severity.CRITICAL).withFor(Duration.ZERO);
        MonitoringConfig config = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).enableProfiling(true).alertRules(List.of(anyForward))
                .alertChannels(List.of("file")).alertFile(alerts.toString()).build();
        Gpt2Config small = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 64, 2, 2, 1e-5);
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(32).maxTotalEntries(64).build();
        AtomicLong passes = new AtomicLong();
        AtomicReference<Throwable> modelFailure = new AtomicReference<>();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config);
             FullCmrModel model = new FullCmrModel(new Gpt2Model(SeededInit.weights(small, 1)),
                     new CmrConfig(Set.of(0), Set.of(), memory));
             IntervalLogs logs = IntervalLogs.attach(monitor, intervalLog)) {
            model.attach(monitor);
            fill(); // after the alert file channel was built: a full disk during the run, not at startup
            Thread modelThread = new Thread(() -> {
                int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8};
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        try (ProfileBlock block = monitor.profileExecution("forward")) {
                            model.forward(tokens);
                        }
                        passes.incrementAndGet();
                    }
                } catch (Throwable t) {
                    modelFailure.set(t);
                }
            }, "model");
            modelThread.start();
            try {
                Await.until(Duration.ofSeconds(30), () -> passes.get() >= 3);
                monitor.collectInterval(); // the interval log's first write: fails, counted
                MonitorStats stats = monitor.getStats();

                assertThatThrownBy(() -> Exports.writeStats(stats, mountPoint.resolve("stats.json")))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining(mountPoint.resolve("stats.json").toString()).satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase(NO_SPACE));
                assertThatThrownBy(() -> Exports.writeTimeSeriesCsv(monitor.getHistory(),
                        mountPoint.resolve("timeseries.csv")))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining(mountPoint.resolve("timeseries.csv").toString()).satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase(NO_SPACE));
                assertThatThrownBy(() -> monitor.getProfileResults().writeReport(mountPoint))
                        .isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining(mountPoint.resolve("profile.json").toString())
                        .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase(NO_SPACE));

                MonitorStats after = monitor.getStats();
                assertThat(after.errorsByComponent()).containsKey(SnapshotService.LISTENER_COMPONENT);
                assertThat(after.lastErrors().get(SnapshotService.LISTENER_COMPONENT).message())
                        .contains(intervalLog.toString()).containsIgnoringCase(NO_SPACE);

                monitor.evaluateHealth(); // the rule fires; the file channel cannot append
                assertThat(monitor.alerts().activeAlerts()).extracting(a -> a.rule().name())
                        .contains(anyForward.name());
                Await.until(Duration.ofSeconds(30), () -> fileChannel(monitor).failed() > 0);
                assertThat(fileChannel(monitor).lastError()).containsIgnoringCase(NO_SPACE);
                Await.until(Duration.ofSeconds(30),
                        () -> monitor.getStats().errorsByComponent().containsKey("alert_channel:file"));

                long before = passes.get();
                Await.until(Duration.ofSeconds(30), () -> passes.get() >= before + 3);
                assertThat(modelFailure.get()).as("the model thread").isNull();
                assertThat(monitor.getStats().totalForwards()).isGreaterThanOrEqualTo(before + 3);
                // Nothing on the record path failed: the errors are the background writers'.
                assertThat(monitor.getStats().errorsByComponent().keySet()).as("error components")
                        .contains(SnapshotService.LISTENER_COMPONENT, "alert_channel:file")
                        .isSubsetOf(SnapshotService.LISTENER_COMPONENT, "alert_channel:file");

                Files.delete(mountPoint.resolve("fill")); // space is back
                Exports.writeStats(monitor.getStats(), mountPoint.resolve("stats.json"));
                assertThat(mountPoint.resolve("stats.json")).isNotEmptyFile();
                try (var files = Files.list(mountPoint)) {
                    assertThat(files.map(p -> p.getFileName().toString()))
                            .as("no temp file left by the failed writes").noneMatch(n -> n.endsWith(".tmp"));
                }
            } finally {
                modelThread.interrupt();
                modelThread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    @Test
    void anIntervalLogCutShortByAFullDiskResumesWithoutATornLineOnceSpaceIsBack() throws Exception {
        Path file = mountPoint.resolve("resumed.hlog");
        MonitoringConfig config = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config);
             IntervalLogs logs = IntervalLogs.attach(monitor, file)) {
            monitor.recordLayer(0, 1_000L);
            monitor.collectInterval(); // the header and a first line: the file holds a page of the disk
            int whole = 1;
            try {
                fill();
                // Lines fill the rest of the file's page; the one that does not fit is written in part.
                for (int i = 0; i < 10_000 && listenerErrors(monitor) == 0; i++) {
                    monitor.recordLayer(0, 2_000L + i);
                    monitor.collectInterval();
                    if (listenerErrors(monitor) == 0) {
                        whole++;
                    }
                }
                assertThat(listenerErrors(monitor)).as("the interval that met the full disk").isEqualTo(1);
                byte[] torn = Files.readAllBytes(file);
                assertThat(torn[torn.length - 1]).as("the file ends in a line written in part").isNotEqualTo((byte) '\n');

                monitor.recordLayer(0, 3_000L);
                monitor.collectInterval(); // still full: fails again, counted
                assertThat(listenerErrors(monitor)).isEqualTo(2);
            } finally {
                Files.deleteIfExists(mountPoint.resolve("fill")); // space is back
            }
            monitor.recordLayer(0, 4_000L);
            monitor.collectInterval();
            monitor.recordLayer(0, 5_000L);
            monitor.collectInterval();

            assertThat(listenerErrors(monitor)).as("no failure once space is back").isEqualTo(2);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text).endsWith("\n");
            List<Histogram> read = new ArrayList<>();
            try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
                for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                    read.add((Histogram) h);
                }
            }
            assertThat(read).as("every interval written whole, then the two after the disk had space again")
                    .hasSize(whole + 2);
            assertThat(read.get(read.size() - 1).getMaxValue()).isEqualTo(
                    read.get(read.size() - 1).highestEquivalentValue(5_000L));
            assertThat(text.lines().filter(l -> l.startsWith("#[StartTime"))).as("one header").hasSize(1);
        }
    }

    private static long listenerErrors(CmrPerformanceMonitor monitor) {
        return monitor.getStats().errorsByComponent()
                .getOrDefault(SnapshotService.LISTENER_COMPONENT, Map.of()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    private static ChannelStats fileChannel(CmrPerformanceMonitor monitor) {
        return monitor.alerts().channelStats().stream().filter(c -> c.name().equals("file")).findFirst()
                .orElseThrow();
    }
}
