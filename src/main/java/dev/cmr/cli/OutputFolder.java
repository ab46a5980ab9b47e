package dev.cmr.cli;

import dev.cmr.io.IoErrors;
import dev.cmr.io.StaleTempFiles;
import dev.cmr.monitor.profile.ReportFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an output-folder option before any work: the folder exists or can be created, is a folder, and can be
 * written, so that a bad location fails at startup with the option's name instead of after a long run. Preparing
 * also removes the temporary files a killed run left beside the reports the commands write ({@link StaleTempFiles}).
 */
final class OutputFolder {
    /** Every report file a command writes into an output folder. */
    static final List<String> REPORT_FILES = List.of("report.json", "stats.json", "timeseries.csv", "resources.csv",
            "health.csv", "diagnostics.json", "errors.csv", ReportFiles.PROFILE_JSON, ReportFiles.MARKDOWN, ReportFiles.HTML,
            ReportFiles.TRACE);

    private OutputFolder() {
    }

    /**
     * Creates {@code dir} if needed and deletes the stale temporary files of {@link #REPORT_FILES} in it.
     *
     * @throws IllegalArgumentException naming {@code option}, the path and what is wrong
     */
    static void prepare(String option, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(option + " " + dir + ": " + IoErrors.folderReason(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + dir + ": cannot create the folder: "
                    + IoErrors.folderReason(e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(option + " " + dir + ": the folder is not writable");
        }
        try {
            StaleTempFiles.sweep(dir, REPORT_FILES);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(option + " " + dir + ": " + e.getMessage(), e);
        }
    }
}
