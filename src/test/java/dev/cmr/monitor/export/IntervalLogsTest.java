package dev.cmr.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.StageInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HdrHistogram interval logs of a monitor, read back with HdrHistogram's own reader. */
class IntervalLogsTest {
    private static final MonitoringConfig CONFIG = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).build();

    @TempDir
    Path dir;

    @Test
    void eachClosedIntervalIsReadBackPerStageWithTheIntervalsCountsAndP99() throws IOException {
        Path file = dir.resolve("logs/intervals.hlog");
        List<IntervalSnapshot> closed = new ArrayList<>();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG);
             IntervalLogs logs = IntervalLogs.attach(monitor, file)) {
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 100 * round; i++) {
                    monitor.recordLayer(i % 4, 10_000L * round + i);
                    monitor.recordRetrieval(0, 8, 4, true, 50_000L + i * round);
                }
                monitor.recordForward(3_000_000L * round);
                closed.add(monitor.collectInterval());
            }
            closed.add(monitor.collectInterval()); // nothing recorded: no line
        }

        List<Histogram> read = readAll(file);

        assertThat(read).hasSize(3 * 3);
        for (int round = 0; round < 3; round++) {
            IntervalSnapshot interval = closed.get(round);
            for (Stage stage : List.of(Stage.LAYER, Stage.RETRIEVAL, Stage.FORWARD)) {
                Histogram h = tagged(read.subList(round * 3, round * 3 + 3), stage.key());
                StageInterval expected = interval.stage(stage);
                assertThat(h.getTotalCount()).as("%s round %d", stage, round).isEqualTo(expected.count());
                assertThat(h.getValueAtPercentile(99.0)).as("%s round %d", stage, round)
                        .isEqualTo(expected.p99Nanos());
                assertThat(h.getMaxValue()).isEqualTo(expected.maxNanos());
            }
        }
        assertThat(Files.readString(file)).contains("#[BaseTime:", "Tag=layer");
    }

    @Test
    void hdrHistogramsLogProcessorSummarizesOneStageByItsTag() throws IOException {
        Path file = dir.resolve("intervals.hlog");
        long p99;
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG);
             IntervalLogs logs = IntervalLogs.attach(monitor, file)) {
            for (int i = 1; i <= 1_000; i++) {
                monitor.recordLayer(0, 1_000L * i);
                monitor.recordForward(50_000_000L);
            }
            p99 = monitor.collectInterval().layer().p99Nanos();
        }
        Path out = dir.resolve("layer");

        new HistogramLogProcessor(new String[] {"-i", file.toString(), "-o", out.toString(), "-tag", "layer",
                "-outputValueUnitRatio", "1"}).run();

        // The percentile distribution (value, percentile, count, 1/(1-percentile)) of the layer stage alone.
        List<String> distribution = Files.readAllLines(dir.resolve("layer.hgrm"));
        assertThat(distribution).anySatisfy(line -> assertThat(line.trim()).startsWith(p99 + ".00 0.99"));
        assertThat(distribution).anySatisfy(line -> assertThat(line).contains("Total count", "1000"));
    }

    @Test
    void aFullFileIsRolledSoTheLogsStayBounded() throws IOException {
        Path file = dir.resolve("intervals.hlog");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG);
             IntervalLogs logs = IntervalLogs.attach(monitor, file, 4096, 2)) {
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < 50; i++) {
                    monitor.recordLayer(i % 4, 1_000L * (i + 1) * (round + 1));
                }
                monitor.collectInterval();
            }
        }

        assertThat(Files.exists(dir.resolve("intervals.hlog.1"))).isTrue();
        assertThat(Files.exists(dir.resolve("intervals.hlog.2"))).isTrue();
        assertThat(Files.exists(dir.resolve("intervals.hlog.3"))).isFalse();
        for (Path p : List.of(file, dir.resolve("intervals.hlog.1"), dir.resolve("intervals.hlog.2"))) {
            // One line over the bound at most: the file rolls at the first interval after it reached it.
            assertThat(Files.size(p)).isLessThan(4096 + 1024);
            assertThat(readAll(p)).isNotEmpty().allSatisfy(h -> assertThat(h.getTag()).isEqualTo("layer"));
        }
    }

    @Test
    void aClosedLogStopsFollowingTheMonitor() throws IOException {
        Path file = dir.resolve("intervals.hlog");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            IntervalLogs logs = IntervalLogs.attach(monitor, file);
            monitor.recordLayer(0, 1_000L);
            monitor.collectInterval();
            logs.close();
            monitor.recordLayer(0, 2_000L);
            monitor.collectInterval();
        }
        assertThat(readAll(file)).hasSize(1);
    }

    @Test
    void badBoundsAreRejectedNamingTheArgument() {
        assertThatThrownBy(() -> IntervalLogs.writingTo(dir.resolve("x"), 100, 1))
                .hasMessage("maxFileBytes must be >= 4096, was 100");
        assertThatThrownBy(() -> IntervalLogs.writingTo(dir.resolve("x"), 4096, -1))
                .hasMessage("rolledFiles must be >= 0, was -1");
    }

    private static Histogram tagged(List<Histogram> histograms, String tag) {
        return histograms.stream().filter(h -> tag.equals(h.getTag())).findFirst().orElseThrow();
    }

    private static List<Histogram> readAll(Path file) throws IOException {
        List<Histogram> out = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                out.add((Histogram) h);
            }
        }
        return out;
    }

    @Test
    void aDirectoryOrTheRootAsLogFileIsRefusedNamingIt() {
        for (Path file : List.of(Path.of("/"), dir)) {
            assertThatThrownBy(() -> IntervalLogs.writingTo(file, 4096, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("interval log " + file + ": is a directory");
        }
    }
}
