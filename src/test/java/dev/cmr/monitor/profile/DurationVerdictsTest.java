package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-layer and pass verdicts from the duration-only form, as a model recording through the public API gives. */
class DurationVerdictsTest {
    private static final long MS = 1_000_000;

    private static ExecutionTrace trace(Backend backend, boolean throttled, PassDurations... passes) {
        return new ExecutionTrace("forward", backend, List.of(passes), 0, Map.of(), throttled);
    }

    /** Layer 0: 1 ms host, 0.8 ms of it sync wait; layer 1: 1 ms host, 5 ms device; layer 2: 2 ms host, 0.1 ms device. */
    private static PassDurations groundTruthPass() {
        return new PassDurations(10 * MS, Map.of(
                0, LayerDurations.of(MS, 800_000, null),
                1, LayerDurations.of(MS, 0, 5 * MS),
                2, LayerDurations.of(2 * MS, 0, 100_000L)));
    }

    @Test
    void groundTruthLayersGetSyncDeviceAndHostBound() {
        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.NONE, false, groundTruthPass()));

        assertThat(p.layers()).extracting(LayerProfile::verdict)
                .containsExactly(Verdict.SYNC_BOUND, Verdict.DEVICE_BOUND, Verdict.HOST_BOUND);
        assertThat(p.layer(0).reason()).isEqualTo("sync wait 800.00 us is 80% of self host 1.000 ms (>= 50%)");
        assertThat(p.layer(1).reason())
                .isEqualTo("device 5.000 ms >= launch 1.000 ms; sync wait 0 ns is 0% of self host 1.000 ms (< 50%)");
        assertThat(p.layer(2).reason())
                .isEqualTo("launch 2.000 ms > device 100.00 us; sync wait 0 ns is 0% of self host 2.000 ms (< 50%)");
    }

    @Test
    void groundTruthNumbersAreTheRecordedDurations() {
        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.NONE, false, groundTruthPass()));

        LayerProfile l0 = p.layer(0);
        assertThat(l0.hostNanos()).isEqualTo(1_000_000.0);
        assertThat(l0.selfHostNanos()).isEqualTo(1_000_000.0);
        assertThat(l0.syncWaitNanos()).isEqualTo(800_000.0);
        assertThat(l0.launchNanos()).isEqualTo(200_000.0);
        assertThat(l0.deviceNanos()).isNull();
        assertThat(l0.launchDelayNanos()).isNull();
        assertThat(p.layer(1).deviceNanos()).isEqualTo(5_000_000.0);
        assertThat(p.layer(2).deviceNanos()).isEqualTo(100_000.0);
        assertThat(p.wallNanos()).isEqualTo(10_000_000.0);
        assertThat(p.partition()).isNull();
        assertThat(p.gaps()).isNull();
        assertThat(p.deviceBusyRatio()).isNull();
    }

    @Test
    void passVerdictIsTheRuleOnThePassTotals() {
        // Totals: self host 4 ms, sync 0.8 ms (20%), launch 3.2 ms, device 5.1 ms: device bound.
        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.NONE, false, groundTruthPass()));

        assertThat(p.verdict()).isEqualTo(Verdict.DEVICE_BOUND);
        assertThat(p.reason())
                .isEqualTo("device 5.100 ms >= launch 3.200 ms; sync wait 800.00 us is 20% of self host 4.000 ms (< 50%)");
    }

    @Test
    void meansRunOverPassesAndSamplesKeepEachPass() {
        PassDurations fast = new PassDurations(2 * MS, Map.of(0, LayerDurations.of(MS, 0, null)));
        PassDurations slow = new PassDurations(4 * MS, Map.of(0, LayerDurations.of(3 * MS, 0, null)));

        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.CPU, false, fast, slow));

        assertThat(p.passes()).isEqualTo(2);
        assertThat(p.wallNanos()).isEqualTo(3_000_000.0);
        assertThat(p.wallSamples()).isEqualTo(Samples.of(2 * MS, 4 * MS));
        assertThat(p.layer(0).hostNanos()).isEqualTo(2_000_000.0);
        assertThat(p.layer(0).samples().hostNanos()).isEqualTo(Samples.of(MS, 3 * MS));
        assertThat(p.layer(0).samples().deviceNanos().size()).isZero();
    }

    @Test
    void withoutDeviceTimeEverythingIsHostTimeAndTheReasonSaysSo() {
        PassDurations pass = new PassDurations(3 * MS, Map.of(0, LayerDurations.of(2 * MS, 100_000, null)));

        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.CPU, false, pass));

        assertThat(p.layer(0).verdict()).isEqualTo(Verdict.HOST_BOUND);
        assertThat(p.layer(0).deviceNanos()).isNull();
        assertThat(p.layer(0).reason()).isEqualTo("no device time recorded (backend cpu), so all time is host time: "
                + "sync wait 100.00 us is 5% of self host 2.000 ms (< 50%)");
    }

    @Test
    void throttlingOverridesEveryVerdictAndKeepsTheNumbers() {
        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.CUDA, true, groundTruthPass()));

        assertThat(p.layers()).extracting(LayerProfile::verdict).containsOnly(Verdict.THROTTLED);
        assertThat(p.verdict()).isEqualTo(Verdict.THROTTLED);
        assertThat(p.layer(0).reason()).isEqualTo("NVML reported clock-event reasons other than idle in this window, "
                + "so the times are not representative; unthrottled this would read SYNC_BOUND: "
                + "sync wait 800.00 us is 80% of self host 1.000 ms (>= 50%)");
    }

    @Test
    void stageTimesAreMeansOverEveryPass() {
        PassDurations withCapture = new PassDurations(2 * MS, Map.of(0, new LayerDurations(MS, 0, null,
                Map.of(Stage.CAPTURE, 300_000L))));
        PassDurations without = new PassDurations(2 * MS, Map.of(0, LayerDurations.of(MS, 0, null)));

        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.CPU, false, withCapture, without));

        assertThat(p.stages()).containsExactly(new StageProfile(0, Stage.CAPTURE, 150_000.0,
                Samples.of(300_000, 0)));
    }

    @Test
    void launchClampsAreCountedWhenSyncWaitExceedsSelfHost() {
        PassDurations pass = new PassDurations(2 * MS, Map.of(0, LayerDurations.of(MS, 2 * MS, null)));

        LayerProfile l = new ProfileAnalyzer().analyze(trace(Backend.CPU, false, pass, pass)).layer(0);

        assertThat(l.launchNanos()).isZero();
        assertThat(l.launchClamps()).isEqualTo(2);
    }

    @Test
    void anExecutionWithoutPassesSaysSo() {
        ExecutionProfile p = new ProfileAnalyzer().analyze(trace(Backend.CPU, false));

        assertThat(p.passes()).isZero();
        assertThat(p.layers()).isEmpty();
        assertThat(p.reason()).isEqualTo("no passes were profiled");
    }
}
