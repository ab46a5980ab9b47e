package dev.cmr.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleTempFilesTest {
    @TempDir
    Path dir;

    @Test
    void deletesOnlyTheTempFilesAtomicFilesMakesForTheNamedTargets() throws IOException {
        Path statsTemp = Files.createTempFile(dir, ".stats.json", ".tmp"); // AtomicFiles' own naming
        Path traceTemp = Files.createTempFile(dir, ".trace.json", ".tmp");
        List<String> kept = List.of("stats.json", ".other.json123.tmp", ".stats.json.tmp", ".stats.jsonx12.tmp",
                "stats.json123.tmp", ".stats.json123.tmp.bak", "notes.tmp");
        for (String name : kept) {
            Files.writeString(dir.resolve(name), name);
        }

        List<Path> deleted = StaleTempFiles.sweep(dir, List.of("stats.json", "trace.json"));

        assertThat(deleted).containsExactlyInAnyOrder(statsTemp, traceTemp);
        assertThat(names(dir)).containsExactlyInAnyOrderElementsOf(kept);
    }

    @Test
    void aTempFileLeftByAnInterruptedAtomicWriteIsRecognised() throws IOException {
        Path target = dir.resolve("report.json");
        try {
            AtomicFiles.write(target, out -> {
                assertThat(names(dir)).singleElement().satisfies(
                        temp -> assertThat(StaleTempFiles.isTempOf(temp, "report.json")).as(temp).isTrue());
                throw new IOException("stop");
            });
        } catch (IOException expected) {
            // the write is abandoned; what it left is checked above
        }
    }

    @Test
    void aMissingFolderHasNothingToSweep() {
        assertThat(StaleTempFiles.sweep(dir.resolve("absent"), List.of("stats.json"))).isEmpty();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

}
