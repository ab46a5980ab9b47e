package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.testing.OpenClTestDevices;
import dev.cmr.testing.TmpfsMount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The main job end to end, shortened to one round: it must exit 0 and write every report, with real content. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("report.json", "stats.json", "timeseries.csv", "resources.csv",
            "health.csv", "diagnostics.json", "errors.csv", "alerts.jsonl", "profile.json", "bottlenecks.md", "bottlenecks.html",
            "trace.json");

    @TempDir
    Path out;

    private int demo(String device) {
        return new CommandLine(new Main()).execute("demo", "--device", device, "--rounds", "1", "--generate", "2",
                "--out", out.toString());
    }

    @Test
    void onTheCpuTheDemoWritesEveryReportWithRealHealthAndNoDeviceTimes() throws Exception {
        assertThat(demo("cpu")).isZero();

        for (String file : FILES) {
            assertThat(out.resolve(file)).as(file).exists();
        }
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertThat(report.get("system_health").asText()).isIn("GREEN", "YELLOW", "RED");
        assertThat(report.at("/component_status/memory_buffer/status").asText()).isIn("GREEN", "YELLOW", "RED");
        assertThat(report.at("/component_status/device/status").asText()).isEqualTo("NO_DATA");
        JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
        assertThat(stats.at("/timing/layer_times/count").asLong()).isPositive();
        assertThat(stats.at("/timing/device_times/count").asLong()).isZero();
        assertThat(JSON.readTree(out.resolve("diagnostics.json").toFile()).has("recommendations")).isTrue();
        assertThat(Files.readAllLines(out.resolve("timeseries.csv")).size()).isGreaterThan(1);
        JsonNode forward = JSON.readTree(out.resolve("profile.json").toFile()).at("/executions/0");
        assertThat(forward.get("passes").asInt()).isEqualTo(DemoCommand.PROFILED_PASSES);
        assertThat(forward.get("backend").asText()).isEqualTo("cpu");
    }

    @Test
    void onOpenClEveryLayerOfEveryForwardPassHasADeviceTime() throws Exception {
        OpenClTestDevices.device(); // skipped with the reason when there is no OpenCL device (and failed in CI)
        assertThat(demo("opencl")).isZero();

        JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
        long forwards = stats.at("/timing/total_forwards").asLong();
        assertThat(forwards).isPositive();
        JsonNode perLayer = stats.at("/timing/device_times/per_layer");
        assertThat(perLayer.size()).isEqualTo(6);
        perLayer.forEach(layer -> assertThat(layer.get("count").asLong()).isEqualTo(forwards));
        assertThat(stats.at("/device/failed_marks").asLong()).isZero();
        assertThat(stats.at("/timing/sync_wait_times/count").asLong()).isPositive();
        JsonNode forward = JSON.readTree(out.resolve("profile.json").toFile()).at("/executions/0");
        assertThat(forward.get("backend").asText()).isEqualTo("opencl");
        assertThat(forward.get("kernels").size()).isPositive();
    }

    @Test
    void badOptionsAreRefusedBeforeAnyWorkInOneLineNamingTheOption() throws Exception {
        Path file = Files.writeString(out.resolve("a-file"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(demoWith("--chunk", "257", "--out", out.toString())).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(demoWith("--rounds", "0", "--out", out.toString())).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(demoWith("--out", file.toString())).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(demoWith("--out", file.resolve("sub").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        } finally {
            System.setErr(saved);
        }

        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "demo: --chunk must be in [1, 256] (the model's context), was 257",
                "demo: --rounds must be >= 1, was 0",
                "demo: --out " + file + ": exists and is not a folder",
                "demo: --out " + file.resolve("sub") + ": cannot create the folder: not a directory");
        assertThat(Files.list(out)).containsExactly(file);
    }

    @Test
    void alertNotificationsThatCouldNotBeWrittenAreCountedAsLostNotAppended() throws Exception {
        // /dev/full refuses every write with "no space left on device", for root too; it opens like a file.
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full");
        Path alerts = Files.createSymbolicLink(out.resolve("alerts.jsonl"), full);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = demo("cpu");
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }

        List<String> errors = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).matches("demo: \\d+ of \\d+ alert notifications were lost: "
                + Pattern.quote(alerts.toAbsolutePath() + ": no space left on device"));
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .contains("appended 0 alert notifications to " + alerts.toAbsolutePath());
        assertThat(exit).isEqualTo(ExitCodes.FAILED);
        assertThat(out.resolve("stats.json")).exists(); // every report is still written
    }

    @Test
    void aReadOnlyOutputFolderIsRefusedBeforeAnyWork() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        try (TmpfsMount readOnly = TmpfsMount.mount("ro,size=64k")) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Path sub = readOnly.path().resolve("sub");
            assertThat(demoWith("--out", readOnly.path().toString())).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(demoWith("--out", sub.toString())).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                    "demo: --out " + readOnly.path() + ": the folder is not writable",
                    "demo: --out " + sub + ": cannot create the folder: read-only file system");
            try (var left = Files.list(readOnly.path())) {
                assertThat(left).isEmpty();
            }
        } finally {
            System.setErr(saved);
        }
    }

    private int demoWith(String... options) {
        String[] line = new String[options.length + 1];
        line[0] = "demo";
        System.arraycopy(options, 0, line, 1, options.length);
        return new CommandLine(new Main()).execute(line);
    }
}
