package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.record.Stage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** trace.json: what its tracks hold, that it passes the structural checks, and that the checks can fail. */
class ChromeTraceTest {
    static String trace(ProfileResults results) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChromeTrace.write(results, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<JsonNode> events(String trace, String ph) throws IOException {
        JsonNode events = new ObjectMapper().readTree(trace).get("traceEvents");
        return StreamSupport.stream(events.spliterator(), false).filter(e -> ph.equals(e.path("ph").asText()))
                .toList();
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("name").asText()).toList();
    }

    @Test
    void aCpuStyleTracePassesTheChecksWithATrackPerHostThreadAndNoDeviceTrack() throws IOException {
        String trace = trace(ReportFixtures.cpuStyle());

        assertThat(TraceChecker.check(trace)).isEmpty();
        assertThat(events(trace, "M").stream().map(e -> e.path("args").path("name").asText()))
                .containsExactly("cpu forward (cpu)", "host thread 11", "host thread 12");
        assertThat(names(events(trace, "X"))).contains("pass", "layer 0", "capture", "retrieval", "layer 1",
                "sync wait", "layer 2").doesNotContain("matmul");
        assertThat(events(trace, "s")).isEmpty();
        assertThat(names(events(trace, "C"))).contains("host.system_cpu_percent", "host.process_rss_bytes",
                "jvm.jvm_heap_used_bytes").doesNotContain("jvm.jvm_thread_count");
    }

    @Test
    void anOpenClStyleTracePassesTheChecksWithADeviceTrackKernelsAndAFlowPerKnownEnqueue() throws IOException {
        String trace = trace(ReportFixtures.openClStyle("generate"));

        assertThat(TraceChecker.check(trace)).isEmpty();
        assertThat(events(trace, "M").stream().map(e -> e.path("args").path("name").asText()))
                .contains("device queue 0");
        assertThat(names(events(trace, "X"))).contains("matmul", "gelu", "attention", "copy");
        // five device spans of six have a known enqueue time; "copy" has none
        assertThat(events(trace, "s")).hasSize(5);
        assertThat(events(trace, "f")).hasSize(5).allMatch(f -> "e".equals(f.path("bp").asText()));
        assertThat(names(events(trace, "C"))).contains("nvml0.gpu_utilization_percent",
                "host.process_cpu_core_percent");
    }

    @Test
    void timesAreExactMicrosecondsFromTheOriginWithDisplayUnitNanoseconds() throws IOException {
        String trace = trace(ReportFixtures.openClStyle("generate"));
        JsonNode root = new ObjectMapper().readTree(trace);
        JsonNode layer0 = events(trace, "X").stream()
                .filter(e -> e.path("name").asText().equals("layer 0") && "layer".equals(e.path("cat").asText()))
                .findFirst().orElseThrow();

        assertThat(root.get("displayTimeUnit").asText()).isEqualTo("ns");
        assertThat(root.path("otherData").path("origin_ns").asLong()).isEqualTo(ReportFixtures.T0);
        assertThat(layer0.get("dur").decimalValue()).isEqualByComparingTo("3000.000");
        assertThat(trace).contains("\"dur\":3000.000");
    }

    @Test
    void aSavedProfileRendersTheSameTrace() throws IOException {
        ProfileResults results = ReportFixtures.openClStyle("generate");

        assertThat(trace(ProfileResults.fromJson(results.toJson()))).isEqualTo(trace(results));
    }

    @Test
    void aProfileWithoutTimestampsHasOnlyItsProcessAndCounters() throws IOException {
        String trace = trace(ProfileResultsJsonTest.sample());

        assertThat(TraceChecker.check(trace)).isEmpty();
        assertThat(events(trace, "M").stream().map(e -> e.path("args").path("name").asText()))
                .contains("decode (cpu)");
    }

    @Test
    void theCheckerFindsOverlappingSlicesOnOneTrack() throws IOException {
        String trace = trace(ReportFixtures.cpuStyle()).replaceFirst("\"dur\":3900.000", "\"dur\":4900.000");

        assertThat(TraceChecker.check(trace)).anyMatch(p -> p.contains("without nesting"));
    }

    @Test
    void theCheckerFindsAFlowWithoutItsEnd() throws IOException {
        String trace = trace(ReportFixtures.openClStyle("generate")).replaceFirst("\"ph\":\"f\"", "\"ph\":\"i\"");

        assertThat(TraceChecker.check(trace)).anyMatch(p -> p.contains("must have one start and one end"));
    }

    @Test
    void theCheckerFindsADeviceSpanStartingBeforeItsEnqueueBeyondTheClockBound() throws IOException {
        long t = ReportFixtures.T0;
        PassTrace pass = new PassTrace(t, t + 10 * ReportFixtures.MS,
                List.of(new HostSpan(0, Stage.LAYER, t, t + 5 * ReportFixtures.MS, 1)), List.of(),
                List.of(new DeviceSpan(0, 0, null, t + 2_000_000, t + 1_990_000, t + 3_000_000)), 5_000);
        ExecutionTrace early = new ExecutionTrace("early", Backend.OPENCL, List.of(pass), 0, Map.of(), false);

        List<String> problems = TraceChecker.check(trace(new ProfileResults(
                List.of(new ProfileAnalyzer().analyze(early)))));

        assertThat(problems).containsExactly("flow 1: device span starts 10000 ns before its host enqueue, more "
                + "than the clock error bound of 5000 ns");
    }
}
