package dev.cmr.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The errors CSV: counts per component and exception class, with each component's last error. */
class ErrorsCsvTest {
    private static final MonitoringConfig CONFIG = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).build();

    @TempDir
    Path dir;

    @Test
    void aHostileMessageWithCommasQuotesAndLineBreaksReadsBackUnchanged() throws IOException {
        String hostile = "bad \"index\", row 3\nsecond line, with ,commas\r\nand \"\"quotes\"\"";
        Path file = dir.resolve("errors.csv");
        MonitorStats stats;
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            monitor.recordError("retrieval", new IllegalStateException("first"));
            monitor.recordError("retrieval", new IllegalStateException("second"));
            monitor.recordError("retrieval", new IllegalArgumentException(hostile));
            monitor.recordError("hooks, \"pre\"", new RuntimeException((String) null));
            stats = monitor.getStats();
        }

        Exports.writeErrorsCsv(stats, file);
        List<Map<String, String>> rows = read(file);

        assertThat(rows).extracting(r -> r.get("component") + "|" + r.get("exception_class") + "|" + r.get("count"))
                .containsExactly("hooks, \"pre\"|java.lang.RuntimeException|1",
                        "retrieval|java.lang.IllegalArgumentException|1",
                        "retrieval|java.lang.IllegalStateException|2");
        Map<String, String> retrieval = rows.get(1);
        assertThat(retrieval.get("component_total")).isEqualTo("3");
        assertThat(retrieval.get("last_error_class")).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(retrieval.get("last_error_message")).isEqualTo(hostile);
        assertThat(rows.get(2).get("last_error_message")).isEqualTo(hostile);
        assertThat(Long.parseLong(retrieval.get("last_error_epoch_ms"))).isPositive();
        assertThat(rows.get(0).get("last_error_message")).isEmpty();
    }

    @Test
    void aLongMessageIsCutToTheBound() throws IOException {
        Path file = dir.resolve("errors.csv");
        MonitorStats stats;
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            monitor.recordError("capture", new IllegalStateException("x".repeat(5_000)));
            stats = monitor.getStats();
        }

        Exports.writeErrorsCsv(stats, file);

        assertThat(read(file)).singleElement().satisfies(r -> assertThat(r.get("last_error_message"))
                .isEqualTo("x".repeat(dev.cmr.monitor.engine.ErrorCounter.MAX_MESSAGE_CHARS)));
    }

    @Test
    void noErrorsGiveTheHeaderAlone() throws IOException {
        Path file = dir.resolve("errors.csv");
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG)) {
            Exports.writeErrorsCsv(monitor.getStats(), file);
        }
        assertThat(java.nio.file.Files.readAllLines(file)).containsExactly(String.join(",", Exports.errorsColumns()));
    }

    private static List<Map<String, String>> read(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            return it.readAll();
        }
    }
}
