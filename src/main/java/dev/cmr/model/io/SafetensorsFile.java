package dev.cmr.model.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cmr.io.AtomicFiles;
import dev.cmr.io.ConfigObject;
import dev.cmr.io.ConfigValues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads and writes the <a href="https://huggingface.co/docs/safetensors">safetensors</a> format.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}} (offsets relative to the data
 * section that follows the header), plus an optional {@code "__metadata__"} object of string values; then the data
 * section, tensors stored little-endian and row-major.
 *
 * <p>Reading converts {@code F32}, {@code F16} and {@code BF16} tensors to float32 exactly. The file is streamed in
 * fixed-size chunks, so memory beyond the returned arrays stays constant and time is linear in the file size.
 *
 * <p>Validation, all reported as {@link WeightFileException} naming the file (and the tensor, where there is one):
 * the header must fit in the file and be a UTF-8 JSON object without duplicate keys; every tensor needs a string
 * dtype, a shape of non-negative integers and two offsets {@code begin <= end}; {@code end - begin} must equal the
 * element count times the dtype's size; every tensor must lie inside the data section; and no two tensors may
 * share bytes. Overlap is rejected because the format describes each tensor as owning its byte range (the
 * reference implementation refuses it too) and aliasing tensors in a weight file are far more likely a corrupt
 * header than an intended trick. Gaps between tensors and unused bytes at the end are tolerated: they waste space
 * but cannot make any tensor read wrong values.
 */
public final class SafetensorsFile {
    /** Same cap as the reference implementation: a larger header is certainly not a real one. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    /** Bytes read or written per step; a multiple of every element size. */
    private static final int CHUNK_BYTES = 1 << 20;
    /** The largest array length every JVM can allocate. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Element sizes of the dtypes the format defines with whole-byte elements, used to check byte counts. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E8M0", 1), Map.entry("I16", 2), Map.entry("U16", 2),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8), Map.entry("C64", 8));

    private SafetensorsFile() {
    }

    /** One tensor as described by the header, validated against the file's size. */
    private record Entry(String name, String dtype, int[] shape, long elements, long begin, long end) {
    }

    /** The parsed header: tensors in header order, the metadata, and where the data section starts. */
    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Reads every tensor of the file.
     *
     * @return the tensors by name, in the order of the header
     * @throws WeightFileException if the file is missing, malformed, truncated or holds a dtype other than F32, F16
     *                             or BF16
     */
    public static Map<String, Tensor> read(Path file) {
        return read(file, name -> true);
    }

    /**
     * Reads the tensors whose names {@code wanted} accepts; the others are validated (header and bounds) but their
     * data is neither read nor converted, and they may have any dtype. {@code wanted} is asked once for every
     * tensor name in the header, in header order, before any data is read.
     *
     * @return the wanted tensors by name, in the order of the header
     */
    public static Map<String, Tensor> read(Path file, Predicate<String> wanted) {
        try (FileChannel channel = open(file)) {
            Header header = readHeader(file, channel);
            List<Entry> selected = new ArrayList<>();
            for (Entry e : header.entries()) {
                if (wanted.test(e.name())) {
                    checkConvertible(file, e);
                    selected.add(e);
                }
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : selected) {
                float[] data = readData(file, channel, header.dataStart(), e, chunk);
                tensors.put(e.name(), new Tensor(e.name(), e.shape(), data));
            }
            return tensors;
        } catch (IOException e) {
            throw new WeightFileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Every tensor's shape, by name in header order, after validating the whole header; no tensor data is read, so
     * the cost is the header's, whatever the file's size.
     */
    public static Map<String, int[]> readShapes(Path file) {
        try (FileChannel channel = open(file)) {
            Map<String, int[]> shapes = new LinkedHashMap<>();
            for (Entry e : readHeader(file, channel).entries()) {
                shapes.put(e.name(), e.shape().clone());
            }
            return shapes;
        } catch (IOException e) {
            throw new WeightFileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The header's {@code __metadata__} (empty if it has none), after validating the whole header. */
    public static Map<String, String> readMetadata(Path file) {
        try (FileChannel channel = open(file)) {
            return readHeader(file, channel).metadata();
        } catch (IOException e) {
            throw new WeightFileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new WeightFileException(file + ": file not found", e);
        }
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new WeightFileException(file + ": file has " + fileSize
                    + " bytes, too short for the 8-byte header length (not a safetensors file?)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes, 0, "the header length");
        long headerLength = lengthBytes.flip().getLong(); // unsigned: a "negative" value is above 2^63
        long available = fileSize - 8;
        if (Long.compareUnsigned(headerLength, available) > 0) {
            throw new WeightFileException(file + ": header length " + Long.toUnsignedString(headerLength)
                    + " is larger than the " + available
                    + " bytes that follow it (file truncated or not a safetensors file?)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new WeightFileException(file + ": header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, headerBytes, 8, "the header");
        headerBytes.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new WeightFileException(file + ": header is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new WeightFileException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightFileException(file + ": header must be a JSON object, was "
                    + (root == null || root.isMissingNode() ? "empty" : root.getNodeType()));
        }
        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;
        List<Entry> entries = new ArrayList<>(root.size());
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                entries.add(parseEntry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        checkNoOverlap(file, entries);
        return new Header(Collections.unmodifiableList(entries), metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new WeightFileException(file + ": \"" + METADATA_KEY + "\" must be an object of strings, was "
                    + node.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new WeightFileException(file + ": \"" + METADATA_KEY + "\" value of '"
                        + ConfigValues.printable(field.getKey())
                        + "' must be a string, was " + field.getValue().getNodeType());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = file + ": tensor '" + ConfigValues.printable(name) + "'";
        if (!node.isObject()) {
            throw new WeightFileException(where + " must be described by a JSON object, was " + node.getNodeType());
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null) {
            throw new WeightFileException(where + " has no \"dtype\"");
        }
        if (shapeNode == null) {
            throw new WeightFileException(where + " has no \"shape\"");
        }
        if (offsetsNode == null) {
            throw new WeightFileException(where + " has no \"data_offsets\"");
        }
        if (!dtypeNode.isTextual()) {
            throw new WeightFileException(where + ": \"dtype\" must be a string, was " + ConfigObject.shown(dtypeNode));
        }
        String dtype = dtypeNode.textValue();

        if (!shapeNode.isArray()) {
            throw new WeightFileException(where + ": \"shape\" must be an array of integers, was "
                        + ConfigObject.shown(shapeNode));
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.isIntegralNumber()) {
                throw new WeightFileException(where + ": \"shape\" must be an array of integers, was "
                        + ConfigObject.shown(shapeNode));
            }
            if (dim.bigIntegerValue().signum() < 0) {
                throw new WeightFileException(where + " has a negative dimension in shape "
                        + ConfigObject.shown(shapeNode));
            }
            if (!dim.canConvertToInt()) {
                throw new WeightFileException(where + " has dimension " + ConfigObject.shown(dim) + " in shape "
                        + ConfigObject.shown(shapeNode)
                        + ", more than " + Integer.MAX_VALUE);
            }
            shape[i] = dim.intValue();
        }
        long elements = elementCount(where, shape);

        if (!offsetsNode.isArray() || offsetsNode.size() != 2 || !offsetsNode.get(0).isIntegralNumber()
                || !offsetsNode.get(1).isIntegralNumber() || !offsetsNode.get(0).canConvertToLong()
                || !offsetsNode.get(1).canConvertToLong()) {
            throw new WeightFileException(where + ": \"data_offsets\" must be two integers [begin, end], was "
                    + ConfigObject.shown(offsetsNode));
        }
        long begin = offsetsNode.get(0).longValue();
        long end = offsetsNode.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw new WeightFileException(where + " has invalid data_offsets [" + begin + ", " + end
                    + "]: need 0 <= begin <= end");
        }

        Integer elementBytes = DTYPE_BYTES.get(dtype);
        if (elementBytes != null) {
            long expected;
            try {
                expected = Math.multiplyExact(elements, elementBytes);
            } catch (ArithmeticException e) {
                throw new WeightFileException(where + " has too many elements: shape " + Arrays.toString(shape));
            }
            if (end - begin != expected) {
                throw new WeightFileException(where + " has shape " + Arrays.toString(shape) + " and dtype "
                        + ConfigValues.printable(dtype) + ", which take " + expected + " bytes, but its data_offsets ["
                        + begin + ", "
                        + end + ") span " + (end - begin) + " bytes");
            }
        }
        if (end > dataSize) {
            throw new WeightFileException(where + " needs bytes [" + begin + ", " + end
                    + ") but the data section has only " + dataSize + " bytes (file truncated?)");
        }
        return new Entry(name, dtype, shape, elements, begin, end);
    }

    private static long elementCount(String where, int[] shape) {
        long count = 1;
        for (int dim : shape) {
            if (dim == 0) {
                return 0;
            }
        }
        try {
            for (int dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
        } catch (ArithmeticException e) {
            throw new WeightFileException(where + " has too many elements: shape " + Arrays.toString(shape));
        }
        return count;
    }

    private static void checkNoOverlap(Path file, List<Entry> entries) {
        List<Entry> byBegin = new ArrayList<>();
        for (Entry e : entries) {
            if (e.end() > e.begin()) { // an empty tensor owns no bytes and cannot overlap anything
                byBegin.add(e);
            }
        }
        byBegin.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            Entry previous = byBegin.get(i - 1);
            Entry current = byBegin.get(i);
            // Sorted by begin and pairwise disjoint so far, so the previous entry has the largest end yet.
            if (current.begin() < previous.end()) {
                throw new WeightFileException(file + ": tensors '" + ConfigValues.printable(previous.name()) + "' ["
                        + previous.begin() + ", " + previous.end() + ") and '"
                        + ConfigValues.printable(current.name()) + "' [" + current.begin() + ", "
                        + current.end() + ") overlap in the data section");
            }
        }
    }

    private static void checkConvertible(Path file, Entry e) {
        String where = file + ": tensor '" + ConfigValues.printable(e.name()) + "'";
        if (!e.dtype().equals("F32") && !e.dtype().equals("F16") && !e.dtype().equals("BF16")) {
            throw new WeightFileException(where + " has dtype " + ConfigValues.printable(e.dtype())
                    + ", which is not supported (only F32, F16 and BF16 can be read as float32)");
        }
        if (e.elements() > MAX_ARRAY_LENGTH) {
            throw new WeightFileException(where + " has " + e.elements() + " elements, more than a float[] holds");
        }
    }

    private static float[] readData(Path file, FileChannel channel, long dataStart, Entry e, ByteBuffer chunk)
            throws IOException {
        int elementBytes = DTYPE_BYTES.get(e.dtype());
        int n = (int) e.elements();
        float[] out = new float[n];
        long position = dataStart + e.begin();
        String what = "tensor '" + ConfigValues.printable(e.name()) + "'";
        int done = 0;
        while (done < n) {
            int count = Math.min(n - done, chunk.capacity() / elementBytes);
            chunk.clear().limit(count * elementBytes);
            readFully(file, channel, chunk, position, what);
            chunk.flip();
            switch (e.dtype()) {
                case "F32" -> chunk.asFloatBuffer().get(out, done, count);
                case "F16" -> {
                    ShortBuffer halves = chunk.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        out[done + i] = float16ToFloat(halves.get(i));
                    }
                }
                case "BF16" -> {
                    ShortBuffer halves = chunk.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        out[done + i] = bfloat16ToFloat(halves.get(i));
                    }
                }
                default -> throw new IllegalStateException("unchecked dtype " + e.dtype());
            }
            position += (long) count * elementBytes;
            done += count;
        }
        return out;
    }

    /** Fills {@code buffer} from {@code position}; the file shrinking underneath is reported, not looped on. */
    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position, String what)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new WeightFileException(file + ": unexpected end of file at byte " + at + " while reading "
                        + what + " (file truncated while being read?)");
            }
            at += read;
        }
    }

    // ----------------------------------------------------------------------------------------- conversions

    /**
     * IEEE 754 binary16 to float32, exactly: every half value, including subnormals, signed zeros and infinities, is
     * representable as a float. NaNs stay NaN with sign and payload (shifted into the float's mantissa top bits).
     */
    public static float float16ToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) { // infinity (mantissa 0) or NaN
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24. Both factors and the product are exact in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
        return Float.intBitsToFloat(sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13));
    }

    /** bfloat16 to float32: a bfloat16 is the upper half of a float32's bits. */
    public static float bfloat16ToFloat(short bfloat) {
        return Float.intBitsToFloat((bfloat & 0xFFFF) << 16);
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * Writes the tensors as F32, in the map's iteration order, with data sections laid out back to back. The header
     * is padded with spaces to a multiple of 8 bytes so that the data section starts 8-byte aligned. The file is
     * replaced atomically: readers see the old file or the complete new one.
     *
     * @param tensors  by name; each key must equal its tensor's {@link Tensor#name()}
     * @param metadata stored as {@code __metadata__}; {@code null} or empty writes none
     * @throws IllegalArgumentException if a key differs from its tensor's name or is {@code __metadata__}
     * @throws WeightFileException      if the file cannot be written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        List<Tensor> ordered = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            String name = entry.getKey();
            Tensor tensor = entry.getValue();
            if (!name.equals(tensor.name())) {
                throw new IllegalArgumentException("key '" + name + "' holds tensor '" + tensor.name() + "'");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved and cannot name a tensor");
            }
            ObjectNode description = header.putObject(name);
            description.put("dtype", "F32");
            ArrayNode shape = description.putArray("shape");
            for (int dim : tensor.shape()) {
                shape.add(dim);
            }
            long bytes = 4L * tensor.data().length;
            description.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
            ordered.add(tensor);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JacksonException e) {
            throw new WeightFileException(file + ": cannot encode header: " + e.getOriginalMessage(), e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        prefix.flip();
        writeAtomically(file, channel -> {
            writeFully(channel, prefix);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = CHUNK_BYTES / 4;
            for (Tensor tensor : ordered) {
                float[] data = tensor.data();
                for (int done = 0; done < data.length; done += perChunk) {
                    int count = Math.min(perChunk, data.length - done);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, done, count);
                    chunk.limit(count * 4);
                    writeFully(channel, chunk);
                }
            }
        });
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Writes a file's whole content to a channel positioned at its start. */
    @FunctionalInterface
    private interface ContentWriter {
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /** Writes {@code target} atomically through {@link AtomicFiles}; failures become {@link WeightFileException}s. */
    private static void writeAtomically(Path target, ContentWriter content) {
        try {
            AtomicFiles.write(target, out -> content.writeTo(Channels.newChannel(out)));
        } catch (IOException e) {
            throw new WeightFileException(target + ": cannot write: " + e, e);
        }
    }
}
