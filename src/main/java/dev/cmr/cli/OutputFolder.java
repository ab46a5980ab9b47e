package dev.cmr.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output-folder option before any work: the folder exists or can be created, is a folder, and can be
 * written, so that a bad location fails at startup with the option's name instead of after a long run.
 */
final class OutputFolder {
    private OutputFolder() {
    }

    /**
     * Creates {@code dir} if needed.
     *
     * @throws IllegalArgumentException naming {@code option}, the path and what is wrong
     */
    static void prepare(String option, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(option + " " + dir + ": exists and is not a folder");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + dir + ": cannot create the folder: " + reason(e));
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(option + " " + dir + ": the folder is not writable");
        }
    }

    /** The reason alone: the JDK's message repeats the path the caller already names. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
