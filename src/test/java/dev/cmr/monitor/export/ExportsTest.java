package dev.cmr.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.health.HealthEvaluator;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Long enough that the collector thread never closes an interval during a test: only the test does. */
    // No resource sampling either: the host component must have no data for the report's NO_DATA check.
    private static final MonitoringConfig NO_BACKGROUND_COLLECTION = MonitoringConfig.builder()
            .metricCollectionInterval(3600).maxHistorySize(100).enableResourceSampling(false).build();

    private static final long[] FORWARD_NANOS = {10_000_000L, 20_000_000L, 45_000_000L};

    @TempDir
    Path dir;

    /**
     * 3 forwards, 4 captures, 2 reconstructions, 5 retrievals (14 operations) and 1 error, plus one invalid
     * record that the monitor rejects (it is not an operation).
     */
    private static void recordWorkload(CmrPerformanceMonitor monitor) {
        for (long nanos : FORWARD_NANOS) {
            monitor.recordForward(nanos);
        }
        monitor.recordCapture(0, 10, 1_000_000L);
        monitor.recordCapture(0, 10, 3_000_000L);
        monitor.recordCapture(1, 8, 6, 2_000_000L);
        monitor.recordCapture(2, 4, 4_000_000L);
        monitor.recordReconstruction(0, 3, 500_000L);
        monitor.recordReconstruction(1, 5, 700_000L, 0.8);
        for (int i = 0; i < 5; i++) {
            monitor.recordRetrieval(0, 10, 5, i % 2 == 0, 300_000L);
        }
        monitor.recordError("retrieval_system", new IllegalStateException("index unavailable"));
        monitor.recordCapture(0, 10, -1L); // rejected: negative duration
    }

    // ---- writeReport ----

    @Test
    void reportHasExactlyTheSeedKeys() throws IOException {
        Path file = dir.resolve("report.json");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            recordWorkload(monitor);
            Exports.writeReport(monitor.getStats(), monitor.evaluateHealth(), file);
        }

        JsonNode report = JSON.readTree(file.toFile());

        assertThat(fieldNames(report)).containsExactly(
                "timestamp", "system_health", "performance_metrics", "component_status");
        assertThat(fieldNames(report.get("performance_metrics"))).containsExactly(
                "avg_latency", "throughput", "error_rate");
        assertThat(fieldNames(report.get("component_status"))).containsExactly(
                "memory_buffer", "retrieval_system", "reconstruction", "hooks", "device", "host");
    }

    @Test
    void reportValuesFollowFromTheRecords() throws IOException {
        Path file = dir.resolve("report.json");
        long beforeMillis = System.currentTimeMillis();
        long beforeNanos = System.nanoTime();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            recordWorkload(monitor);
            Exports.writeReport(monitor.getStats(), monitor.evaluateHealth(), file);
        }
        double elapsedSeconds = (System.nanoTime() - beforeNanos) / 1e9;
        long afterMillis = System.currentTimeMillis();

        JsonNode report = JSON.readTree(file.toFile());
        JsonNode perf = report.get("performance_metrics");

        double meanForwardSeconds = (FORWARD_NANOS[0] + FORWARD_NANOS[1] + FORWARD_NANOS[2]) / 3.0 / 1e9;
        assertThat(perf.get("avg_latency").isNumber()).isTrue();
        assertThat(perf.get("avg_latency").doubleValue()).isCloseTo(meanForwardSeconds, within(1e-12));
        // error_rate = errors / (forwards + captures + reconstructions + retrievals); rejected records don't count.
        assertThat(perf.get("error_rate").doubleValue()).isCloseTo(1.0 / (3 + 4 + 2 + 5), within(1e-12));
        // throughput = forwards / seconds since start, and the monitor lived no longer than this test measured.
        assertThat(perf.get("throughput").doubleValue()).isGreaterThanOrEqualTo(3 / elapsedSeconds * (1 - 1e-9));

        Instant timestamp = Instant.parse(report.get("timestamp").textValue());
        assertThat(timestamp.toEpochMilli()).isBetween(beforeMillis, afterMillis);
        // 1 retrieval_system error over 5 retrievals = 0.2, above twice high_error_rate (0.05): RED, and worst wins.
        assertThat(report.get("system_health").textValue()).isEqualTo("RED");
        JsonNode retrieval = report.at("/component_status/retrieval_system");
        assertThat(retrieval.get("status").textValue()).isEqualTo("RED");
        assertThat(retrieval.get("score").intValue()).isBetween(0, 39);
        assertThat(retrieval.at("/details/decided_by").textValue()).isEqualTo("error_rate");
        assertThat(retrieval.at("/details/error_rate/value").doubleValue()).isCloseTo(0.2, within(1e-12));
        assertThat(retrieval.at("/details/error_rate/red_above").doubleValue()).isCloseTo(0.1, within(1e-12));
        assertThat(retrieval.at("/details/errors").longValue()).isEqualTo(1);
        // The one reconstruction quality sample (0.8) is above low_efficiency (0.5).
        JsonNode reconstruction = report.at("/component_status/reconstruction");
        assertThat(reconstruction.get("status").textValue()).isEqualTo("GREEN");
        assertThat(reconstruction.at("/details/quality/value").doubleValue()).isCloseTo(0.8, within(1e-12));
        for (String noData : List.of("device", "host")) {
            JsonNode c = report.at("/component_status/" + noData);
            assertThat(c.get("status").textValue()).as(noData).isEqualTo("NO_DATA");
            assertThat(c.get("score").isNull()).as(noData).isTrue();
            assertThat(c.at("/details/reason").isTextual()).as(noData).isTrue();
        }
    }

    @Test
    void reportOfIdleMonitorHasNoDataEverywhereAndNeverGreen() throws IOException {
        Path file = dir.resolve("idle-health.json");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            Exports.writeReport(monitor.getStats(), monitor.evaluateHealth(), file);
        }

        JsonNode report = JSON.readTree(file.toFile());

        assertThat(report.get("system_health").textValue()).isEqualTo("NO_DATA");
        report.get("component_status").forEach(c -> assertThat(c.get("status").textValue()).isEqualTo("NO_DATA"));
    }

    @Test
    void reportOfIdleMonitorHasNullAverageAndErrorRate() throws IOException {
        Path file = dir.resolve("idle.json");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            Exports.writeReport(monitor.getStats(), monitor.evaluateHealth(), file);
        }

        JsonNode perf = JSON.readTree(file.toFile()).get("performance_metrics");

        assertThat(perf.get("avg_latency").isNull()).isTrue();
        assertThat(perf.get("error_rate").isNull()).isTrue();
        assertThat(perf.get("throughput").doubleValue()).isZero();
    }

    // ---- writeStats ----

    @Test
    void statsFileParsesAndMatchesGetStats() throws IOException {
        Path file = dir.resolve("stats.json");
        MonitorStats stats;
        MonitorStats later;
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            recordWorkload(monitor);
            stats = monitor.getStats();
            Exports.writeStats(stats, file);
            later = monitor.getStats();
        }

        JsonNode json = JSON.readTree(file.toFile());

        assertThat(json.get("total_captures").longValue()).isEqualTo(stats.totalCaptures()).isEqualTo(4);
        assertThat(json.get("total_reconstructions").longValue()).isEqualTo(stats.totalReconstructions()).isEqualTo(2);
        assertThat(json.at("/timing/total_forwards").longValue()).isEqualTo(stats.totalForwards()).isEqualTo(3);
        assertThat(json.at("/timing/total_forward_time").doubleValue())
                .isCloseTo(stats.totalForwardNanos() / 1e9, within(1e-12));
        assertThat(json.at("/retrieval/total_retrievals").longValue())
                .isEqualTo(stats.retrieval().totalRetrievals()).isEqualTo(5);
        assertThat(json.at("/retrieval/cache_hits").longValue()).isEqualTo(3);
        assertThat(json.at("/errors/total_errors").longValue()).isEqualTo(stats.totalErrors()).isEqualTo(1);
        assertThat(json.at("/errors/by_component/retrieval_system/java.lang.IllegalStateException").longValue())
                .isEqualTo(1);
        assertThat(json.at("/rejected_records/negative_duration").longValue()).isEqualTo(1);
        assertThat(json.get("avg_capture_time").doubleValue()).isCloseTo(stats.avgCaptureTime(), within(1e-12));
        assertThat(JSON.convertValue(json.at("/counts/states_captured_per_layer"),
                new TypeReference<Map<String, Long>>() { }))
                .isEqualTo(Map.of("0", 20L, "1", 8L, "2", 4L));
        assertThat(JSON.convertValue(json.get("states_stored_per_layer"), new TypeReference<Map<String, Long>>() { }))
                .isEqualTo(Map.of("0", 20L, "1", 6L, "2", 4L));
        // Nothing was recorded between the two reads, so a later getStats() agrees with the file too.
        assertThat(later.totalCaptures()).isEqualTo(json.get("total_captures").longValue());
        assertThat(later.totalErrors()).isEqualTo(json.at("/errors/total_errors").longValue());
    }

    @Test
    void statsFileEqualsStatsToMapAsJson() throws IOException {
        Path file = dir.resolve("stats.json");
        MonitorStats stats;
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            recordWorkload(monitor);
            stats = monitor.getStats();
            Exports.writeStats(stats, file);
        }

        assertThat(JSON.readTree(file.toFile())).isEqualTo(JSON.readTree(stats.toJson()));
    }

    // ---- writeTimeSeriesCsv ----

    @Test
    void timeSeriesCsvHasHeaderOneRowPerEntryAndConservesCaptureCounts() throws IOException {
        Path file = dir.resolve("series.csv");
        int intervals = 6;
        int capturesRecorded = 0;
        List<IntervalSnapshot> history;
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            for (int k = 0; k < intervals; k++) {
                for (int i = 0; i < k; i++) { // interval k holds k captures of (k + 1) ms each
                    monitor.recordCapture(i % 4, 2, (k + 1) * 1_000_000L);
                    capturesRecorded++;
                }
                monitor.recordForward(5_000_000L);
                monitor.collectInterval();
            }
            history = monitor.getHistory();
        }
        Exports.writeTimeSeriesCsv(history, file);

        Csv csv = readCsv(file);

        assertThat(csv.header).isEqualTo(Exports.timeSeriesColumns());
        assertThat(csv.rows).hasSize(history.size()).hasSize(intervals);
        assertThat(csv.rows.stream().mapToLong(r -> Long.parseLong(r.get("capture_count"))).sum())
                .isEqualTo(capturesRecorded);
        assertThat(csv.rows.stream().mapToLong(r -> Long.parseLong(r.get("forward_count"))).sum())
                .isEqualTo(intervals);
        for (int k = 0; k < intervals; k++) {
            Map<String, String> row = csv.rows.get(k);
            assertThat(Long.parseLong(row.get("capture_count"))).as("row %d", k).isEqualTo(k);
            assertThat(Double.parseDouble(row.get("capture_avg"))).as("row %d", k)
                    .isCloseTo(k == 0 ? 0.0 : (k + 1) / 1000.0, within(1e-12));
            assertThat(Long.parseLong(row.get("states_captured"))).as("row %d", k).isEqualTo(2L * k);
            assertThat(row.get("intervals")).isEqualTo("1");
            assertThat(Long.parseLong(row.get("start_epoch_ms"))).isEqualTo(history.get(k).startEpochMillis());
            assertThat(Long.parseLong(row.get("end_epoch_ms"))).isEqualTo(history.get(k).endEpochMillis());
            if (k > 0) {
                assertThat(row.get("start_epoch_ms")).isEqualTo(csv.rows.get(k - 1).get("end_epoch_ms"));
            }
        }
    }

    @Test
    void timeSeriesColumnsAreUnique() {
        List<String> columns = Exports.timeSeriesColumns();

        assertThat(columns).doesNotHaveDuplicates().startsWith("start_epoch_ms", "end_epoch_ms", "intervals")
                .contains("capture_count", "reconstruction_p99", "retrieval_max", "forward_avg", "buffer_utilization");
    }

    @Test
    void emptyTimeSeriesStillHasHeader() throws IOException {
        Path file = dir.resolve("empty.csv");

        Exports.writeTimeSeriesCsv(List.of(), file);

        assertThat(Files.readAllLines(file)).containsExactly(String.join(",", Exports.timeSeriesColumns()));
    }

    // ---- writeHealthHistoryCsv ----

    @Test
    void healthHistoryCsvRoundTripsEveryReportsStatusesAndScores() throws IOException {
        Path file = dir.resolve("health.csv");
        List<HealthReport> reports;
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(NO_BACKGROUND_COLLECTION)) {
            monitor.evaluateHealth(); // all NO_DATA
            recordWorkload(monitor);
            monitor.collectInterval();
            monitor.evaluateHealth();
            monitor.recordError("hook:tokenize", new IllegalStateException());
            monitor.evaluateHealth();
            reports = monitor.getHealthHistory();
        }
        Exports.writeHealthHistoryCsv(reports, file);

        Csv csv = readCsv(file);

        assertThat(csv.header).isEqualTo(Exports.healthColumns());
        assertThat(csv.rows).hasSize(3);
        for (int i = 0; i < reports.size(); i++) {
            HealthReport r = reports.get(i);
            Map<String, String> row = csv.rows.get(i);
            assertThat(Long.parseLong(row.get("timestamp_epoch_ms"))).isEqualTo(r.timestampEpochMillis());
            assertThat(HealthStatus.valueOf(row.get("system_status"))).isEqualTo(r.status());
            assertThat(score(row.get("system_score"))).isEqualTo(r.score());
            for (String component : HealthEvaluator.COMPONENTS) {
                assertThat(HealthStatus.valueOf(row.get(component + "_status"))).as("row %d %s", i, component)
                        .isEqualTo(r.component(component).status());
                assertThat(score(row.get(component + "_score"))).as("row %d %s", i, component)
                        .isEqualTo(r.component(component).score());
            }
        }
        assertThat(csv.rows.get(0).get("system_status")).isEqualTo("NO_DATA");
        assertThat(csv.rows.get(0).get("system_score")).isEmpty();
        assertThat(csv.rows.get(2).get("hooks_status")).isEqualTo("RED");
    }

    private static Integer score(String cell) {
        return cell.isEmpty() ? null : Integer.valueOf(cell);
    }

    private record Csv(List<String> header, List<Map<String, String>> rows) {
    }

    private static Csv readCsv(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> it = mapper.readerFor(new TypeReference<Map<String, String>>() { })
                .with(schema).readValues(file.toFile())) {
            List<Map<String, String>> rows = it.readAll();
            CsvSchema parsed = (CsvSchema) it.getParserSchema();
            List<String> header = new ArrayList<>();
            for (CsvSchema.Column column : parsed) {
                header.add(column.getName());
            }
            return new Csv(header, rows);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void everyWriteToTheRootFolderFailsNamingIt() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(
                MonitoringConfig.builder().enableResourceSampling(false).build())) {
            MonitorStats stats = monitor.getStats();
            HealthReport health = monitor.evaluateHealth();
            Path root = Path.of("/");
            List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> writes = List.of(
                    () -> Exports.writeStats(stats, root),
                    () -> Exports.writeReport(stats, health, root),
                    () -> Exports.writeDiagnostics(monitor.runDiagnostics(), root),
                    () -> Exports.writeTimeSeriesCsv(List.of(), root),
                    () -> Exports.writeResourcesCsv(List.of(), root),
                    () -> Exports.writeHealthHistoryCsv(List.of(), root),
                    () -> Exports.writeErrorsCsv(stats, root));
            for (var write : writes) {
                assertThatThrownBy(write).isInstanceOf(FileSystemException.class).hasMessage("/: is a directory");
            }
        }
    }
}
