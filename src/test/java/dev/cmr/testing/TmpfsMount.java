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
 * A real tmpfs mounted on a fresh temporary folder for a test (a full disk, a read-only folder), unmounted and
 * removed by {@link #close()}. Mounting needs root or CAP_SYS_ADMIN, as on the build machines; without it the test
 * is skipped with the reason printed, unless mounts are required ({@code CI} set, or {@code -Dcmr.require.mount=true}):
 * then it fails, so that a fault test never goes quietly missing where it is meant to run.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path path;

    private TmpfsMount(Path path) {
        this.path = path;
    }

    /** Mounts a tmpfs with {@code options} (as for {@code mount -o}, e.g. {@code size=1m} or {@code ro,size=64k}). */
    public static TmpfsMount mount(String options) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cmr-tmpfs");
        String failure = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        if (failure != null) {
            Files.deleteIfExists(dir);
            String reason = "cannot mount a tmpfs (" + failure + ")";
            if (Boolean.getBoolean("cmr.require.mount") || System.getenv("CI") != null) {
                Assertions.fail(reason + " (required: -Dcmr.require.mount=true or CI is set)");
            }
            System.out.println("SKIPPED tmpfs test: " + reason);
            Assumptions.abort(reason);
        }
        return new TmpfsMount(dir);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failure = run("umount", path.toString());
        Assertions.assertNull(failure, "umount " + path);
        Files.deleteIfExists(path);
    }

    /** Null when the command succeeded, else its exit code and output. */
    private static String run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        Process p;
        try {
            p = new ProcessBuilder(line).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command[0] + " cannot run: " + e.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }
}
