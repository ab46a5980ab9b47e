package dev.cmr.cli;

import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.profile.ReportFiles;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Re-renders the views of a saved profile.json (bottlenecks.md, bottlenecks.html, trace.json; {@link ReportFiles})
 * into a directory, the profile's own by default, and prints the paths written, one a line. Exit codes: 0 written,
 * 2 bad input: an unreadable file, a file that is not a profile (one line on stderr naming the file and the
 * field), or an output directory or file that cannot be written (naming it).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-render bottlenecks.md, bottlenecks.html and trace.json from a saved profile.json. "
                + "Exit 0: written; 2: an unreadable or invalid profile, or an output that cannot be written.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROFILE.json", description = "The saved profile.json.")
    Path profile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the files (default: the profile's directory); created when missing.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProfileResults results;
        try {
            results = ProfileResults.read(profile);
        } catch (UncheckedIOException e) {
            return fail(err, e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        Path dir = out != null ? out : profile.toAbsolutePath().getParent();
        List<Path> written;
        try {
            if (out != null) {
                OutputFolder.prepare("--out", out);
            }
            written = ReportFiles.writeViews(results, dir);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return fail(err, e.getMessage()); // names the option, directory or file and the reason
        } catch (RuntimeException e) {
            // A failure of the work, not of the input: ErrorLines prints one line, exit 1, the trace under --verbose.
            throw new IllegalStateException(profile + ": cannot render the report: " + e, e);
        }
        written.forEach(stdout::println);
        stdout.flush();
        return ExitCodes.OK;
    }

    private static int fail(PrintWriter err, String line) {
        err.println(line);
        err.flush();
        return ExitCodes.BAD_INPUT;
    }
}
