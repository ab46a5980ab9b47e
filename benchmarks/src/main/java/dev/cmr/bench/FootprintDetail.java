package dev.cmr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where one JVM's footprint lies, for finding what grew between two points of a soak: Native Memory Tracking's
 * committed KiB per category ({@code jcmd PID VM.native_memory summary}), its live objects' bytes and instances per
 * class ({@code jcmd PID GC.class_histogram}, which collects first), and its open file descriptors by kind (what
 * {@code /proc/PID/fd/N} links to: {@code socket}, {@code pipe}, {@code anon_inode:...}, or the file's path). Maps
 * are sorted by key.
 */
public record FootprintDetail(Map<String, Long> nmtCommittedKib, Map<String, Long> liveBytesByClass,
                              Map<String, Long> instancesByClass, Map<String, Long> fdKinds) {
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)",
            Pattern.MULTILINE);
    /** A histogram row: rank, instances, bytes, class name (then, for named modules, the module in parentheses). */
    private static final Pattern CLASS_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)",
            Pattern.MULTILINE);

    public static FootprintDetail of(long pid) throws IOException, InterruptedException {
        Map<String, Long> nmt = new TreeMap<>();
        Matcher m = CATEGORY.matcher(ProcessFootprint.jcmd(pid, "VM.native_memory", "summary"));
        while (m.find()) {
            nmt.put(m.group(1), Long.parseLong(m.group(2)));
        }
        Map<String, Long> bytes = new TreeMap<>();
        Map<String, Long> instances = new TreeMap<>();
        Matcher row = CLASS_ROW.matcher(ProcessFootprint.jcmd(pid, "GC.class_histogram"));
        while (row.find()) {
            // Hidden classes of different loaders may share a name: their rows add up.
            instances.merge(row.group(3), Long.parseLong(row.group(1)), Long::sum);
            bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
        }
        Map<String, Long> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) entries::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed since the listing
                }
                fds.merge(target.replaceFirst("^(socket|pipe):\\[\\d+]$", "$1"), 1L, Long::sum);
            }
        }
        return new FootprintDetail(nmt, bytes, instances, fds);
    }
}
