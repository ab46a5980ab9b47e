package dev.cmr.monitor.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cmr.io.AtomicFiles;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.diagnose.DiagnosticsReport;
import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.health.ComponentHealth;
import dev.cmr.monitor.health.HealthEvaluator;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.StageInterval;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the monitor's outputs, each atomically ({@link AtomicFiles}): the seed-shaped JSON report (with health),
 * the full stats JSON, and as CSV the time series, resource utilization, the health history and the errors. JSON by
 * Jackson, CSV by jackson-dataformat-csv.
 */
public final class Exports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final CsvMapper CSV = new CsvMapper();

    private Exports() {
    }

    /** The seed-shaped report ({@link JsonReport}) with the given health evaluation. */
    public static void writeReport(MonitorStats stats, HealthReport health, Path file) throws IOException {
        Map<String, Object> report = JsonReport.of(stats, health);
        AtomicFiles.write(file, out -> JSON.writeValue(nonClosing(out), report));
    }

    public static void writeStats(MonitorStats stats, Path file) throws IOException {
        AtomicFiles.write(file, out -> JSON.writeValue(nonClosing(out), stats.toMap()));
    }

    /** {@link DiagnosticsReport#toMap()} as indented JSON. */
    public static void writeDiagnostics(DiagnosticsReport report, Path file) throws IOException {
        AtomicFiles.write(file, out -> JSON.writeValue(nonClosing(out), report.toMap()));
    }

    /** One row per time-series entry, oldest first; columns as {@link #timeSeriesColumns()}. Times in seconds. */
    public static void writeTimeSeriesCsv(List<IntervalSnapshot> history, Path file) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String column : timeSeriesColumns()) {
            schema.addColumn(column);
        }
        List<Map<String, Object>> rows = new ArrayList<>(history.size());
        for (IntervalSnapshot s : history) {
            rows.add(row(s));
        }
        AtomicFiles.write(file, out -> CSV.writer(schema.build()).writeValue(nonClosing(out), rows));
    }

    public static List<String> timeSeriesColumns() {
        List<String> columns = new ArrayList<>(List.of("start_epoch_ms", "end_epoch_ms", "intervals"));
        for (Stage stage : MonitorStats.TIMED) {
            String p = stage.key() + "_";
            columns.addAll(List.of(p + "count", p + "avg", p + "p50", p + "p99", p + "max"));
        }
        columns.addAll(List.of("states_captured", "states_stored", "memories_used", "cache_hits", "evictions", "errors",
                "rejected", "buffer_entries", "buffer_bytes", "buffer_utilization"));
        return columns;
    }

    /**
     * Resource utilization: one row per time-series entry, oldest first, with the entry's end time
     * ({@code end_epoch_ms}, as in the time series CSV, so the two join on it) and then one column per resource gauge
     * seen anywhere in {@code history} ({@code <source>.<gauge>}, sorted). A gauge an entry lacks is an empty cell.
     * For a downsampled entry the values are the newest reading within its span.
     */
    public static void writeResourcesCsv(List<IntervalSnapshot> history, Path file) throws IOException {
        List<String> columns = resourceColumns(history);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String column : columns) {
            schema.addColumn(column);
        }
        List<Map<String, Object>> rows = new ArrayList<>(history.size());
        for (IntervalSnapshot s : history) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("end_epoch_ms", s.endEpochMillis());
            for (String gauge : columns.subList(1, columns.size())) {
                Double value = s.resources().get(gauge);
                row.put(gauge, value == null ? "" : value);
            }
            rows.add(row);
        }
        // Strict quoting: Jackson otherwise quotes every value longer than 24 characters, gauge names included.
        AtomicFiles.write(file, out -> CSV.writer(schema.build()).with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                .writeValue(nonClosing(out), rows));
    }

    /** {@code end_epoch_ms}, then every resource gauge present in {@code history}, sorted. */
    public static List<String> resourceColumns(List<IntervalSnapshot> history) {
        TreeSet<String> gauges = new TreeSet<>();
        for (IntervalSnapshot s : history) {
            gauges.addAll(s.resources().keySet());
        }
        List<String> columns = new ArrayList<>(gauges.size() + 1);
        columns.add("end_epoch_ms");
        columns.addAll(gauges);
        return columns;
    }

    private static Map<String, Object> row(IntervalSnapshot s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("start_epoch_ms", s.startEpochMillis());
        row.put("end_epoch_ms", s.endEpochMillis());
        row.put("intervals", s.intervals());
        for (Stage stage : MonitorStats.TIMED) {
            StageInterval st = s.stage(stage);
            String p = stage.key() + "_";
            row.put(p + "count", st.count());
            row.put(p + "avg", st.meanNanos() / 1e9);
            row.put(p + "p50", st.p50Nanos() / 1e9);
            row.put(p + "p99", st.p99Nanos() / 1e9);
            row.put(p + "max", st.maxNanos() / 1e9);
        }
        row.put("states_captured", s.statesCaptured());
        row.put("states_stored", s.statesStored());
        row.put("memories_used", s.memoriesUsed());
        row.put("cache_hits", s.cacheHits());
        row.put("evictions", s.evictions());
        row.put("errors", s.errors());
        row.put("rejected", s.rejected());
        row.put("buffer_entries", s.bufferEntries());
        row.put("buffer_bytes", s.bufferBytes());
        row.put("buffer_utilization", Double.isNaN(s.bufferUtilization()) ? "" : s.bufferUtilization());
        return row;
    }

    /**
     * One row per health report, oldest first; columns as {@link #healthColumns()}: the timestamp, overall status
     * and score, then each component's status and score (empty score for NO_DATA).
     */
    public static void writeHealthHistoryCsv(List<HealthReport> reports, Path file) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String column : healthColumns()) {
            schema.addColumn(column);
        }
        List<Map<String, Object>> rows = new ArrayList<>(reports.size());
        for (HealthReport r : reports) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("timestamp_epoch_ms", r.timestampEpochMillis());
            row.put("system_status", r.status().name());
            row.put("system_score", r.score() == null ? "" : r.score());
            for (String component : HealthEvaluator.COMPONENTS) {
                ComponentHealth c = r.component(component);
                row.put(component + "_status", c.status().name());
                row.put(component + "_score", c.score() == null ? "" : c.score());
            }
            rows.add(row);
        }
        AtomicFiles.write(file, out -> CSV.writer(schema.build()).writeValue(nonClosing(out), rows));
    }

    public static List<String> healthColumns() {
        List<String> columns = new ArrayList<>(List.of("timestamp_epoch_ms", "system_status", "system_score"));
        for (String component : HealthEvaluator.COMPONENTS) {
            columns.add(component + "_status");
            columns.add(component + "_score");
        }
        return columns;
    }

    /**
     * Errors per component and exception class since start or reset, from {@code stats}: one row per (component,
     * exception class), sorted by component then class; columns as {@link #errorsColumns()}. The component's last
     * error (class, message, time) is repeated on each of its rows; {@code last_error_epoch_ms} and
     * {@code last_error_message} are empty when the stats hold none for it. Messages are quoted by Jackson as CSV
     * needs (commas, quotes, line breaks).
     */
    public static void writeErrorsCsv(MonitorStats stats, Path file) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String column : errorsColumns()) {
            schema.addColumn(column);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        stats.errorsByComponent().forEach((component, byType) -> {
            long componentTotal = byType.values().stream().mapToLong(Long::longValue).sum();
            ErrorCounter.LastError last = stats.lastErrors().get(component);
            new TreeMap<>(byType).forEach((type, count) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("component", component);
                row.put("exception_class", type);
                row.put("count", count);
                row.put("component_total", componentTotal);
                row.put("last_error_class", last == null ? "" : last.exceptionClass());
                row.put("last_error_epoch_ms", last == null ? "" : last.epochMillis());
                row.put("last_error_message", last == null ? "" : last.message());
                rows.add(row);
            });
        });
        AtomicFiles.write(file, out -> CSV.writer(schema.build()).writeValue(nonClosing(out), rows));
    }

    public static List<String> errorsColumns() {
        return List.of("component", "exception_class", "count", "component_total", "last_error_class",
                "last_error_epoch_ms", "last_error_message");
    }

    /** Jackson closes the streams it is given; AtomicFiles must close (and force) the file itself. */
    private static java.io.OutputStream nonClosing(java.io.OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
