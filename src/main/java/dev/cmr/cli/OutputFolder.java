package dev.cmr.cli;

import dev.cmr.io.IoErrors;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
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
            throw new IllegalArgumentException(option + " " + dir + ": " + IoErrors.folderReason(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + dir + ": cannot create the folder: "
                    + IoErrors.folderReason(e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(option + " " + dir + ": the folder is not writable");
        }
    }
}
