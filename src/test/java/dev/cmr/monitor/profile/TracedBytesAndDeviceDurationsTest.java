package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Allocated bytes of host spans and device durations of a timestamped pass, through the analyzer. */
class TracedBytesAndDeviceDurationsTest {
    private final ProfileAnalyzer analyzer = new ProfileAnalyzer();

    private ExecutionProfile analyze(PassTrace... passes) {
        return analyzer.analyze(new ExecutionTrace("forward", Backend.CPU, List.of(passes), 0, Map.of(), false));
    }

    @Test
    void allocatedBytesAreMeansPerPassOfTheSpansSumsAndNullWhenNoPassTrackedThem() {
        PassTrace first = new PassTrace(0, 100, List.of(
                new HostSpan(0, Stage.LAYER, 0, 40, 1, 1_000L),
                new HostSpan(0, Stage.CAPTURE, 10, 20, 1, 300L),
                new HostSpan(0, Stage.LAYER, 50, 90, 1, 500L)), List.of(), List.of(), 0);
        PassTrace second = new PassTrace(0, 100, List.of(
                new HostSpan(1, Stage.LAYER, 0, 40, 1, 200L)), List.of(), List.of(), 0);
        PassTrace untracked = new PassTrace(0, 100, List.of(
                new HostSpan(0, Stage.LAYER, 0, 40, 1)), List.of(), List.of(), 0);

        ExecutionProfile tracked = analyze(first, second, untracked);
        ExecutionProfile none = analyze(untracked);

        assertThat(tracked.layer(0).allocatedBytes()).as("(1500 + 0) / 2 tracked passes").isEqualTo(750.0);
        assertThat(tracked.layer(1).allocatedBytes()).isEqualTo(100.0);
        assertThat(tracked.stages()).singleElement().satisfies(s -> assertThat(s.allocatedBytes()).isEqualTo(150.0));
        assertThat(none.layer(0).allocatedBytes()).isNull();
    }

    @Test
    void deviceDurationsGiveLayerDeviceTimeButNoTimelineWhenThePassHasNoDeviceSpans() {
        PassTrace pass = new PassTrace(0, 4_000, List.of(
                new HostSpan(0, Stage.LAYER, 0, 1_000, 1),
                new HostSpan(1, Stage.LAYER, 1_000, 2_000, 1)), List.of(), List.of(), 0, Map.of(1, 5_000L, 2, 7L));

        ExecutionProfile profile = analyze(pass);

        assertThat(profile.layer(0).deviceNanos()).isEqualTo(0.0);
        assertThat(profile.layer(1).deviceNanos()).isEqualTo(5_000.0);
        assertThat(profile.layer(1).verdict()).isEqualTo(Verdict.DEVICE_BOUND);
        assertThat(profile.layer(2).deviceNanos()).as("a layer with device time only").isEqualTo(7.0);
        assertThat(profile.partition()).isNull();
        assertThat(profile.deviceBusyRatio()).isNull();
    }

    @Test
    void deviceSpansWinOverDeviceDurations() {
        PassTrace pass = new PassTrace(0, 4_000, List.of(new HostSpan(0, Stage.LAYER, 0, 1_000, 1)), List.of(),
                List.of(new DeviceSpan(0, 0, null, 100, 200, 600)), 0, Map.of(0, 9_999L));

        ExecutionProfile profile = analyze(pass);

        assertThat(profile.layer(0).deviceNanos()).isEqualTo(400.0);
        assertThat(profile.partition()).isNotNull();
    }
}
