package dev.cmr.model.memory;

import dev.cmr.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The file format of {@link LayeredMemoryBuffer#save} and {@link LayeredMemoryBuffer#load}.
 *
 * <p>Big-endian ({@link DataOutputStream}): int magic {@code 0x434D524D} ("CMRM"), int version {@code 1}, long
 * clock, long nextId, int entryCount, then per entry: long id, int layer, float relevance, long createdStep, long
 * lastAccessStep, long accessCount, int dimension, dimension floats; finally a long holding the CRC-32 of all
 * preceding bytes. Floats are stored bit-exactly. Entries appear in the order given to {@link #write} (the buffer
 * gives them layer by layer in ascending layer order, each layer in insertion order). Statistics and host times are
 * not stored.
 *
 * <p>Writing goes through {@link AtomicFiles}: a temporary file in the target's directory, forced to disk and moved
 * over the target, so a reader sees the old file or the new one. Reading checks everything a corrupt or truncated
 * file could get wrong before any of it reaches a buffer.
 *
 * <p>Stateless and lock-free: the buffer copies what is written under its own lock and installs what is read under
 * its own lock.
 */
final class MemoryBufferFile {
    private static final int MAGIC = 0x434D524D;
    private static final int VERSION = 1;
    /** Bytes of one entry record in the file, excluding its floats. */
    private static final int ENTRY_HEADER_BYTES = 8 + 4 + 4 + 8 + 8 + 8 + 4;
    private static final int FILE_HEADER_BYTES = 4 + 4 + 8 + 8 + 4;
    private static final int FILE_TRAILER_BYTES = 8;
    private static final int STREAM_BUFFER_BYTES = 1 << 16;

    /**
     * One entry's stored fields, copied while the buffer's lock is held, so that the access info agrees with the
     * saved clock even if the entry is touched while the file is written. {@code state} is the entry's own array,
     * which never changes.
     */
    record SavedEntry(long id, int layer, float relevance, long createdStep, long lastAccessStep, long accessCount,
                      float[] state) {
        static SavedEntry of(MemoryEntry e) {
            return new SavedEntry(e.id(), e.layer(), e.relevance(), e.createdStep(), e.lastAccessStep(),
                    e.accessCount(), e.stateRef());
        }
    }

    /** What a file held: the buffer's logical clock, its next entry id, and the entries in file order. */
    record Contents(long clock, long nextId, List<MemoryEntry> entries) {
    }

    private MemoryBufferFile() {
    }

    /**
     * Writes {@code entries} with {@code clock} and {@code nextId} to {@code path} atomically.
     *
     * @throws IOException if writing or the atomic move fails; the target is then left as it was
     */
    static void write(Path path, long clock, long nextId, List<SavedEntry> entries) throws IOException {
        AtomicFiles.write(path, out -> {
            OutputStream raw = new BufferedOutputStream(out, STREAM_BUFFER_BYTES);
            CRC32 crc = new CRC32();
            DataOutputStream body = new DataOutputStream(new CheckedOutputStream(raw, crc));
            body.writeInt(MAGIC);
            body.writeInt(VERSION);
            body.writeLong(clock);
            body.writeLong(nextId);
            body.writeInt(entries.size());
            for (SavedEntry e : entries) {
                body.writeLong(e.id());
                body.writeInt(e.layer());
                body.writeFloat(e.relevance());
                body.writeLong(e.createdStep());
                body.writeLong(e.lastAccessStep());
                body.writeLong(e.accessCount());
                body.writeInt(e.state().length);
                for (float f : e.state()) {
                    body.writeFloat(f);
                }
            }
            body.flush();
            DataOutputStream trailer = new DataOutputStream(raw);
            trailer.writeLong(crc.getValue());
            trailer.flush();
        });
    }

    /**
     * Reads a file written by {@link #write}. Each entry becomes a {@link MemoryEntry} as it is read, with ids,
     * steps and access info as saved and host times from {@code nanoClock} (read once per entry).
     *
     * @throws IOException whose message names the file when it is missing, truncated, corrupt (bad magic, version,
     *                     checksum or contents) or has trailing bytes
     */
    static Contents read(Path path, LongSupplier nanoClock) throws IOException {
        long fileSize = Files.size(path);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), STREAM_BUFFER_BYTES)) {
            CRC32 crc = new CRC32();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw corrupt(path, "bad magic 0x" + Integer.toHexString(magic) + " (not a memory buffer file)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw corrupt(path, "unsupported version " + version + " (expected " + VERSION + ")");
            }
            long savedClock = in.readLong();
            long savedNextId = in.readLong();
            int count = in.readInt();
            if (count < 0 || (long) count * (ENTRY_HEADER_BYTES + 4) > fileSize - FILE_HEADER_BYTES
                    - FILE_TRAILER_BYTES) {
                throw new IOException("memory buffer file " + path + " is truncated or corrupt: entry count " + count
                        + " does not fit a file of " + fileSize + " bytes");
            }
            List<MemoryEntry> restored = new ArrayList<>(count);
            Set<Long> ids = new HashSet<>();
            int dim = -1;
            for (int i = 0; i < count; i++) {
                long id = in.readLong();
                int layer = in.readInt();
                float relevance = in.readFloat();
                long created = in.readLong();
                long lastAccess = in.readLong();
                long accessCount = in.readLong();
                int d = in.readInt();
                if (d <= 0 || (long) d * 4 > fileSize) {
                    throw corrupt(path, "entry " + i + " has invalid dimension " + d);
                }
                if (dim >= 0 && d != dim) {
                    throw corrupt(path, "entry " + i + " has dimension " + d + ", earlier entries " + dim);
                }
                dim = d;
                float[] state = new float[d];
                for (int j = 0; j < d; j++) {
                    state[j] = in.readFloat();
                    if (!Float.isFinite(state[j])) {
                        throw corrupt(path, "entry " + i + " has a non-finite state value");
                    }
                }
                if (layer < 0 || !Float.isFinite(relevance) || id < 0 || id >= savedNextId || !ids.add(id)
                        || created < 0 || created > savedClock || lastAccess < created || lastAccess > savedClock
                        || accessCount < 0) {
                    throw corrupt(path, "entry " + i + " (id " + id + ") has inconsistent fields");
                }
                restored.add(new MemoryEntry(id, layer, state, relevance, created, lastAccess, accessCount,
                        nanoClock.getAsLong()));
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw corrupt(path, "checksum mismatch");
            }
            if (raw.read() != -1) {
                throw corrupt(path, "trailing bytes after the checksum");
            }
            return new Contents(savedClock, savedNextId, restored);
        } catch (EOFException e) {
            throw new IOException("memory buffer file " + path + " is truncated", e);
        }
    }

    private static IOException corrupt(Path path, String what) {
        return new IOException("memory buffer file " + path + " is corrupt: " + what);
    }
}
