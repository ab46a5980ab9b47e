package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.record.Stage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pass an execution keeps whole for the timeline views, and its profile.json form. */
class RepresentativePassTest {
    private static PassTrace pass(long start, long wall) {
        return new PassTrace(start, start + wall, List.of(new HostSpan(0, Stage.LAYER, start, start + wall, 3)),
                List.of(), List.of(), 0);
    }

    private static ExecutionProfile analyze(List<ProfiledPass> passes) {
        return new ProfileAnalyzer().analyze(new ExecutionTrace("forward", Backend.CPU, passes, 0, Map.of(), false));
    }

    @Test
    void isThePassOfMedianWallTime() {
        PassTrace median = pass(100, 7_000);

        assertThat(analyze(List.of(pass(0, 5_000), pass(50, 9_000), median)).representativePass())
                .isSameAs(median);
    }

    @Test
    void isTheLowerMedianOfAnEvenNumberAndIgnoresPassesWithoutTimestamps() {
        PassTrace lower = pass(10, 6_000);
        List<ProfiledPass> passes = List.of(pass(0, 9_000), new PassDurations(1, Map.of()), lower, pass(20, 8_000),
                pass(30, 2_000), new PassDurations(100_000, Map.of()));

        assertThat(analyze(passes).representativePass()).isSameAs(lower);
    }

    @Test
    void equalWallTimesKeepPassOrder() {
        PassTrace second = pass(10, 5_000);

        assertThat(analyze(List.of(pass(0, 5_000), second, pass(20, 5_000))).representativePass())
                .isSameAs(second);
    }

    @Test
    void isNullWhenNoPassHadTimestamps() {
        ExecutionProfile profile = analyze(List.of(new PassDurations(1_000, Map.of())));

        assertThat(profile.representativePass()).isNull();
        assertThat(new ProfileResults(List.of(profile)).toJson()).contains("\"representative_pass\" : null");
    }

    @Test
    void readsBackWithThreadIdsSyncWaitsKernelsEnqueueTimesAndClockBound() {
        PassTrace pass = new PassTrace(1_000, 9_000, List.of(
                new HostSpan(2, Stage.LAYER, 1_000, 8_000, 41), new HostSpan(2, Stage.RETRIEVAL, 2_000, 3_000, 41),
                new HostSpan(3, Stage.LAYER, 1_500, 2_500, 42)),
                List.of(new SyncWaitSpan(2, 6_000, 7_500)), List.of(
                new DeviceSpan(1, 2, null, 1_900, 2_100, 6_800),
                new DeviceSpan(1, 2, "attention", 2_200, 2_300, 4_000),
                new DeviceSpan(0, 3, "gelu", DeviceSpan.UNKNOWN, 2_400, 2_450)), 250);
        ExecutionProfile profile = new ProfileAnalyzer().analyze(new ExecutionTrace("forward", Backend.OPENCL,
                List.of(pass), 0, Map.of(), false));
        ProfileResults results = new ProfileResults(List.of(profile));

        ProfileResults read = ProfileResults.fromJson(results.toJson());

        assertThat(read.execution("forward").representativePass()).isEqualTo(pass);
        assertThat(results.toJson()).contains("\"thread_id\" : 42", "\"kernel\" : null",
                "\"enqueue_end_ns\" : null", "\"clock_error_bound_ns\" : 250");
    }

    @Test
    void anAbsentRepresentativePassReadsAsNone() {
        String json = ProfileResultsJsonTest.sample().toJson()
                .replaceAll(",\\s*\"representative_pass\" : (null|\\{(?s:.*?)\n    })", "");
        assertThat(json).doesNotContain("representative_pass");

        assertThat(ProfileResults.fromJson(json).execution("forward").representativePass()).isNull();
    }

    @Test
    void aSpanThatEndsBeforeItStartsIsNamedWithItsPath() {
        String json = ProfileResultsJsonTest.sample().toJson()
                .replaceFirst("\"start_ns\" : 1000,(\\s*)\"end_ns\" : 5001000",
                        "\"start_ns\" : 99000000,$1\"end_ns\" : 5001000");

        assertThatThrownBy(() -> ProfileResults.fromJson(json))
                .hasMessage("executions[0].representative_pass.host_spans[0]: a span must not end before it starts, "
                        + "was [99000000, 5001000]");
    }

    @Test
    void aNegativeEnqueueTimeIsNamed() {
        String json = ProfileResultsJsonTest.sample().toJson()
                .replaceFirst("\"enqueue_end_ns\" : 20000", "\"enqueue_end_ns\" : -5");

        assertThatThrownBy(() -> ProfileResults.fromJson(json))
                .hasMessage("executions[0].representative_pass.device_spans[0].enqueue_end_ns must be >= 0 or null, "
                        + "was -5");
    }

    @Test
    void anUnknownStageOfAHostSpanIsNamed() {
        String json = ProfileResultsJsonTest.sample().toJson()
                .replaceFirst("\"stage\" : \"capture\",\\s*\"thread_id\"", "\"stage\" : \"device\", \"thread_id\"");

        assertThatThrownBy(() -> ProfileResults.fromJson(json))
                .hasMessageStartingWith("executions[0].representative_pass.host_spans[1].stage must be one of "
                        + "[capture, reconstruction, retrieval, eviction, layer], was \"device\"");
    }
}
