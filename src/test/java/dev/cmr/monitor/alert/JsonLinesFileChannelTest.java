package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileChannelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AlertRule RULE = AlertRule.above("slow", "system.p99_latency_seconds", 0.1,
            Severity.CRITICAL);

    private static AlertNotification firing(double value) {
        Instant t = Instant.parse("2025-03-04T05:06:07.123Z");
        return new AlertNotification(AlertNotification.Status.FIRING, RULE, value, t, t.minusSeconds(30), 0,
                "condition_holds");
    }

    private static List<JsonNode> parseLines(Path file) throws Exception {
        String content = Files.readString(file);
        assertThat(content).endsWith("\n");
        List<JsonNode> out = new ArrayList<>();
        for (String line : content.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void eachNotificationIsOneJsonLineThatParsesBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        JsonLinesFileChannel channel = new JsonLinesFileChannel(file);

        channel.send(firing(0.5));
        channel.send(new AlertNotification(AlertNotification.Status.RESOLVED, RULE, Double.NaN,
                Instant.parse("2025-03-04T05:10:00Z"), Instant.parse("2025-03-04T05:05:37.123Z"), 1, "no_data"));

        List<JsonNode> lines = parseLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(first.get("status").asText()).isEqualTo("firing");
        assertThat(first.get("rule").asText()).isEqualTo("slow");
        assertThat(first.get("metric").asText()).isEqualTo("system.p99_latency_seconds");
        assertThat(first.get("component").asText()).isEqualTo("system");
        assertThat(first.get("severity").asText()).isEqualTo("critical");
        assertThat(first.get("threshold").asDouble()).isEqualTo(0.1);
        assertThat(first.get("value").asDouble()).isEqualTo(0.5);
        assertThat(first.get("timestamp").asText()).isEqualTo("2025-03-04T05:06:07.123Z");
        assertThat(first.get("active_since").asText()).isEqualTo("2025-03-04T05:05:37.123Z");
        assertThat(first.get("message").asText()).contains("slow", "0.5");
        JsonNode second = lines.get(1);
        assertThat(second.get("status").asText()).isEqualTo("resolved");
        assertThat(second.get("value").isNull()).isTrue();
        assertThat(second.get("reason").asText()).isEqualTo("no_data");
    }

    @Test
    void createsMissingParentDirectoriesAndAppendsToAnExistingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a/b/alerts.jsonl");
        new JsonLinesFileChannel(file).send(firing(1));

        new JsonLinesFileChannel(file).send(firing(2));

        assertThat(parseLines(file)).extracting(n -> n.get("value").asDouble()).containsExactly(1.0, 2.0);
    }

    @Test
    void recreatesTheFileAfterARotatorMovedItAway(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        JsonLinesFileChannel channel = new JsonLinesFileChannel(file);
        channel.send(firing(1));
        Files.move(file, dir.resolve("alerts.jsonl.1"));

        channel.send(firing(2));

        assertThat(parseLines(file)).extracting(n -> n.get("value").asDouble()).containsExactly(2.0);
        assertThat(parseLines(dir.resolve("alerts.jsonl.1"))).hasSize(1);
    }

    @Test
    void aTornLastLineFromACrashStaysSeparateFromTheNextRecord(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        Files.writeString(file, "{\"status\":\"firing\"}\n{\"status\":\"fir", StandardCharsets.UTF_8);

        new JsonLinesFileChannel(file).send(firing(3));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("{\"status\":\"fir");
        assertThat(JSON.readTree(lines.get(2)).get("value").asDouble()).isEqualTo(3.0);
    }

    @Test
    void aDirectoryIsRejectedAtConstruction(@TempDir Path dir) {
        assertThatThrownBy(() -> new JsonLinesFileChannel(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert file " + dir.toAbsolutePath().normalize() + ": is a directory");
    }

    // Tests run as root, which file permissions do not stop: each place below refuses a file to anyone.

    @Test
    void aFileUnderARegularFileIsRejectedAtConstruction(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        Path file = plain.resolve("alerts.jsonl");

        assertThatThrownBy(() -> new JsonLinesFileChannel(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert file " + file + ": its folder " + plain + " is not a folder");
    }

    @Test
    void aFolderThatRefusesNewFilesIsRejectedAtConstruction() {
        Path sys = Path.of("/sys");
        Assumptions.assumeTrue(Files.isDirectory(sys), "no /sys");
        Path file = sys.resolve("alerts.jsonl"); // sysfs refuses to create files with EACCES, even for root

        assertThatThrownBy(() -> new JsonLinesFileChannel(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert file " + file + ": permission denied");
    }

    @Test
    void concurrentSendersFromSeveralInstancesNeverInterleaveLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        // Two instances on the same path, as two managers in one JVM would have.
        JsonLinesFileChannel a = new JsonLinesFileChannel(file);
        JsonLinesFileChannel b = new JsonLinesFileChannel(dir.resolve("./alerts.jsonl"));
        int threads = 4;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            JsonLinesFileChannel channel = t % 2 == 0 ? a : b;
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    channel.send(firing(thread * 10_000 + i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<JsonNode> lines = parseLines(file);
        Set<Integer> values = new HashSet<>();
        for (JsonNode line : lines) {
            values.add(line.get("value").asInt());
        }
        assertThat(lines).hasSize(threads * perThread);
        assertThat(values).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(values).contains(t * 10_000 + i);
            }
        }
    }
}
