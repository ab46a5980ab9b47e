package dev.cmr.monitor.profile;

import dev.cmr.io.AtomicFiles;
import dev.cmr.io.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the report files of a profile into a directory, each atomically ({@link AtomicFiles}: a reader sees the old
 * file or the new one, never a part): {@value #PROFILE_JSON} ({@link ProfileResults#toJson}), {@value #MARKDOWN}
 * ({@link BottleneckReport}), {@value #HTML} ({@link BottleneckHtml}) and {@value #TRACE} ({@link ChromeTrace}). The
 * directory is created with its parents when missing. A failure is an {@link UncheckedIOException} whose message
 * names the directory or the file and the reason; files written before it stay. Stateless and thread-safe; two
 * writers of one directory leave one complete version of each file.
 */
public final class ReportFiles {
    public static final String PROFILE_JSON = "profile.json";
    public static final String MARKDOWN = "bottlenecks.md";
    public static final String HTML = "bottlenecks.html";
    public static final String TRACE = "trace.json";

    private ReportFiles() {
    }

    /** Writes the four files; returns their paths in the order above. */
    public static List<Path> writeAll(ProfileResults results, Path dir) {
        List<Path> written = new ArrayList<>();
        createDirectory(dir);
        written.add(write(dir.resolve(PROFILE_JSON), results.toJson()));
        written.addAll(writeViews(results, dir));
        return written;
    }

    /** Writes the files rendered from a profile (markdown, html, trace), not profile.json; returns their paths. */
    public static List<Path> writeViews(ProfileResults results, Path dir) {
        createDirectory(dir);
        List<Path> written = new ArrayList<>();
        written.add(write(dir.resolve(MARKDOWN), BottleneckReport.markdown(results)));
        written.add(write(dir.resolve(HTML), BottleneckHtml.render(results)));
        Path trace = dir.resolve(TRACE);
        try {
            AtomicFiles.write(trace, out -> ChromeTrace.write(results, out));
        } catch (IOException e) {
            throw cannot("write report file", trace, e);
        }
        written.add(trace);
        return written;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw cannot("create report directory", dir, e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw cannot("write report file", file, e);
        }
        return file;
    }

    /** {@code cannot write report file out/trace.json: permission denied}. */
    private static UncheckedIOException cannot(String what, Path path, IOException e) {
        return new UncheckedIOException("cannot " + what + " " + path + ": " + IoErrors.folderReason(e), e);
    }
}
