package dev.cmr.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Removes the temporary files that {@link AtomicFiles#write} leaves behind when its process is killed between
 * creating the temporary file and renaming it over the target (SIGKILL, power loss): {@code "." + <target name> +
 * <digits> + ".tmp"} in the target's folder, the name {@code Files.createTempFile(dir, "." + name, ".tmp")} gives.
 * Only files of that exact shape for the given target names are touched; the targets themselves and every other
 * file stay.
 *
 * <p>Call it when a folder is opened for writing, before any writer of it starts: a temporary file of a write in
 * progress in another process looks the same as a stale one, so two processes writing one folder at the same time
 * must not both sweep it. Stateless and thread-safe.
 */
public final class StaleTempFiles {
    private StaleTempFiles() {
    }

    /**
     * Deletes the stale temporary files of {@code targetNames} (file names, no folders) in {@code dir}; a missing
     * folder has none.
     *
     * @return the files deleted
     * @throws UncheckedIOException naming the folder or the file and the reason, when the folder cannot be listed or
     *                              a file cannot be deleted
     */
    public static List<Path> sweep(Path dir, Collection<String> targetNames) {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return deleted;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (isTempOfAny(name, targetNames) && Files.isRegularFile(entry)) {
                    delete(entry);
                    deleted.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + " for stale temporary files: " + IoErrors.reason(e), e);
        }
        return deleted;
    }

    /** Whether {@code fileName} is a temporary file AtomicFiles makes for {@code targetName}. */
    static boolean isTempOf(String fileName, String targetName) {
        String prefix = AtomicFiles.tempPrefix(targetName);
        if (!fileName.startsWith(prefix) || !fileName.endsWith(AtomicFiles.TEMP_SUFFIX)) {
            return false;
        }
        int from = prefix.length();
        int to = fileName.length() - AtomicFiles.TEMP_SUFFIX.length();
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(fileName.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTempOfAny(String fileName, Collection<String> targetNames) {
        for (String target : targetNames) {
            if (isTempOf(fileName, target)) {
                return true;
            }
        }
        return false;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            // removed meanwhile: nothing left to do
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete stale temporary file " + file + ": " + IoErrors.reason(e), e);
        }
    }
}
