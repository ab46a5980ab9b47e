package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.testing.TmpfsMount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every command meets bad input with one line on stderr naming what was wrong, exit 2, and no stack trace; a failure
 * during work is one line and exit 1; {@code --verbose} adds the stack trace.
 */
class CliErrorsTest {
    @TempDir
    Path dir;

    /** What one run printed on stderr, and its exit code. */
    private record Run(int exit, List<String> errLines, String err, String out) {
    }

    /**
     * Runs a command line built after stderr is captured: picocli's execution strategy remembers System.err when
     * the command line is built and reinstates it at execute.
     */
    private static Run run(Supplier<CommandLine> commandLine, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = commandLine.get().execute(args);
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        return new Run(exit, text.lines().toList(), text, out.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "demo --chunk 0                       | demo: --chunk must be in [1, 256]",
            "demo --bogus                         | demo: Unknown option: '--bogus' (try cmr-monitor demo --help)",
            "demo --rounds many                   | demo: Invalid value for option '--rounds': 'many' is not an int",
            "profile --passes 0                   | profile: --passes",
            "profile --bogus                      | profile: Unknown option: '--bogus'",
            "compare DIR/a.json DIR/b.json        | cannot read profile DIR/a.json: not found",
            "compare                              | compare: Missing required parameters",
            "report DIR/p.json                    | cannot read profile DIR/p.json: not found",
            "serve --config DIR/c.json            | serve: --config: DIR/c.json: not found",
            "serve --port x                       | serve: Invalid value for option '--port'",
            "devices --bogus                      | devices: Unknown option: '--bogus' (try cmr-monitor devices --help)",
            "rules --config DIR/c.json            | --config: DIR/c.json: not found",
            "rules --out /dev/null/rules.yml      | --out /dev/null/rules.yml: cannot write: its folder /dev/null is not a folder",
            "rules --config                       | rules: Missing required parameter for option '--config'",
            "nosuchcommand                        | Unmatched argument at index 0: 'nosuchcommand'",
    })
    void badInputIsOneLineNamingWhatWasWrongAndExitsTwo(String command, String expected) {
        String[] args = command.replace("DIR", dir.toString()).split(" ");

        Run r = run(Main::commandLine, args);

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).as(r.err() + "/out:" + r.out()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith(expected.replace("DIR", dir.toString()));
        assertThat(r.err()).doesNotContain("\tat ", "Exception in thread");
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("the device went away\nwhile running");
        }
    }

    @Test
    void aFailureDuringWorkIsOneLineAndExitsOne() {
        Run r = run(() -> Main.commandLine().addSubcommand(new Boom()), "boom");

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.errLines()).containsExactly("boom: the device went away while running");
    }

    @Test
    void verboseAddsTheStackTraceAfterTheLine() {
        Run r = run(() -> Main.commandLine().addSubcommand(new Boom()), "boom", "--verbose");

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.errLines().get(0)).isEqualTo("boom: the device went away while running");
        assertThat(r.err()).contains("java.lang.IllegalStateException: the device went away", "\tat ");
    }

    @Test
    void verboseBeforeTheCommandWorksToo() {
        Run r = run(Main::commandLine, "--verbose", "devices", "--bogus");

        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines().get(0)).startsWith("devices: Unknown option: '--bogus'");
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void aRealCommandFailingDuringWorkIsOneLineExitOneAndVerboseAddsTheTrace() throws Exception {
        // A real file system that is full once the report is written: the profile runs, then cannot write.
        try (TmpfsMount disk = TmpfsMount.mount("size=16k")) {
            String[] args = {"profile", "--device", "cpu", "--passes", "2", "--warmup", "1", "--chunk", "8",
                    "--out", disk.path().toString()};
            Run plain = run(Main::commandLine, args);

            assertThat(plain.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(plain.errLines()).hasSize(1);
            assertThat(plain.errLines().get(0)).startsWith("profile: failed: ").containsIgnoringCase(
                    "no space left on device");

            String[] verbose = new String[args.length + 1];
            System.arraycopy(args, 0, verbose, 0, args.length);
            verbose[args.length] = "--verbose";
            Run traced = run(Main::commandLine, verbose);

            assertThat(traced.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(traced.errLines().get(0)).startsWith("profile: failed: ")
                    .containsIgnoringCase("no space left on device");
            assertThat(traced.err()).contains("\tat ");
        }
    }
}
