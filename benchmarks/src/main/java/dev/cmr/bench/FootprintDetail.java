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
 * committed KiB per category ({@code jcmd PID VM.native_memory summary}; no GC is forced) and its open file
 * descriptors by kind (what {@code /proc/PID/fd/N} links to: {@code socket}, {@code pipe}, {@code anon_inode:...},
 * or the file's path). Maps are sorted by key.
 */
public record FootprintDetail(Map<String, Long> nmtCommittedKib, Map<String, Long> fdKinds) {
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)",
            Pattern.MULTILINE);

    public static FootprintDetail of(long pid) throws IOException, InterruptedException {
        Map<String, Long> nmt = new TreeMap<>();
        Matcher m = CATEGORY.matcher(ProcessFootprint.jcmd(pid, "VM.native_memory", "summary"));
        while (m.find()) {
            nmt.put(m.group(1), Long.parseLong(m.group(2)));
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
        return new FootprintDetail(nmt, fds);
    }
}
