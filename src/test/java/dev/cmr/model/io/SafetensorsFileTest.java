package dev.cmr.model.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------------ helpers

    /** A file with exactly this header text (no padding) and data section. */
    private Path rawFile(String name, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        Path file = dir.resolve(name);
        Files.write(file, bytes.array());
        return file;
    }

    private static byte[] halves(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bytes.putShort((short) v);
        }
        return bytes.array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return bytes.array();
    }

    private static float[] randomFloats(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static Map<String, Tensor> byName(Tensor... tensors) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            map.put(t.name(), t);
        }
        return map;
    }

    /** binary16 decoded independently of the code under test, through double arithmetic. */
    private static double referenceHalf(int bits) {
        int sign = bits >>> 15;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * Math.pow(2, -24);
        } else {
            magnitude = (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    private static void assertSameBits(float actual, float expected) {
        assertThat(Float.floatToRawIntBits(actual))
                .as("bits of %s vs %s", actual, expected)
                .isEqualTo(Float.floatToRawIntBits(expected));
    }

    // ------------------------------------------------------------------------------------- round trips

    @Test
    void roundTripOfRandomF32TensorsIsExactAndKeepsOrder() {
        Random random = new Random(42);
        Map<String, Tensor> tensors = byName(
                new Tensor("z.scalar", new int[0], new float[] {3.5f}),
                new Tensor("a.matrix", new int[] {17, 33}, randomFloats(random, 17 * 33)),
                new Tensor("m.empty", new int[] {0, 5}, new float[0]),
                new Tensor("c.cube", new int[] {2, 3, 4}, randomFloats(random, 24)),
                // Larger than one 1 MiB read chunk, so the chunk loop runs several times.
                new Tensor("b.big", new int[] {600_000}, randomFloats(random, 600_000)));
        Path file = dir.resolve("model.safetensors");

        SafetensorsFile.write(file, tensors, Map.of("format", "pt"));
        Map<String, Tensor> read = SafetensorsFile.read(file);

        assertThat(read.keySet()).containsExactly("z.scalar", "a.matrix", "m.empty", "c.cube", "b.big");
        assertThat(read).isEqualTo(tensors);
        assertThat(read.get("c.cube").shape()).containsExactly(2, 3, 4);
        assertThat(read.get("z.scalar").shape()).isEmpty();
    }

    @Test
    void roundTripKeepsEverySpecialFloatBitForBit() {
        float[] special = {Float.NaN, Float.intBitsToFloat(0xFFC0_1234), -0.0f, 0.0f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE};
        Path file = dir.resolve("special.safetensors");

        SafetensorsFile.write(file, byName(new Tensor("s", new int[] {special.length}, special)), null);
        float[] read = SafetensorsFile.read(file).get("s").data();

        assertThat(read).hasSize(special.length);
        for (int i = 0; i < special.length; i++) {
            assertSameBits(read[i], special[i]);
        }
    }

    @Test
    void writtenFileFollowsTheSpecLayoutWithSpacePaddedHeader() throws IOException {
        Map<String, Tensor> tensors = byName(
                new Tensor("x", new int[] {3}, new float[] {1, 2, 3}),
                new Tensor("y", new int[] {2, 2}, new float[] {4, 5, 6, 7}));
        Path file = dir.resolve("layout.safetensors");

        SafetensorsFile.write(file, tensors, Map.of("author", "test"));

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = bytes.getLong();
        assertThat(headerLength % 8).isZero();
        assertThat(bytes.capacity()).isEqualTo(8 + headerLength + 7 * 4);
        String header = new String(bytes.array(), 8, (int) headerLength, UTF_8);
        String json = header.stripTrailing();
        assertThat(header.substring(json.length())).matches(" {0,7}");
        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.get("__metadata__").get("author").asText()).isEqualTo("test");
        assertThat(root.get("x").get("dtype").asText()).isEqualTo("F32");
        assertThat(root.get("x").get("shape").toString()).isEqualTo("[3]");
        assertThat(root.get("x").get("data_offsets").toString()).isEqualTo("[0,12]");
        assertThat(root.get("y").get("shape").toString()).isEqualTo("[2,2]");
        assertThat(root.get("y").get("data_offsets").toString()).isEqualTo("[12,28]");
        bytes.position((int) (8 + headerLength));
        float[] data = new float[7];
        bytes.asFloatBuffer().get(data);
        assertThat(data).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old content");

        SafetensorsFile.write(file, byName(new Tensor("t", new int[] {1}, new float[] {9})), Map.of());

        assertThat(SafetensorsFile.read(file).get("t").data()).containsExactly(9f);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteDeletesTheTemporaryFileAndNamesTheTarget() throws IOException {
        // A non-empty directory cannot be replaced by a file, so the final rename fails.
        Path target = dir.resolve("blocked.safetensors");
        Files.createDirectories(target.resolve("child"));

        assertThatThrownBy(() -> SafetensorsFile.write(target,
                byName(new Tensor("t", new int[] {1}, new float[] {1})), null))
                .isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith(target + ": cannot write: ");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writeRejectsAKeyThatDiffersFromTheTensorName() {
        Map<String, Tensor> tensors = Map.of("a", new Tensor("b", new int[] {1}, new float[] {1}));

        assertThatThrownBy(() -> SafetensorsFile.write(dir.resolve("x.safetensors"), tensors, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'a' holds tensor 'b'");
    }

    // ------------------------------------------------------------------------------- half precisions

    @Test
    void f16TensorsUpcastExactlyIncludingSubnormalsZerosInfinitiesAndNaN() throws IOException {
        int[] bits = {
            0x0000, // +0
            0x8000, // -0
            0x0001, // smallest subnormal, 2^-24
            0x03FF, // largest subnormal, 1023 * 2^-24
            0x8001, // negative smallest subnormal
            0x0400, // smallest normal, 2^-14
            0x3C00, // 1
            0xC000, // -2
            0x3555, // 0.333251953125
            0x7BFF, // max, 65504
            0xFBFF, // -65504
            0x7C00, // +inf
            0xFC00, // -inf
            0x7E00, // quiet NaN
        };
        Path file = rawFile("half.safetensors",
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,7],\"data_offsets\":[0,28]}}", halves(bits));

        Tensor h = SafetensorsFile.read(file).get("h");

        assertThat(h.shape()).containsExactly(2, 7);
        float[] v = h.data();
        assertSameBits(v[0], 0.0f);
        assertSameBits(v[1], -0.0f);
        assertSameBits(v[2], 0x1p-24f);
        assertSameBits(v[3], 1023 * 0x1p-24f);
        assertSameBits(v[4], -0x1p-24f);
        assertSameBits(v[5], 0x1p-14f);
        assertThat(v[6]).isEqualTo(1.0f);
        assertThat(v[7]).isEqualTo(-2.0f);
        assertThat(v[8]).isEqualTo(0.333251953125f);
        assertThat(v[9]).isEqualTo(65504.0f);
        assertThat(v[10]).isEqualTo(-65504.0f);
        assertThat(v[11]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(v[12]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(v[13]).isNaN();
    }

    @Test
    void everyF16BitPatternMatchesAnIndependentDecodingAcrossReadChunks() throws IOException {
        int repeats = 9; // 9 * 65536 halves = 1.1 MiB, more than one read chunk
        int[] bits = new int[65536 * repeats];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = i & 0xFFFF;
        }
        Path file = rawFile("all.safetensors", "{\"all\":{\"dtype\":\"F16\",\"shape\":[" + repeats
                + ",65536],\"data_offsets\":[0," + 2 * bits.length + "]}}", halves(bits));

        float[] v = SafetensorsFile.read(file).get("all").data();

        for (int i = 0; i < v.length; i++) {
            int half = bits[i];
            double expected = referenceHalf(half);
            if (Double.isNaN(expected)) {
                int raw = Float.floatToRawIntBits(v[i]);
                assertThat(v[i]).as("half %04x", half).isNaN();
                assertThat(raw >>> 31).as("sign of half %04x", half).isEqualTo(half >>> 15);
                assertThat((raw >>> 13) & 0x3FF).as("payload of half %04x", half).isEqualTo(half & 0x3FF);
            } else {
                assertSameBits(v[i], (float) expected);
            }
        }
    }

    @Test
    void bf16TensorsUpcastToTheFloatWithTheSameUpperBits() throws IOException {
        int[] bits = {0x3F80, 0xBF80, 0x8000, 0x0001, 0x7F7F, 0x7F80, 0xFF80, 0x7FC0, 0x4049};
        Path file = rawFile("bf16.safetensors",
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[9],\"data_offsets\":[0,18]}}", halves(bits));

        float[] v = SafetensorsFile.read(file).get("b").data();

        assertThat(v[0]).isEqualTo(1.0f);
        assertThat(v[1]).isEqualTo(-1.0f);
        assertSameBits(v[2], -0.0f);
        assertSameBits(v[3], Float.intBitsToFloat(0x0001_0000)); // smallest bf16 subnormal
        assertThat(v[4]).isEqualTo(3.3895314e38f); // largest finite bf16
        assertThat(v[5]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(v[6]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(v[7]).isNaN();
        assertThat(v[8]).isEqualTo(3.140625f);
        for (int b = 0; b < 65536; b++) {
            assertThat(Float.floatToRawIntBits(SafetensorsFile.bfloat16ToFloat((short) b))).isEqualTo(b << 16);
        }
    }

    @Test
    void mixedDtypesInOneFileAreEachConverted() throws IOException {
        byte[] data = ByteBuffer.allocate(8 + 2 + 2).put(floats(1.5f, -4f)).put(halves(0x3C00)).put(halves(0x4000))
                .array();
        Path file = rawFile("mixed.safetensors", "{\"f\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[8,10]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[10,12]}}", data);

        Map<String, Tensor> read = SafetensorsFile.read(file);

        assertThat(read.keySet()).containsExactly("f", "h", "b");
        assertThat(read.get("f").data()).containsExactly(1.5f, -4f);
        assertThat(read.get("h").data()).containsExactly(1f);
        assertThat(read.get("b").data()).containsExactly(2f);
    }

    // --------------------------------------------------------------------------- header tolerance

    @Test
    void metadataIsNotATensorButCanBeReadSeparately() throws IOException {
        Path file = rawFile("meta.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"hello\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2));

        assertThat(SafetensorsFile.read(file).keySet()).containsExactly("a", "b");
        assertThat(SafetensorsFile.readMetadata(file)).containsExactly(Map.entry("format", "pt"),
                Map.entry("note", "hello"));
    }

    @Test
    void unwantedTensorsAreSkippedEvenWithUnsupportedDtypes() throws IOException {
        byte[] data = ByteBuffer.allocate(12).put(floats(7f)).put(new byte[8]).array();
        Path file = rawFile("skip.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[4,12]}}", data);
        List<String> asked = new ArrayList<>();

        Map<String, Tensor> read = SafetensorsFile.read(file, name -> asked.add(name) && name.equals("w"));

        assertThat(asked).containsExactly("w", "ids");
        assertThat(read.keySet()).containsExactly("w");
    }

    @Test
    void gapsBetweenTensorsAndTrailingBytesAreTolerated() throws IOException {
        byte[] data = ByteBuffer.allocate(24).put(floats(1f)).put(new byte[4]).put(floats(2f)).put(new byte[12])
                .array();
        Path file = rawFile("gaps.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", data);

        Map<String, Tensor> read = SafetensorsFile.read(file);

        assertThat(read.get("a").data()).containsExactly(1f);
        assertThat(read.get("b").data()).containsExactly(2f);
    }

    // ------------------------------------------------------------------------------------ errors

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.safetensors");

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": file not found");
    }

    @Test
    void fileShorterThanTheLengthPrefixIsRejected() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Files.write(file, new byte[5]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": file has 5 bytes, too short for the 8-byte header length"
                        + " (not a safetensors file?)");
    }

    @Test
    void headerLengthLargerThanTheFileIsRejected() throws IOException {
        Path file = dir.resolve("long.safetensors");
        ByteBuffer bytes = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        Files.write(file, bytes.array());

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": header length 1000 is larger than the 20 bytes that follow it"
                        + " (file truncated or not a safetensors file?)");
    }

    @Test
    void headerLengthWithTheTopBitSetIsReadAsUnsigned() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        Files.write(file, bytes.array());

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": header length 18446744073709551615 is larger than the 8 bytes that follow it"
                        + " (file truncated or not a safetensors file?)");
    }

    @Test
    void headerThatIsNotJsonIsRejected() throws IOException {
        Path file = rawFile("bad.safetensors", "{\"a\": {\"dtype\": ", new byte[0]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith(file + ": header is not valid JSON: ");
    }

    @Test
    void headerWithTrailingGarbageIsRejected() throws IOException {
        Path file = rawFile("trailing.safetensors", "{} {}", new byte[0]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith(file + ": header is not valid JSON: ");
    }

    @Test
    void headerThatIsNotUtf8IsRejected() throws IOException {
        Path file = dir.resolve("latin1.safetensors");
        byte[] header = {'{', '"', (byte) 0xE9, '"', ':', '1', '}'};
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        Files.write(file, bytes.putLong(header.length).put(header).array());

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": header is not valid UTF-8");
    }

    @Test
    void headerThatIsNotAnObjectIsRejected() throws IOException {
        Path file = rawFile("array.safetensors", "[1, 2]", new byte[0]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": header must be a JSON object, was ARRAY");
    }

    @Test
    void duplicateTensorNamesAreRejected() throws IOException {
        Path file = rawFile("dup.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1));

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith(file + ": header is not valid JSON: Duplicate field 'w'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtype", "shape", "data_offsets"})
    void tensorWithoutARequiredKeyIsRejected(String key) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("dtype", "\"dtype\":\"F32\"");
        fields.put("shape", "\"shape\":[2]");
        fields.put("data_offsets", "\"data_offsets\":[0,8]");
        fields.remove(key);
        Path file = rawFile("missing-" + key + ".safetensors",
                "{\"h.0.ln_1.weight\":{" + String.join(",", fields.values()) + "}}", floats(1, 2));

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'h.0.ln_1.weight' has no \"" + key + "\"");
    }

    @Test
    void unsupportedDtypeNamesTensorDtypeAndFile() throws IOException {
        Path file = rawFile("ints.safetensors",
                "{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'position_ids' has dtype I64, which is not supported"
                        + " (only F32, F16 and BF16 can be read as float32)");
    }

    @Test
    void unknownDtypeNamesTensorDtypeAndFile() throws IOException {
        Path file = rawFile("weird.safetensors",
                "{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", new byte[16]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'w' has dtype F128, which is not supported"
                        + " (only F32, F16 and BF16 can be read as float32)");
    }

    @Test
    void negativeDimensionIsRejected() throws IOException {
        Path file = rawFile("neg.safetensors",
                "{\"wpe.weight\":{\"dtype\":\"F32\",\"shape\":[2,-3],\"data_offsets\":[0,24]}}", new byte[24]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'wpe.weight' has a negative dimension in shape [2,-3]");
    }

    @Test
    void nonIntegerShapeIsRejected() throws IOException {
        Path file = rawFile("frac.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'w': \"shape\" must be an array of integers, was [1.5]");
    }

    @Test
    void byteCountNotMatchingShapeTimesDtypeSizeIsRejected() throws IOException {
        Path file = rawFile("count.safetensors",
                "{\"wte.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[24]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'wte.weight' has shape [2, 3] and dtype F32, which take 24 bytes,"
                        + " but its data_offsets [0, 20) span 20 bytes");
    }

    @Test
    void reversedOrNegativeOffsetsAreRejected() throws IOException {
        Path reversed = rawFile("rev.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", new byte[8]);
        Path negative = rawFile("negoff.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", new byte[8]);
        Path malformed = rawFile("oneoff.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", new byte[8]);

        assertThatThrownBy(() -> SafetensorsFile.read(reversed))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(reversed + ": tensor 'w' has invalid data_offsets [8, 4]: need 0 <= begin <= end");
        assertThatThrownBy(() -> SafetensorsFile.read(negative))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(negative + ": tensor 'w' has invalid data_offsets [-4, 0]: need 0 <= begin <= end");
        assertThatThrownBy(() -> SafetensorsFile.read(malformed))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(malformed + ": tensor 'w': \"data_offsets\" must be two integers [begin, end], was [4]");
    }

    @Test
    void offsetsBeyondTheDataSectionAreRejected() throws IOException {
        Path file = rawFile("beyond.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[16]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'w' needs bytes [8, 24) but the data section has only 16 bytes"
                        + " (file truncated?)");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        Path file = rawFile("overlap.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[24]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensors 'a' [0, 16) and 'b' [8, 24) overlap in the data section");
    }

    @Test
    void metadataWithANonStringValueIsRejected() throws IOException {
        Path file = rawFile("meta-num.safetensors", "{\"__metadata__\":{\"n\":3}}", new byte[0]);

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": \"__metadata__\" value of 'n' must be a string, was NUMBER");
    }

    @Test
    void truncatedFileNamesTheTensorThatNoLongerFits() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Random random = new Random(7);
        SafetensorsFile.write(file, byName(
                new Tensor("wte.weight", new int[] {4, 3}, randomFloats(random, 12)),
                new Tensor("h.0.attn.c_attn.weight", new int[] {2, 6}, randomFloats(random, 12))), null);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5);
        }

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'h.0.attn.c_attn.weight' needs bytes [48, 96) but the data section"
                        + " has only 91 bytes (file truncated?)");
    }

    @Test
    void cuttingAnyNumberOfBytesOffAValidFileIsDetected() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        SafetensorsFile.write(file, byName(
                new Tensor("a", new int[] {3}, new float[] {1, 2, 3}),
                new Tensor("b", new int[] {2}, new float[] {4, 5})), Map.of("k", "v"));
        byte[] whole = Files.readAllBytes(file);

        for (int cut = 1; cut <= whole.length; cut++) {
            Files.write(file, Arrays.copyOf(whole, whole.length - cut));
            assertThatThrownBy(() -> SafetensorsFile.read(file))
                    .as("cut %d bytes", cut)
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageStartingWith(file + ": ");
        }
    }
}
