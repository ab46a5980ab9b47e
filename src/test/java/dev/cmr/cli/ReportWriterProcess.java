package dev.cmr.cli;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.export.Exports;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.profile.ReportFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The child process of {@link KilledReportWriterTest}: writes one kind of report into a folder in a tight loop, each
 * version larger or different from the one before, until it is killed. Before each version it renders the same
 * content into a scratch folder and prints {@code H <file name> <sha-256>} (flushed), so that every version that can
 * reach the target has been announced before its write starts; after each version it prints {@code W <n>}.
 *
 * <p>Arguments: the kind ({@link Kind}), the target folder, the scratch folder.
 */
public final class ReportWriterProcess {
    /** The report kinds, each one writer of the library. */
    public enum Kind {
        STATS_JSON(List.of("stats.json")),
        REPORT_JSON(List.of("report.json")),
        TIMESERIES_CSV(List.of("timeseries.csv")),
        ERRORS_CSV(List.of("errors.csv")),
        PROFILE_FILES(List.of(ReportFiles.PROFILE_JSON, ReportFiles.MARKDOWN, ReportFiles.HTML, ReportFiles.TRACE));

        public final List<String> files;

        Kind(List<String> files) {
            this.files = files;
        }
    }

    private ReportWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Kind kind = Kind.valueOf(args[0]);
        Path target = Path.of(args[1]);
        Path scratch = Path.of(args[2]);
        PrintStream out = System.out;
        MonitoringConfig config = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).enableProfiling(kind == Kind.PROFILE_FILES).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config)) {
            for (int version = 1; ; version++) {
                grow(monitor, kind, version);
                MonitorStats stats = monitor.getStats();
                Writer writer = writer(kind, monitor, stats);
                writer.write(scratch);
                for (String name : kind.files) {
                    out.println("H " + name + " " + sha256(Files.readAllBytes(scratch.resolve(name))));
                }
                out.flush();
                writer.write(target);
                out.println("W " + version);
                out.flush();
            }
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path dir) throws IOException;
    }

    /** Writes the same content into whichever folder it is given. */
    private static Writer writer(Kind kind, CmrPerformanceMonitor monitor, MonitorStats stats) {
        return switch (kind) {
            case STATS_JSON -> dir -> Exports.writeStats(stats, dir.resolve("stats.json"));
            case REPORT_JSON -> {
                var health = monitor.evaluateHealth();
                yield dir -> Exports.writeReport(stats, health, dir.resolve("report.json"));
            }
            case TIMESERIES_CSV -> {
                var history = monitor.getHistory();
                yield dir -> Exports.writeTimeSeriesCsv(history, dir.resolve("timeseries.csv"));
            }
            case ERRORS_CSV -> dir -> Exports.writeErrorsCsv(stats, dir.resolve("errors.csv"));
            case PROFILE_FILES -> {
                ProfileResults results = monitor.getProfileResults();
                yield results::writeReport;
            }
        };
    }

    /** Adds to what the next version reports, so that consecutive versions differ and grow. */
    private static void grow(CmrPerformanceMonitor monitor, Kind kind, int version) {
        int layer = version % 32;
        switch (kind) {
            case STATS_JSON, REPORT_JSON -> {
                for (int i = 0; i < 50; i++) {
                    monitor.recordLayer(layer, 1_000L * (version + i));
                    monitor.recordCapture(layer, 3, 2, 500L * version + i);
                    monitor.recordForward(100_000L * version + i);
                }
            }
            case TIMESERIES_CSV -> {
                monitor.recordForward(100_000L * version);
                monitor.collectInterval();
            }
            case ERRORS_CSV -> monitor.recordError("component_" + (version % 60),
                    new IllegalStateException("failure " + version + ", with \"quotes\", commas\nand a line break "
                            + "x".repeat(version % 200)));
            case PROFILE_FILES -> {
                try (ProfileBlock block = monitor.profileExecution("forward")) {
                    long t = System.nanoTime();
                    for (int l = 0; l < 4; l++) {
                        monitor.recordLayerSpan(l, t + l * 1_000L, t + (l + 1) * 1_000L + version);
                    }
                    monitor.recordForward(5_000L + version);
                }
            }
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
