package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.ExecutionTrace;
import dev.cmr.monitor.profile.HostSpan;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfileAnalyzer;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.record.Stage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cmr-monitor report} in-process: the files it writes, the paths it prints, and its one-line errors. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int report(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "report";
        System.arraycopy(args, 0, line, 1, args.length);
        return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(line);
    }

    private static ProfileResults results() {
        PassTrace pass = new PassTrace(1_000, 9_000, List.of(new HostSpan(0, Stage.LAYER, 1_000, 8_000, 5)),
                List.of(), List.of(), 0);
        return new ProfileResults(List.of(new ProfileAnalyzer().analyze(
                new ExecutionTrace("forward", Backend.CPU, List.of(pass), 0, Map.of(), false))));
    }

    private Path saved() throws IOException {
        return Files.writeString(dir.resolve("profile.json"), results().toJson());
    }

    private static String lines(Path... paths) {
        StringBuilder text = new StringBuilder();
        for (Path p : paths) {
            text.append(p).append(System.lineSeparator());
        }
        return text.toString();
    }

    @Test
    void rendersTheViewsBesideTheProfileAndPrintsTheirPaths() throws IOException {
        Path profile = saved();
        String json = Files.readString(profile);

        assertThat(report(profile.toString())).isZero();

        assertThat(out.toString()).isEqualTo(lines(dir.resolve("bottlenecks.md"), dir.resolve("bottlenecks.html"),
                dir.resolve("trace.json")));
        assertThat(Files.readString(dir.resolve("bottlenecks.md"))).contains("## forward");
        assertThat(Files.readString(dir.resolve("trace.json"))).contains("\"displayTimeUnit\":\"ns\"");
        assertThat(Files.readString(profile)).isEqualTo(json);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void writesIntoTheOutDirectoryCreatingIt() throws IOException {
        Path profile = saved();
        Path target = dir.resolve("views/new");

        assertThat(report(profile.toString(), "--out", target.toString())).isZero();

        assertThat(target.resolve("bottlenecks.html")).exists();
        assertThat(out.toString()).startsWith(target.resolve("bottlenecks.md").toString());
    }

    @Test
    void aMissingProfileExitsTwoNamingIt() {
        Path missing = dir.resolve("missing.json");

        assertThat(report(missing.toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("cannot read profile " + missing + ": not found"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anInvalidProfileExitsTwoNamingTheFileAndTheField() throws IOException {
        String json = results().toJson().replaceFirst("\"self_host_ns\" : [0-9]+,", "");
        Path profile = Files.writeString(dir.resolve("bad.json"), json);

        assertThat(report(profile.toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo(profile + ": executions[0].layers[0].self_host_ns is required"
                + System.lineSeparator());
        assertThat(dir.resolve("bottlenecks.md")).doesNotExist();
    }

    @Test
    void aTruncatedProfileExitsTwoNamingIt() throws IOException {
        String json = results().toJson();
        Path profile = Files.writeString(dir.resolve("cut.json"), json.substring(0, json.length() / 2));

        assertThat(report(profile.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith(profile + ": profile is not valid JSON").hasLineCount(1);
    }

    @Test
    void anOutDirectoryThatIsAFileExitsTwoNamingIt() throws IOException {
        Path profile = saved();

        assertThat(report(profile.toString(), "--out", profile.toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("--out " + profile + ": exists and is not a folder"
                + System.lineSeparator());
    }

    @Test
    void helpNamesTheProfileTheOutOptionAndTheExitCodes() {
        assertThat(report("--help")).isZero();

        assertThat(out.toString()).contains("PROFILE.json", "--out=DIR", "Exit 0", "2: an unreadable");
    }
}
