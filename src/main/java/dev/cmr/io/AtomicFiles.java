package dev.cmr.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that readers see either the old content or the new, never a part: the content goes to a temporary
 * file in the same directory, is forced to disk, then renamed over the target. If writing fails midway the
 * temporary file is deleted and the target is untouched. Every file-system failure names the target and the reason
 * ({@link IoErrors}). Stateless and thread-safe.
 */
public final class AtomicFiles {
    /** Writes the content to a stream; the stream must not be closed by the writer. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The temporary file of a write to {@code name} is {@code tempPrefix(name) + <digits> + TEMP_SUFFIX}. */
    static final String TEMP_SUFFIX = ".tmp";

    static String tempPrefix(String targetName) {
        return "." + targetName;
    }

    private AtomicFiles() {
    }

    /**
     * Temporary files are created owner-only; give the new file the permissions of the one it replaces, or
     * rw-r--r-- for a new file, so that a report stays readable by whoever could read it before.
     */
    private static void keepPermissions(Path target, Path temp) throws IOException {
        if (!Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target) : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temp, permissions);
    }

    /**
     * Writes {@code target} atomically.
     *
     * @throws FileSystemException naming {@code target} (never the temporary file) and the reason, e.g.
     *         {@code out/stats.json: permission denied}; an {@link java.nio.file.AccessDeniedException} when access
     *         was denied, a {@link java.nio.file.NoSuchFileException} when something was missing
     * @throws IOException whatever else {@code content} throws, unchanged (a failed write to its stream, such as
     *         a full disk, is a {@link FileSystemException} naming the target)
     */
    public static void write(Path target, ContentWriter content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || Files.isDirectory(absolute)) {
            throw new FileSystemException(target.toString(), null, "is a directory");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FileSystemException(target.toString(), null, "its folder " + dir + " is not a folder");
        }
        try {
            replace(target, absolute, dir, content);
        } catch (FileSystemException e) {
            throw IoErrors.naming(target, e);
        }
    }

    private static void replace(Path target, Path absolute, Path dir, ContentWriter content) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, tempPrefix(absolute.getFileName().toString()), TEMP_SUFFIX);
        try {
            keepPermissions(absolute, temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new TargetStream(Channels.newOutputStream(channel), target);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            // No non-atomic fallback: where the file system cannot rename atomically, failing beats a torn file.
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The temporary file's stream, as the content writer sees it: a write that fails (a full disk gives a plain
     * {@code IOException("No space left on device")}) fails naming the target, so it reads apart from the
     * writer's own exceptions, which pass through unchanged.
     */
    private static final class TargetStream extends OutputStream {
        private final OutputStream out;
        private final Path target;

        TargetStream(OutputStream out, Path target) {
            this.out = out;
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw IoErrors.naming(target, e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw IoErrors.naming(target, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw IoErrors.naming(target, e);
            }
        }

        /** The channel is closed (after forcing) by {@link #write}; a writer that closes its stream closes nothing. */
        @Override
        public void close() {
        }
    }
}
