package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.record.Stage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile.json form: what it holds, that it reads back equal, and how a malformed file is reported. */
class ProfileResultsJsonTest {
    @TempDir
    Path dir;

    /**
     * A timestamped execution with kernels, stages (with allocated bytes), gaps and resources, and a duration-only one
     * without a device; other tests of the package render it too.
     */
    static ProfileResults sample() {
        PassTrace pass = new PassTrace(1_000, 11_000_000, List.of(
                new HostSpan(0, Stage.LAYER, 1_000, 5_001_000, 7, 4_096L),
                new HostSpan(0, Stage.CAPTURE, 3_000_000, 4_000_000, 7, 1_024L)),
                List.of(new SyncWaitSpan(0, 3_500_000, 4_000_000)), List.of(
                new DeviceSpan(0, 0, "matmul", 20_000, 30_000, 2_000_000),
                new DeviceSpan(0, 0, "gelu", 2_000_000, 2_500_000, 3_000_000)), 1_500);
        ExecutionTrace timeline = new ExecutionTrace("forward", Backend.OPENCL, List.of(pass, pass), 3,
                Map.of("host.cpu", List.of(new double[] {0.5, 12.5}, new double[] {1.0, 80})), false);
        ExecutionTrace durations = new ExecutionTrace("decode", Backend.CPU, List.of(new PassDurations(3_000_000,
                Map.of(1, LayerDurations.of(2_000_000, 100_000, null)))), 0, Map.of(), false);
        ProfileAnalyzer analyzer = new ProfileAnalyzer();
        return new ProfileResults(List.of(analyzer.analyze(timeline), analyzer.analyze(durations)));
    }

    @Test
    void readsBackEqual() {
        ProfileResults results = sample();

        assertThat(ProfileResults.fromJson(results.toJson())).isEqualTo(results);
    }

    @Test
    void readsBackEqualFromAFile() throws Exception {
        ProfileResults results = sample();
        Path file = Files.writeString(dir.resolve("profile.json"), results.toJson());

        assertThat(ProfileResults.read(file)).isEqualTo(results);
    }

    @Test
    void startsWithTheSchemaVersionThenTheExecutions() {
        String json = sample().toJson();

        assertThat(json).startsWith("{\n  \"schema_version\" : 1,\n  \"executions\" : [ {\n    \"name\" : \"forward\",");
        assertThat(sample().toMap().keySet()).containsExactly("schema_version", "executions");
    }

    @Test
    void writesMeansAsPlainDecimalsAndNullsWhereThereIsNoDevice() {
        String json = sample().toJson();

        assertThat(json).contains("\"wall_ns\" : 10999000,", "\"host_ns\" : 2000000,", "\"device_ns\" : null,",
                "\"launch_delay_ns\" : null,", "\"device_busy_ratio\" : null,");
        assertThat(json).doesNotContainPattern("[0-9]E[0-9-]");
    }

    @Test
    void mapCarriesTheLayerFieldsWithSnakeCaseKeys() {
        @SuppressWarnings("unchecked")
        Map<String, Object> forward = ((List<Map<String, Object>>) sample().toMap().get("executions")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> layer = ((List<Map<String, Object>>) forward.get("layers")).get(0);

        assertThat(forward).containsKeys("name", "passes", "backend", "wall_ns", "verdict", "reason",
                "device_busy_ratio", "layers", "stages", "kernels", "resources", "dropped_spans");
        assertThat(layer).containsKeys("layer", "host_ns", "self_host_ns", "launch_ns", "sync_wait_ns", "device_ns",
                "launch_delay_ns", "verdict", "reason", "samples");
        assertThat(layer.get("launch_delay_ns")).isEqualTo(10_000.0);
        assertThat(forward.get("backend")).isEqualTo("opencl");
        assertThat(forward.get("dropped_spans")).isEqualTo(3L);
    }

    @Test
    void nvmlUtilizationOverTheWindowIsWrittenBesideTheDeviceBusyRatio() {
        ExecutionTrace trace = new ExecutionTrace("forward", Backend.CUDA, List.of(), 0, Map.of(
                "nvml0.gpu_utilization_percent", List.of(new double[] {1, 40}, new double[] {2, 80}),
                "host.system_cpu_percent", List.of(new double[] {1, 99})), false);
        ExecutionProfile withNvml = new ProfileAnalyzer().analyze(trace);
        @SuppressWarnings("unchecked")
        Map<String, Object> forward = ((List<Map<String, Object>>) new ProfileResults(List.of(withNvml)).toMap()
                .get("executions")).get(0);

        assertThat(withNvml.nvmlUtilization()).isCloseTo(0.6, within(1e-12));
        assertThat(forward.get("nvml_utilization")).isEqualTo(withNvml.nvmlUtilization());
        assertThat(sample().execution("forward").nvmlUtilization()).as("no NVML sampler").isNull();
    }

    @Test
    void allocatedBytesAreWrittenPerLayerAndStageAndNullWhereNotTracked() {
        ProfileResults results = sample();
        String json = results.toJson();

        assertThat(results.execution("forward").layer(0).allocatedBytes()).isEqualTo(4_096.0);
        assertThat(results.execution("forward").stages().get(0).allocatedBytes()).isEqualTo(1_024.0);
        assertThat(results.execution("decode").layer(1).allocatedBytes()).isNull();
        assertThat(json).contains("\"allocated_bytes\" : 4096,", "\"allocated_bytes\" : 1024,",
                "\"allocated_bytes\" : null,");
        assertThat(ProfileResults.fromJson(json).execution("forward").stages().get(0).allocatedBytes())
                .isEqualTo(1_024.0);
    }

    @Test
    void aFileWithoutAllocatedBytesReadsAsNotTracked() {
        String json = sample().toJson().replaceAll("\"allocated_bytes\" : [0-9a-z]+,", "");

        ProfileResults read = ProfileResults.fromJson(json);

        assertThat(json).doesNotContain("allocated_bytes");
        assertThat(read.execution("forward").layer(0).allocatedBytes()).isNull();
        assertThat(read.execution("forward").stages().get(0).allocatedBytes()).isNull();
        assertThat(read.execution("forward").layer(0).hostNanos()).isEqualTo(5_000_000.0);
    }

    @Test
    void aMissingFieldIsNamedWithTheFile() throws Exception {
        String json = sample().toJson().replaceFirst("\"self_host_ns\" : [0-9]+,", "");
        Path file = Files.writeString(dir.resolve("profile.json"), json);

        assertThatThrownBy(() -> ProfileResults.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": executions[0].layers[0].self_host_ns is required");
    }

    @Test
    void aFieldOfTheWrongKindIsNamed() {
        String json = sample().toJson().replaceFirst("\"verdict\" : \"[A-Z_]+\"", "\"verdict\" : \"SLOW\"");

        assertThatThrownBy(() -> ProfileResults.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("executions[0].verdict must be one of [HOST_BOUND, DEVICE_BOUND, SYNC_BOUND, "
                        + "THROTTLED], was \"SLOW\"");
    }

    @Test
    void anUnknownBackendIsNamed() {
        String json = sample().toJson().replaceFirst("\"backend\" : \"opencl\"", "\"backend\" : \"tpu\"");

        assertThatThrownBy(() -> ProfileResults.fromJson(json))
                .hasMessage("executions[0].backend must be one of [cpu, opencl, cuda, none], was \"tpu\"");
    }

    @Test
    void aSampleThatIsNotAWholeNumberIsNamed() {
        String json = sample().toJson().replaceFirst("\"wall_samples\" : \\[ 10999000", "\"wall_samples\" : [ 1.5");

        assertThatThrownBy(() -> ProfileResults.fromJson(json))
                .hasMessage("executions[0].wall_samples must be a list of whole numbers, has 1.5");
    }

    @Test
    void aMeanTimePastTheDoubleRangeOrBelowZeroIsNamed() {
        String json = sample().toJson();
        assertThat(json).contains("\"wall_ns\" : 10999000,");

        assertThatThrownBy(() -> ProfileResults.fromJson(json.replaceFirst("\"wall_ns\" : 10999000,",
                "\"wall_ns\" : 1e400,"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("executions[0].wall_ns must be a finite number, was ");
        assertThatThrownBy(() -> ProfileResults.fromJson(json.replaceFirst("\"wall_ns\" : 10999000,",
                "\"wall_ns\" : -1,"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("executions[0].wall_ns must be >= 0, was -1");
        assertThatThrownBy(() -> ProfileResults.fromJson(json.replaceFirst("\"self_host_ns\" : [0-9.]+,",
                "\"self_host_ns\" : -1e999,"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("executions[0].layers[0].self_host_ns must be a finite number, was ");
    }

    @Test
    void anotherSchemaVersionIsRefused() {
        String json = sample().toJson().replaceFirst("\"schema_version\" : 1", "\"schema_version\" : 2");

        assertThatThrownBy(() -> ProfileResults.fromJson(json)).hasMessage("schema_version must be 1, was 2");
    }

    @Test
    void truncatedJsonIsRefused() {
        String json = sample().toJson();

        assertThatThrownBy(() -> ProfileResults.fromJson(json.substring(0, json.length() / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("profile is not valid JSON: ");
    }

    @Test
    void anUnreadableFileIsNamed() {
        Path missing = dir.resolve("missing.json");

        assertThatThrownBy(() -> ProfileResults.read(missing)).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot read profile " + missing);
    }

    @Test
    void twoExecutionsOfOneNameAreRefused() {
        ExecutionProfile forward = sample().execution("forward");

        assertThatThrownBy(() -> new ProfileResults(List.of(forward, forward)))
                .hasMessage("two executions are named forward");
    }
}
