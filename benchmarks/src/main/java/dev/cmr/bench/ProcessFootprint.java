package dev.cmr.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one running JVM holds, read from outside it: Java heap used right after a full GC (live data), its thread
 * count, open file descriptors, the memory Native Memory Tracking counts as committed (all of it, and the steady
 * part: all but the Java heap and the JIT compilers' scratch memory, NMT's "Compiler" and "Arena Chunk", which
 * swing by tens of MiB with compilations and hide a slow native leak; and the runtime part: also without the code
 * cache, which grows while the JIT compiles the warm code, and the GC's structures, which follow the committed heap),
 * and its resident set. Units: bytes and counts.
 *
 * <p>{@link #sample} runs {@code jcmd PID GC.run} (a full, stop-the-world collection in the target), then
 * {@code GC.heap_info} and {@code VM.native_memory summary}, and reads {@code /proc/PID/status} and
 * {@code /proc/PID/fd}. The target must run G1 (the default on this machine) with
 * {@code -XX:NativeMemoryTracking=summary}, as the same user. NMT counts only what the JVM allocates; memory that
 * native libraries (OpenBLAS, libcmrprobe) allocate themselves shows in the resident set only.
 */
public record ProcessFootprint(long heapUsedBytes, int threads, int openFds, long nmtCommittedBytes,
                               long nmtSteadyCommittedBytes, long nmtRuntimeCommittedBytes, long rssBytes) {
    private static final Pattern G1_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    /** JIT compilers' working memory: comes and goes by tens of MiB with compilations, so is left out of one series. */
    private static final List<String> NMT_JIT_SCRATCH = List.of("Compiler", "Arena Chunk");
    /** What grows with JIT compilation (the code cache) and with the committed heap (GC structures). */
    private static final List<String> NMT_JIT_AND_HEAP_SIZED = List.of("Code", "GC");
    private static final Pattern THREADS = Pattern.compile("^Threads:\\s+(\\d+)$", Pattern.MULTILINE);
    private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);

    /** Samples process {@code pid}; throws IllegalStateException naming the command or file that did not answer. */
    public static ProcessFootprint sample(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long heapUsed = kib(G1_USED, jcmd(pid, "GC.heap_info"), "jcmd " + pid + " GC.heap_info (is it G1?)");
        String nmt = jcmd(pid, "VM.native_memory", "summary");
        String where = "jcmd " + pid + " VM.native_memory summary (was it started with "
                + "-XX:NativeMemoryTracking=summary?)";
        long committed = kib(NMT_TOTAL, nmt, where);
        long heapCommitted = kib(nmtCategory("Java Heap"), nmt, where);
        long scratch = categories(nmt, NMT_JIT_SCRATCH);
        long jitAndHeapSized = categories(nmt, NMT_JIT_AND_HEAP_SIZED);
        Path proc = Path.of("/proc", Long.toString(pid));
        String status = Files.readString(proc.resolve("status"));
        int threads = (int) number(THREADS, status, proc.resolve("status") + " Threads");
        long rss = number(RSS, status, proc.resolve("status") + " VmRSS") * 1024;
        int fds;
        try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
            fds = (int) entries.count();
        }
        long steady = committed - heapCommitted - scratch;
        return new ProcessFootprint(heapUsed, threads, fds, committed, steady, steady - jitAndHeapSized, rss);
    }

    /** Committed bytes of the named NMT categories together. */
    private static long categories(String nmt, List<String> names) {
        long bytes = 0;
        for (String category : names) {
            Matcher m = nmtCategory(category).matcher(nmt);
            bytes += m.find() ? Long.parseLong(m.group(1)) * 1024 : 0; // NMT omits categories under 1 KB
        }
        return bytes;
    }

    private static Pattern nmtCategory(String name) {
        return Pattern.compile("-\\s+" + Pattern.quote(name) + " \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    }

    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        String[] cmd = new String[command.length + 2];
        cmd[0] = "jcmd";
        cmd[1] = Long.toString(pid);
        System.arraycopy(command, 0, cmd, 2, command.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }

    private static long kib(Pattern pattern, String text, String where) {
        return number(pattern, text, where) * 1024;
    }

    private static long number(Pattern pattern, String text, String where) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(where + ": no line matching '" + pattern + "' in: " + text.strip());
        }
        return Long.parseLong(m.group(1));
    }
}
