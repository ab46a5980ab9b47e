package dev.cmr.monitor.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.io.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends each notification to a file as one JSON object per line ({@link AlertNotification#toMap()}, written by
 * Jackson). Contract:
 * <ol>
 *   <li>One notification is one line: the whole line, newline included, goes to the end of the file before
 *       {@link #send} returns, and is forced to the storage device (alerts are rare, so the cost is acceptable).</li>
 *   <li>Writers in one JVM are serialized per file (a lock per absolute path, shared by every instance), so lines
 *       from concurrent senders never interleave. Across processes an exclusive {@link FileLock} serializes
 *       writers that also lock (advisory on most systems).</li>
 *   <li>The file is opened per notification, so a log rotator may move it away between notifications; the next
 *       one creates it again. The constructor creates missing parent directories and opens the file for writing
 *       once (creating it empty when missing), so a bad path (a directory, a folder that is a file, a place this
 *       process may not write) is a startup error.</li>
 *   <li>Crash safety: a crash in the middle of a write can leave a last line without its newline. Before writing,
 *       the channel checks the last byte and starts with a newline if it is missing, so a torn line stays one
 *       unparsable line and never corrupts the next record. Readers should skip a line that does not parse.</li>
 *   <li>A failed write is a {@link java.nio.file.FileSystemException} naming the file and the reason
 *       ({@code out/alerts.jsonl: no space left on device}).</li>
 * </ol>
 * Blocking: {@link #send} does file I/O and may wait for the file lock.
 */
public final class JsonLinesFileChannel implements AlertChannel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final byte NEWLINE = '\n';

    private final Path file;
    private final ReentrantLock lock;

    /**
     * @throws IllegalArgumentException {@code alert file <path>: <problem>} when the file cannot be written there:
     *         the path is a directory, its folder is a file or cannot be created, or opening it for writing fails
     */
    public JsonLinesFileChannel(Path file) {
        this.file = file.toAbsolutePath().normalize();
        Path dir = this.file.getParent();
        if (dir == null || Files.isDirectory(this.file)) {
            throw refused("is a directory");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw refused("its folder " + dir + " is not a folder");
        }
        try {
            Files.createDirectories(dir);
            // Opening proves the file can be written here, for whoever runs this (root ignores permissions but not
            // a file system that refuses new files); an existing file is left as it is.
            FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw refused(IoErrors.folderReason(e));
        }
        this.lock = LOCKS.computeIfAbsent(this.file, p -> new ReentrantLock());
    }

    private IllegalArgumentException refused(String problem) {
        return new IllegalArgumentException("alert file " + file + ": " + problem);
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    @SuppressWarnings("try") // the FileLock is held for the body and released by try-with-resources
    public void send(AlertNotification n) throws IOException {
        byte[] json = JSON.writeValueAsBytes(n.toMap());
        lock.lock();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            long end = channel.size();
            boolean tornLastLine = end > 0 && lastByte(channel, end) != NEWLINE;
            ByteBuffer line = ByteBuffer.allocate(json.length + (tornLastLine ? 2 : 1));
            if (tornLastLine) {
                line.put(NEWLINE);
            }
            line.put(json).put(NEWLINE).flip();
            long position = end;
            while (line.hasRemaining()) {
                position += channel.write(line, position);
            }
            channel.force(false);
        } catch (IOException e) {
            throw IoErrors.naming(file, e);
        } finally {
            lock.unlock();
        }
    }

    private static byte lastByte(FileChannel channel, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (one.hasRemaining()) {
            if (channel.read(one, size - 1 + one.position()) < 0) {
                throw new IOException("alert file shrank while locked");
            }
        }
        return one.get(0);
    }
}
