package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cmr-monitor rules} in-process: stdout or an atomic file, exit 0; one-line errors naming the option, exit 2. */
class RulesCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int rules(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "rules";
        System.arraycopy(args, 0, line, 1, args.length);
        return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(line);
    }

    @Test
    void withoutOptionsPrintsTheDefaultRulesToStdout() {
        assertThat(rules()).isZero();
        assertThat(out.toString()).startsWith("groups:").contains("alert: high_latency", "for: 300s");
    }

    @Test
    void writesTheConfiguredRulesToTheOutFile() throws Exception {
        Path config = Files.writeString(dir.resolve("monitor.json"),
                "{\"alert_thresholds\": {\"high_latency\": 0.75}, \"escalation_rules\": {\"warning\": 60}}");
        Path file = dir.resolve("out/cmr.rules.yml");
        assertThat(rules("--config", config.toString(), "--out", file.toString())).isZero();
        assertThat(Files.readString(file)).contains("cmr_health_input_system_p99_latency_seconds > 0.75",
                "for: 60s");
        assertThat(err.toString()).contains("alerting rules written to " + file);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anInvalidConfigExitsTwoNamingTheOptionAndKey() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.json"), "{\"alert_thresholds\": {\"high_latency\": -1}}");
        assertThat(rules("--config", config.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).startsWith("--config: ").contains("bad.json", "alert_thresholds.high_latency");
        assertThat(err.toString().lines().count()).isEqualTo(1);
    }

    @Test
    void aMissingConfigFileExitsTwoNamingIt() {
        Path missing = dir.resolve("missing.json");
        assertThat(rules("--config", missing.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).startsWith("--config: ").contains(missing.toString());
    }

    @Test
    void anUnwritableOutExitsTwoNamingIt() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        Path out = blocker.resolve("rules.yml");
        assertThat(rules("--out", out.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).startsWith("--out " + out + ": cannot write");
    }
}
