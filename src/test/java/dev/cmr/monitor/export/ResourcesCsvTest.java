package dev.cmr.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.StageInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourcesCsvTest {

    @TempDir
    Path dir;

    private static IntervalSnapshot entry(long endMillis, Map<String, Double> resources) {
        StageInterval e = StageInterval.EMPTY;
        return new IntervalSnapshot(endMillis - 1000, endMillis, 1, e, e, e, e, e, e, e, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Double.NaN, resources);
    }

    private static List<Map<String, String>> read(Path file) throws IOException {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            return it.readAll();
        }
    }

    @Test
    void oneRowPerEntryWithEveryGaugeSeenAndEmptyCellsWhereAGaugeIsMissing() throws IOException {
        List<IntervalSnapshot> history = List.of(
                entry(2000, Map.of("host.process_rss_bytes", 1.5e8, "jvm.jvm_gc_time_ms", 12.0,
                        "host.system_memory_total_bytes", 8.0e9)),
                entry(3000, Map.of("host.process_rss_bytes", 1.6e8, "nvml0.gpu_power_mw", 70500.0)));
        Path file = dir.resolve("resources.csv");

        Exports.writeResourcesCsv(history, file);

        assertThat(Files.readAllLines(file).get(0))
                .isEqualTo("end_epoch_ms,host.process_rss_bytes,host.system_memory_total_bytes,jvm.jvm_gc_time_ms,"
                        + "nvml0.gpu_power_mw");
        List<Map<String, String>> rows = read(file);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("end_epoch_ms", "2000").containsEntry("jvm.jvm_gc_time_ms", "12.0")
                .containsEntry("nvml0.gpu_power_mw", "");
        assertThat(Double.parseDouble(rows.get(1).get("host.process_rss_bytes"))).isEqualTo(1.6e8);
        assertThat(rows.get(1)).containsEntry("jvm.jvm_gc_time_ms", "")
                .containsEntry("host.system_memory_total_bytes", "").containsEntry("nvml0.gpu_power_mw", "70500.0");
    }

    @Test
    void historyWithoutResourcesGivesTheTimestampColumnOnly() throws IOException {
        Path file = dir.resolve("resources.csv");

        Exports.writeResourcesCsv(List.of(entry(5000, Map.of())), file);

        assertThat(Files.readAllLines(file)).containsExactly("end_epoch_ms", "5000");
    }
}
