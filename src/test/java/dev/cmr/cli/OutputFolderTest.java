package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
    @TempDir
    Path dir;

    @Test
    void preparingAFolderRemovesTheTempFilesAKilledWriterLeftBesideItsReports() throws IOException {
        Files.writeString(dir.resolve("stats.json"), "{}");
        Files.createTempFile(dir, ".stats.json", ".tmp");
        Files.createTempFile(dir, ".bottlenecks.html", ".tmp");
        Files.writeString(dir.resolve(".mine.json42.tmp"), "not a report of ours");

        OutputFolder.prepare("--out", dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("stats.json", ".mine.json42.tmp");
        }
    }
}
