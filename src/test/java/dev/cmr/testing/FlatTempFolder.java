package dev.cmr.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary folder of plain files for test classes that cannot use JUnit's {@code @TempDir} (jqwik properties):
 * made by {@link #create}, removed with its files by {@link #delete}.
 */
public final class FlatTempFolder {
    private FlatTempFolder() {
    }

    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes the files directly in {@code dir}, then {@code dir}. */
    public static void delete(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
