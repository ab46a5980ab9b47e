package dev.cmr.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesContentToNewFile() throws IOException {
        Path target = dir.resolve("report.json");
        byte[] content = "{\"ok\": true}\n".getBytes(StandardCharsets.UTF_8);

        AtomicFiles.write(target, out -> out.write(content));

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(listDir(dir)).containsExactly("report.json");
    }

    @Test
    void replacesExistingContentCompletely() throws IOException {
        Path target = dir.resolve("stats.json");
        Files.writeString(target, "old content that is much longer than the new one\n".repeat(100));

        AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(listDir(dir)).containsExactly("stats.json");
    }

    @Test
    void writesEmptyContent() throws IOException {
        Path target = dir.resolve("empty.csv");
        Files.writeString(target, "previous");

        AtomicFiles.write(target, out -> { });

        assertThat(Files.size(target)).isZero();
    }

    @Test
    void interruptedWriteLeavesPreviousFileWholeAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("history.csv");
        byte[] previous = bytes(64 * 1024, 7);
        Files.write(target, previous);
        byte[] next = bytes(64 * 1024, 13);
        IOException failure = new IOException("disk full");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(next, 0, next.length / 2);
            out.flush();
            throw failure;
        })).isSameAs(failure);

        assertThat(Files.readAllBytes(target)).isEqualTo(previous);
        assertThat(listDir(dir)).containsExactly("history.csv");
    }

    @Test
    void interruptedWriteOfNewFileCreatesNothing() throws IOException {
        Path target = dir.resolve("never.json");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100]);
            throw new IOException("boom");
        })).isInstanceOf(IOException.class).hasMessage("boom");

        assertThat(target).doesNotExist();
        assertThat(listDir(dir)).isEmpty();
    }

    @Test
    void writerRuntimeExceptionAlsoLeavesPreviousFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("report.json");
        Files.writeString(target, "previous");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("serializer bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(Files.readString(target)).isEqualTo("previous");
        assertThat(listDir(dir)).containsExactly("report.json");
    }

    @Test
    void createsMissingParentDirectories() throws IOException {
        Path target = dir.resolve("a").resolve("b").resolve("c").resolve("out.json");

        AtomicFiles.write(target, out -> out.write("{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(Files.readString(target)).isEqualTo("{}");
        assertThat(listDir(target.getParent())).containsExactly("out.json");
    }

    @Test
    void repeatedWritesLeaveOnlyTheTarget() throws IOException {
        Path target = dir.resolve("series.csv");

        for (int i = 0; i < 20; i++) {
            String content = "row " + i + "\n";
            AtomicFiles.write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
        }

        assertThat(Files.readString(target)).isEqualTo("row 19\n");
        assertThat(listDir(dir)).containsExactly("series.csv");
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * seed + seed);
        }
        return b;
    }

    private static List<String> listDir(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aReplacedFileKeepsItsPermissionsAndANewOneIsWorldReadable(@TempDir Path dir) throws IOException {
        Path fresh = dir.resolve("fresh.json");
        AtomicFiles.write(fresh, out -> out.write(1));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                .isEqualTo("rw-r--r--");

        Path shared = dir.resolve("shared.json");
        Files.writeString(shared, "old");
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.write(shared, out -> out.write(2));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)))
                .isEqualTo("rw-rw-r--");
    }

    // Tests run as root, which file permissions do not stop: each failure below is one the kernel gives anyone.

    @Test
    void theRootFolderAsTargetIsRefusedNamingIt() {
        assertThatThrownBy(() -> AtomicFiles.write(Path.of("/"), out -> out.write(1)))
                .isInstanceOf(FileSystemException.class)
                .hasMessage("/: is a directory");
    }

    @Test
    void anExistingDirectoryAsTargetIsRefusedNamingItAndLeavesNoTemporaryFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("report.json"));

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write(1)))
                .isInstanceOf(FileSystemException.class)
                .hasMessage(target + ": is a directory");
        assertThat(listDir(dir)).containsExactly("report.json");
    }

    @Test
    void aTargetUnderARegularFileIsRefusedNamingTheTargetAndItsFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path target = file.resolve("report.json");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write(1)))
                .isInstanceOf(FileSystemException.class)
                .hasMessage(target + ": its folder " + file + " is not a folder");
    }

    @Test
    void aDeniedWriteNamesTheTargetNotTheTemporaryFile() {
        // sysfs refuses to create files with EACCES, even for root: a real AccessDeniedException from the JDK.
        Path sys = Path.of("/sys");
        Assumptions.assumeTrue(Files.isDirectory(sys), "no /sys");
        Path target = sys.resolve("report.json");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write(1)))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage(target + ": permission denied");
    }
}
