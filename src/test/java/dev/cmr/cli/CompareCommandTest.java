package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.LayerProfile;
import dev.cmr.monitor.profile.LayerSamples;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.profile.Samples;
import dev.cmr.monitor.profile.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cmr-monitor compare} in-process: its table, summary and exit code, and its one-line errors. */
class CompareCommandTest {
    private static final int PASSES = 50;
    private static final int LAYERS = 3;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int compare(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "compare";
        System.arraycopy(args, 0, line, 1, args.length);
        return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(line);
    }

    /** {@code PASSES} samples around {@code nanos}, each within ±10%, seeded. */
    private static Samples jittered(Random random, long nanos) {
        long[] values = new long[PASSES];
        for (int i = 0; i < PASSES; i++) {
            values[i] = Math.round(nanos * (0.9 + 0.2 * random.nextDouble()));
        }
        return Samples.of(values);
    }

    /**
     * A device-less block {@code name} of {@code LAYERS} layers of about 1 ms host, 0.8 ms self host, 0.6 ms launch,
     * 0.2 ms sync wait per pass; {@code slowLayer}'s host time (only) is {@code slowdown} times that.
     */
    private static ExecutionProfile block(String name, long seed, int slowLayer, double slowdown) {
        Random random = new Random(seed);
        List<LayerProfile> layers = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            long host = Math.round(1_000_000 * (layer == slowLayer ? slowdown : 1));
            LayerSamples samples = new LayerSamples(jittered(random, host), jittered(random, 800_000),
                    jittered(random, 600_000), jittered(random, 200_000), Samples.of(), Samples.of());
            layers.add(new LayerProfile(layer, samples.hostNanos().mean(), samples.selfHostNanos().mean(),
                    samples.launchNanos().mean(), samples.syncWaitNanos().mean(), null, null, 0,
                    Verdict.HOST_BOUND, "synthetic", samples));
        }
        Samples wall = jittered(random, 3_500_000);
        return new ExecutionProfile(name, PASSES, Backend.NONE, wall.mean(), wall, Verdict.HOST_BOUND, "synthetic",
                null, null, null, null, layers, List.of(), List.of(), Map.of(), 0, null);
    }

    private Path write(String file, ExecutionProfile... executions) throws IOException {
        return Files.writeString(dir.resolve(file), new ProfileResults(List.of(executions)).toJson());
    }

    @Test
    void identicalProfilesCompareUnchangedAndExitZero() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));
        Path b = write("b.json", block("forward", 1, -1, 1));

        assertThat(compare(a.toString(), b.toString())).isZero();

        // wall + 4 fields for each of 3 layers, all judged
        assertThat(out.toString()).contains("forward/layer 2/sync_wait_ns", "13 UNCHANGED;")
                .doesNotContain("REGRESSION", "IMPROVEMENT");
        assertThat(out.toString().lines().filter(l -> l.endsWith("UNCHANGED")).count()).isEqualTo(13);
        assertThat(out.toString()).endsWith("0 regressions, 0 improvements, 13 unchanged, 0 not compared (added, "
                + "removed, too few samples or below the noise floor): exit 0\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void oneLayerTwentyPercentSlowerIsTheOneRegressionNamedWithItsChange() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));
        Path b = write("b.json", block("forward", 2, 1, 1.2));

        assertThat(compare(a.toString(), b.toString())).isEqualTo(1);

        List<String> regressions = out.toString().lines().filter(l -> l.endsWith("REGRESSION")).toList();
        assertThat(regressions).hasSize(1);
        assertThat(regressions.get(0)).startsWith("forward/layer 1/host_ns ").containsPattern(" \\+(1[5-9]|2[0-5])\\.\\d%");
        assertThat(out.toString()).contains("1 regression, 0 improvements, 12 unchanged").endsWith(": exit 1\n");
    }

    @Test
    void aTruncatedFileExitsTwoNamingIt() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));
        String json = Files.readString(a);
        Path truncated = Files.writeString(dir.resolve("truncated.json"), json.substring(0, json.length() / 2));

        assertThat(compare(a.toString(), truncated.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith(truncated + ": profile is not valid JSON").hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFileThatIsNotAProfileExitsTwoNamingItAndTheField() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));
        Path other = Files.writeString(dir.resolve("stats.json"), "{\"schema_version\": 1}");

        assertThat(compare(other.toString(), a.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith(other + ": ").contains("executions").hasLineCount(1);
    }

    @Test
    void aMissingFileExitsTwoNamingIt() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));
        Path missing = dir.resolve("missing.json");

        assertThat(compare(a.toString(), missing.toString())).isEqualTo(2);

        assertThat(err.toString())
                .isEqualTo("cannot read profile " + missing + ": not found" + System.lineSeparator());
    }

    @Test
    void aFolderGivenAsAProfileExitsTwoNamingIt() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));

        assertThat(compare(dir.toString(), a.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("cannot read profile " + dir).hasLineCount(1);
    }

    @Test
    void aNegativeThresholdExitsTwoNamingTheOptionAndItsRange() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));

        assertThat(compare(a.toString(), a.toString(), "--threshold", "-1")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("--threshold must be in [0, 10], was -1" + System.lineSeparator());
    }

    @Test
    void aThresholdThatIsNotANumberExitsTwoNamingTheOptionAndItsRange() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));

        assertThat(compare(a.toString(), a.toString(), "--threshold", "abc")).isEqualTo(2);

        assertThat(err.toString())
                .isEqualTo("--threshold must be a number in [0, 10], was 'abc'" + System.lineSeparator());
    }

    @Test
    void theThresholdRangeIsTheComparatorsOwn() {
        assertThat(CompareCommand.settings("10").threshold()).isEqualTo(10);
        assertThat(CompareCommand.settings("0").threshold()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompareCommand.settings("10.5"))
                .hasMessage("--threshold must be in [0, 10], was 10.5");
    }

    @Test
    void aLargerThresholdLetsTheSameSlowdownPass() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));
        Path b = write("b.json", block("forward", 2, 1, 1.2));

        assertThat(compare(a.toString(), b.toString(), "--threshold", "0.5")).isZero();
    }

    @Test
    void profilesWithNoBlockInCommonExitTwoNamingBothFilesAndTheirBlocks() throws IOException {
        Path a = write("a.json", block("forward", 1, -1, 1));
        Path b = write("b.json", block("decode", 1, -1, 1), block("prefill", 1, -1, 1));

        assertThat(compare(a.toString(), b.toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("mismatched profiles, no block name in common: baseline " + a
                + " has [forward], current " + b + " has [decode, prefill]" + System.lineSeparator());
    }

    @Test
    void helpDescribesTheExitCodesAndTheThreshold() {
        assertThat(compare("--help")).isZero();

        assertThat(out.toString()).contains("BASELINE", "CURRENT", "--threshold=RATIO", "Exit 0", "[0, 10]");
    }
}
