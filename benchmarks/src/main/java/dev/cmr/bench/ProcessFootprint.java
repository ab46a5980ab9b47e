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
 * What one running JVM holds, read from outside it: the bytes of its live Java objects, its loaded classes, its
 * thread count, open file descriptors, the memory Native Memory Tracking counts as committed (all of it, and the steady
 * part: all but the Java heap and the JIT compilers' scratch memory, NMT's "Compiler" and "Arena Chunk", which
 * swing by tens of MiB with compilations and hide a slow native leak; and the runtime part: also without the code
 * cache, which grows while the JIT compiles the warm code, and the GC's structures, which follow the committed heap),
 * the size of all the code the JIT has compiled so far (which the code cache follows), and its resident set. Units:
 * bytes and counts.
 *
 * <p>{@link #sample} runs {@code jcmd PID GC.class_histogram}: a full, stop-the-world collection that then counts
 * every live object, inside one safepoint. Its total is the live heap exactly, where {@code GC.run} followed by
 * {@code GC.heap_info} (a second attach, a few hundred milliseconds later) also counts what the target allocated in
 * between: megabytes under load. Then {@code PerfCounter.print} (classes loaded and unloaded, compiled code) and
 * {@code VM.native_memory summary}, and it reads {@code /proc/PID/status} and {@code /proc/PID/fd}. The target must
 * run with {@code -XX:NativeMemoryTracking=summary} (and perf data, on by default), as the same user. NMT counts
 * only what the JVM allocates; memory that native libraries (OpenBLAS, libcmrprobe) allocate themselves shows in the
 * resident set only.
 */
public record ProcessFootprint(long heapLiveBytes, long liveClasses, int threads, int openFds, long nmtCommittedBytes,
                               long nmtSteadyCommittedBytes, long nmtRuntimeCommittedBytes, long compiledCodeBytes,
                               long rssBytes) {
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    /** JIT compilers' working memory: comes and goes by tens of MiB with compilations, so is left out of one series. */
    private static final List<String> NMT_JIT_SCRATCH = List.of("Compiler", "Arena Chunk");
    /** What grows with JIT compilation (the code cache) and with the committed heap (GC structures). */
    private static final List<String> NMT_JIT_AND_HEAP_SIZED = List.of("Code", "GC");
    private static final Pattern THREADS = Pattern.compile("^Threads:\\s+(\\d+)$", Pattern.MULTILINE);
    private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);

    /** Samples process {@code pid}; throws IllegalStateException naming the command or file that did not answer. */
    public static ProcessFootprint sample(long pid) throws IOException, InterruptedException {
        long heapLive = number(HISTOGRAM_TOTAL, jcmd(pid, "GC.class_histogram"),
                "jcmd " + pid + " GC.class_histogram");
        String perf = jcmd(pid, "PerfCounter.print");
        String perfWhere = "jcmd " + pid + " PerfCounter.print";
        long classes = number(perfCounter("java.cls.loadedClasses"), perf, perfWhere)
                - number(perfCounter("java.cls.unloadedClasses"), perf, perfWhere);
        long compiledCode = number(perfCounter("sun.ci.nmethodSize"), perf, perfWhere);
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
        return new ProcessFootprint(heapLive, classes, threads, fds, committed, steady, steady - jitAndHeapSized,
                compiledCode, rss);
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

    private static Pattern perfCounter(String name) {
        return Pattern.compile("^" + Pattern.quote(name) + "=(\\d+)$", Pattern.MULTILINE);
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
