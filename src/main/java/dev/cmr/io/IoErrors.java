package dev.cmr.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns an {@link IOException} into the words a person reads after a path: {@code out/stats.json: permission
 * denied}. The JDK's messages for file-system errors are often only a path (the one the caller names anyway, or a
 * temporary file's), so the reason is taken from the exception's type or the operating system's reason, lower-cased.
 * Stateless.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * The reason alone, without any path: {@code not found}, {@code permission denied}, {@code already exists},
     * {@code is a directory}, {@code not a directory}, {@code no space left on device}, {@code not valid UTF-8}, or
     * the operating system's or the exception's own words.
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof CharacterCodingException) {
            return "not valid UTF-8";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? lowerFirst(f.getReason()) : e.getClass().getSimpleName();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : lowerFirst(message);
    }

    /**
     * Why a folder could not be created: as {@link #reason}, except that an existing file in its place reads
     * {@code exists and is not a folder}.
     */
    public static String folderReason(IOException e) {
        return e instanceof FileAlreadyExistsException ? "exists and is not a folder" : reason(e);
    }

    /** {@code path: reason}, the one line a person meets. */
    public static String describe(Path path, IOException e) {
        return path + ": " + reason(e);
    }

    /**
     * The same failure, naming {@code path} (the file the caller meant) instead of whatever file the JDK named, of
     * the same type where the type says something ({@link AccessDeniedException}, {@link NoSuchFileException}), else
     * a {@link FileSystemException}; the original is the cause.
     */
    public static FileSystemException naming(Path path, IOException e) {
        String file = path.toString();
        String reason = reason(e);
        FileSystemException named;
        if (e instanceof AccessDeniedException) {
            named = new AccessDeniedException(file, null, reason);
        } else if (e instanceof NoSuchFileException) {
            named = new NoSuchFileException(file, null, reason);
        } else {
            named = new FileSystemException(file, null, reason);
        }
        named.initCause(e);
        return named;
    }

    // The operating system says "Is a directory"; after a path and a colon it reads as "x: is a directory".
    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }
}
