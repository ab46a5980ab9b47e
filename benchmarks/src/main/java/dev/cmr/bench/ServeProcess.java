package dev.cmr.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cmr-monitor serve --device cpu --port 0} in a process of its own, from the library's runnable jar, pinned to
 * the given CPUs with {@code taskset} when a CPU list is given. {@link #start} returns once the server prints the
 * address it listens on; its output is echoed with a {@code serve:} prefix. {@link #close()} sends SIGTERM (the
 * graceful shutdown) and waits up to a minute. Not thread-safe; one owner.
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving on http://[^:]+:(\\d+)");

    private final Process process;
    private final int port;

    private ServeProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param jar  the library's runnable jar ({@code target/cmr-monitor.jar})
     * @param cpus a {@code taskset -c} CPU list, or null to run unpinned
     */
    public static ServeProcess start(Path jar, String cpus, Path out, String... extra) throws IOException {
        return start(jar, cpus, List.of(), out, extra);
    }

    /**
     * The same with options for serve's JVM ({@code -XX:NativeMemoryTracking=summary}, say) before {@code -jar}.
     *
     * @param jvmOptions options given to {@code java} ahead of {@code -jar}
     */
    public static ServeProcess start(Path jar, String cpus, List<String> jvmOptions, Path out, String... extra)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("jar " + jar + " does not exist: build the library first (mvn package)");
        }
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add("java");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--device", "cpu", "--port", "0",
                "--out", out.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread echo = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("serve: " + line);
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("serve exited before listening"));
        }, "serve-output");
        echo.setDaemon(true);
        echo.start();
        try {
            return new ServeProcess(p, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("serve did not start: " + e, e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
