package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.resources.HostSampler;
import dev.cmr.monitor.resources.JvmSampler;
import dev.cmr.monitor.resources.NvmlSampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** writeReport: the four files, in a directory it creates, and errors that name the directory or the file. */
class ReportFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFourFilesIntoADirectoryItCreates() throws IOException {
        ProfileResults results = ReportFixtures.openClStyle("generate");
        Path out = dir.resolve("a/b");

        List<Path> written = results.writeReport(out);

        assertThat(written).containsExactly(out.resolve("profile.json"), out.resolve("bottlenecks.md"),
                out.resolve("bottlenecks.html"), out.resolve("trace.json"));
        assertThat(ProfileResults.read(out.resolve("profile.json"))).isEqualTo(results);
        assertThat(Files.readString(out.resolve("bottlenecks.md"))).isEqualTo(BottleneckReport.markdown(results));
        assertThat(Files.readString(out.resolve("bottlenecks.html"))).isEqualTo(BottleneckHtml.render(results));
        assertThat(TraceChecker.check(Files.readString(out.resolve("trace.json")))).isEmpty();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).hasSize(4); // no temporary file left behind
        }
    }

    @Test
    void replacesTheFilesOfAnEarlierReport() throws IOException {
        ReportFixtures.cpuStyle().writeReport(dir);
        ProfileResults results = ReportFixtures.openClStyle("generate");

        results.writeReport(dir);

        assertThat(ProfileResults.read(dir.resolve("profile.json"))).isEqualTo(results);
    }

    @Test
    void aDirectoryThatIsAFileIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");

        assertThatThrownBy(() -> ReportFixtures.cpuStyle().writeReport(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot create report directory " + file + ": exists and is not a folder");
    }

    @Test
    void aFileThatCannotBeReplacedIsNamed() throws IOException {
        Files.createDirectories(dir.resolve("trace.json/inside"));

        assertThatThrownBy(() -> ReportFixtures.cpuStyle().writeReport(dir))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot write report file " + dir.resolve("trace.json") + ": ");
        assertThat(dir.resolve("bottlenecks.md")).exists();
    }

    @Test
    void theDrawnGaugesAreNamedAsTheSamplersNameThem() {
        assertThat(CounterGauges.SYSTEM_CPU_PERCENT).isEqualTo(HostSampler.SYSTEM_CPU_PERCENT);
        assertThat(CounterGauges.PROCESS_CPU_CORE_PERCENT).isEqualTo(HostSampler.PROCESS_CPU_CORE_PERCENT);
        assertThat(CounterGauges.PROCESS_RSS_BYTES).isEqualTo(HostSampler.PROCESS_RSS_BYTES);
        assertThat(CounterGauges.JVM_HEAP_USED_BYTES).isEqualTo(JvmSampler.HEAP_USED_BYTES);
        assertThat(CounterGauges.GPU_UTILIZATION_PERCENT).isEqualTo(NvmlSampler.GPU_UTILIZATION);
    }
}
