package dev.cmr.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Debian {@code prometheus} package's binaries for tests: {@code promtool} and {@code prometheus}, from
 * {@code /usr/bin} or the {@code PATH}. Without them a test is skipped with the printed reason, unless they are
 * required ({@code -Dcmr.require.prometheus=true}, or the {@code CI} environment variable is set): then it fails.
 */
public final class PrometheusBinaries {
    /** What a finished command printed (stdout and stderr together) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    private PrometheusBinaries() {
    }

    public static boolean required() {
        return Boolean.getBoolean("cmr.require.prometheus") || System.getenv("CI") != null;
    }

    /** The path of {@code name}, or the test is skipped (or failed, when required). */
    public static Path require(String name) {
        List<Path> places = new ArrayList<>();
        places.add(Path.of("/usr/bin", name));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    places.add(Path.of(dir, name));
                }
            }
        }
        for (Path p : places) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String reason = name + " not found in /usr/bin or PATH (Debian package prometheus)";
        if (required()) {
            Assertions.fail(reason + " (required: -Dcmr.require.prometheus=true or CI is set)");
        }
        System.out.println("SKIPPED Prometheus test: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** Runs {@code promtool args...} in {@code dir} and waits up to a minute. */
    public static Result promtool(Path dir, String... args) throws IOException, InterruptedException {
        return promtool(dir, new byte[0], args);
    }

    /** Runs {@code promtool args...} in {@code dir} with {@code stdin} as its input, and waits up to a minute. */
    public static Result promtool(Path dir, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require("promtool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        // promtool reads all of its input before it answers, so writing first cannot deadlock on a full pipe.
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("promtool " + args[0] + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
