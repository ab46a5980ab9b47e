package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cmr.cli.ReportWriterProcess.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGKILL while a report is being written, with the real writers in a real child process
 * ({@link ReportWriterProcess}): after every kill the report on disk parses completely and is byte for byte one of
 * the versions the child announced, and preparing the folder again ({@link OutputFolder#prepare}, what every command
 * does at start) leaves no temporary file behind.
 */
class KilledReportWriterTest {
    private static final int KILLS_PER_KIND = 4;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final CsvMapper CSV = new CsvMapper();

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReportKilledMidWriteIsAWholeEarlierVersionAndItsTempFilesGoAtTheNextStart(Kind kind) throws Exception {
        Path target = root.resolve("out");
        Path scratch = root.resolve("scratch");
        Files.createDirectories(target);
        Files.createDirectories(scratch);
        Random random = new Random(kind.ordinal());
        Map<String, Set<String>> announced = new HashMap<>();
        int tempFilesSwept = 0;
        for (int kill = 0; kill < KILLS_PER_KIND; kill++) {
            runAndKill(kind, target, scratch, random.nextInt(60), announced);
            for (String name : kind.files) {
                Path file = target.resolve(name);
                assertThat(file).as("%s after kill %d", name, kill).isRegularFile();
                byte[] bytes = Files.readAllBytes(file);
                assertParsesCompletely(file, bytes);
                assertThat(announced.get(name)).as("%s after kill %d is one of the versions written", name, kill)
                        .contains(sha256(bytes));
            }
            tempFilesSwept += tempFiles(target).size();
            OutputFolder.prepare("--out", target); // the next start
            assertThat(tempFiles(target)).as("temp files after the next start").isEmpty();
            assertThat(listNames(target)).containsExactlyInAnyOrderElementsOf(kind.files);
        }
        System.out.printf("%s: %d kills, %d temp files left by them and swept%n", kind, KILLS_PER_KIND,
                tempFilesSwept);
    }

    /** Starts the child, lets it write at least one version, kills it {@code delayMillis} later (SIGKILL). */
    private static void runAndKill(Kind kind, Path target, Path scratch, int delayMillis,
                                   Map<String, Set<String>> announced) throws Exception {
        Path stdout = scratch.resolve("stdout.txt");
        Path stderr = scratch.resolve("stderr.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ReportWriterProcess.class.getName(),
                kind.name(), target.toString(), scratch.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            // Destroying a process closes its pipes: the child's lines go to a file, read whole after the kill.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(stdout).contains("\nW ") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(child.isAlive()).as("the child writes; stderr: %s", Files.readString(stderr)).isTrue();
            Thread.sleep(delayMillis);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("killed child exits").isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            boolean wroteOne = false;
            for (String line : Files.readAllLines(stdout)) {
                wroteOne |= take(line, announced);
            }
            assertThat(wroteOne).as("the child wrote a version before it was killed").isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Records an {@code H} line; true for a {@code W} line. A line cut by the kill is neither. */
    private static boolean take(String line, Map<String, Set<String>> announced) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("H") && parts[2].length() == 64) {
            announced.computeIfAbsent(parts[1], k -> new HashSet<>()).add(parts[2]);
        }
        return parts.length == 2 && parts[0].equals("W");
    }

    private static void assertParsesCompletely(Path file, byte[] bytes) throws IOException {
        String name = file.getFileName().toString();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (name.endsWith(".json")) {
            assertThat(JSON.readTree(bytes)).as(name).isNotNull();
        } else if (name.endsWith(".csv")) {
            CsvSchema header = CsvSchema.emptySchema().withHeader();
            try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class).with(header)
                    .with(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS).readValues(bytes)) {
                List<Map<String, String>> all = rows.readAll();
                int columns = ((CsvSchema) rows.getParserSchema()).size();
                assertThat(columns).as(name + " columns").isPositive();
                assertThat(all).as(name + " rows").isNotEmpty()
                        .allSatisfy(row -> assertThat(row).hasSize(columns));
            }
        } else if (name.endsWith(".html")) {
            assertThat(text).as(name).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        } else {
            assertThat(text).as(name).startsWith("#").endsWith("\n");
        }
    }

    private static List<Path> tempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
