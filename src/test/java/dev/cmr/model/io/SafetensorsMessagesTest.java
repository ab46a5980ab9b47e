package dev.cmr.model.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shrunk cases of {@link SafetensorsFuzzProperties}: names and values from a header are shown escaped and cut. */
class SafetensorsMessagesTest {
    @TempDir
    Path dir;

    private Path withHeader(String header) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json);
        Path file = dir.resolve("m.safetensors");
        Files.write(file, bytes.array());
        return file;
    }

    @Test
    void aHugeDtypeIsShownCut() throws IOException {
        String dtype = "x".repeat(1 << 20);
        Path file = withHeader("{\"a\": {\"dtype\": \"" + dtype + "\", \"shape\": [2], \"data_offsets\": [0, 8]}}");
        assertThatThrownBy(() -> SafetensorsFile.read(file)).isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'a' has dtype " + "x".repeat(60) + "..., which is not supported"
                        + " (only F32, F16 and BF16 can be read as float32)");
    }

    @Test
    void aTensorNameWithANewlineIsEscaped() throws IOException {
        Path file = withHeader("{\"a\\nb\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}");
        assertThatThrownBy(() -> SafetensorsFile.read(file)).isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith(file + ": tensor 'a\\nb' has shape [2] and dtype F32");
    }

    @Test
    void aHugeShapeIsShownCut() throws IOException {
        String shape = "[" + "1,".repeat(50_000) + "\"x\"]";
        Path file = withHeader("{\"a\": {\"dtype\": \"F32\", \"shape\": " + shape + ", \"data_offsets\": [0, 4]}}");
        assertThatThrownBy(() -> SafetensorsFile.read(file)).isInstanceOf(WeightFileException.class)
                .hasMessageEndingWith("... (100005 chars)");
    }
}
