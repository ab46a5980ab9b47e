package dev.cmr.model.io;

import static dev.cmr.testing.CleanRejection.acceptsOrRejects;
import static dev.cmr.testing.CleanRejection.rejects;

import dev.cmr.testing.FlatTempFolder;
import dev.cmr.testing.JsonMutations;
import dev.cmr.testing.JsonMutations.Mutant;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the safetensors header parser: random bytes, huge header-length claims, and mutants of a valid header over
 * a small data section (wrong types, huge and negative dims and offsets, overlapping and out-of-file ranges,
 * invalid UTF-8). Every file is read or refused with a {@link WeightFileException} whose one-line message starts
 * with the file's path, within {@code CleanRejection.LIMIT}, without allocating what a claim says.
 */
class SafetensorsFuzzProperties {
    private static final String HEADER = """
            {"__metadata__": {"format": "pt"},
             "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
             "b": {"dtype": "F16", "shape": [4], "data_offsets": [24, 32]},
             "c": {"dtype": "BF16", "shape": [], "data_offsets": [32, 34]},
             "d": {"dtype": "I64", "shape": [0, 7], "data_offsets": [34, 34]}}""";
    private static final int DATA_BYTES = 40;

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = FlatTempFolder.create("safetensors-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        FlatTempFolder.delete(dir);
    }

    private static Path file(long claimedLength, byte[] header, int dataBytes) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(claimedLength).put(header);
        Path file = dir.resolve("model.safetensors");
        Files.write(file, bytes.array());
        return file;
    }

    private static void readOrRefuse(Path file) {
        acceptsOrRejects(WeightFileException.class, file.toString(), () -> SafetensorsFile.read(file));
    }

    @Provide
    Arbitrary<Mutant> headers() {
        return JsonMutations.all(HEADER);
    }

    @Property(tries = 500)
    void aMutatedHeaderIsReadOrRefusedNamingTheFile(@ForAll("headers") Mutant m) throws IOException {
        byte[] header = m.utf8();
        readOrRefuse(file(header.length, header, DATA_BYTES));
    }

    /** One byte of a valid header replaced by any byte: invalid UTF-8, control characters, broken syntax. */
    @Property(tries = 300)
    void aHeaderWithOneByteChangedIsReadOrRefused(@ForAll("positions") int position, @ForAll byte value)
            throws IOException {
        byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        header[position % header.length] = value;
        readOrRefuse(file(header.length, header, DATA_BYTES));
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    /** Any 8-byte length claim (0 to 2^64 - 1) over a file far shorter than most: refused before allocation. */
    @Property(tries = 300)
    void anyHeaderLengthClaimIsCheckedAgainstTheFile(@ForAll long claimedLength) throws IOException {
        byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        Path file = file(claimedLength, header, DATA_BYTES);
        if (claimedLength != header.length) {
            rejects(WeightFileException.class, file.toString(), () -> SafetensorsFile.read(file));
        }
    }

    @Property(tries = 300)
    void randomBytesAreRefusedNamingTheFile(@ForAll @Size(max = 300) byte[] bytes) throws IOException {
        Path file = dir.resolve("random.safetensors");
        Files.write(file, bytes);
        readOrRefuse(file);
    }
}
