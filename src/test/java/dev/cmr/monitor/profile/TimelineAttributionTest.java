package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attribution from timestamped passes: partition, launch delay, gaps, self times, device and kernel times. */
class TimelineAttributionTest {
    private static final long THREAD = 1;

    private static HostSpan layer(int layer, long start, long end) {
        return new HostSpan(layer, Stage.LAYER, start, end, THREAD);
    }

    private static DeviceSpan whole(int layer, long enqueueEnd, long start, long end) {
        return new DeviceSpan(0, layer, null, enqueueEnd, start, end);
    }

    private static ExecutionProfile analyze(ProfileAnalyzer analyzer, PassTrace... passes) {
        return analyzer.analyze(new ExecutionTrace("forward", Backend.OPENCL, List.of(passes), 0, Map.of(), false));
    }

    private static ExecutionProfile analyze(PassTrace... passes) {
        return analyze(new ProfileAnalyzer(), passes);
    }

    /**
     * <pre>
     * time     0    10   20   30   40   50   60   70   80   90   100
     * layer 0       [=========sync]                                   host [10,40), sync wait [30,40)
     * layer 1                           [==============]              host [50,80)
     * device             [=======]                [==========]        [20,35) enqueued at 15; [70,90) at 55
     * </pre>
     */
    private static PassTrace handDrawn() {
        return new PassTrace(0, 100, List.of(layer(0, 10, 40), layer(1, 50, 80)),
                List.of(new SyncWaitSpan(0, 30, 40)),
                List.of(whole(0, 15, 20, 35), whole(1, 55, 70, 90)), 3);
    }

    @Test
    void handDrawnTimelinePartitionsExactly() {
        assertThat(PassPartition.of(handDrawn())).isEqualTo(new PassPartition(100, 30, 15, 20, 35));
    }

    @Test
    void handDrawnTimelineAttributesEachLayer() {
        ExecutionProfile p = analyze(handDrawn());

        LayerProfile l0 = p.layer(0);
        assertThat(List.of(l0.hostNanos(), l0.selfHostNanos(), l0.syncWaitNanos(), l0.launchNanos()))
                .containsExactly(30.0, 30.0, 10.0, 20.0);
        assertThat(l0.deviceNanos()).isEqualTo(15.0);
        assertThat(l0.launchDelayNanos()).isEqualTo(5.0);
        assertThat(p.layer(1).launchDelayNanos()).isEqualTo(15.0);
        assertThat(p.deviceBusyRatio()).isEqualTo(0.35);
        assertThat(p.clockErrorBoundNanos()).isEqualTo(3L);
        assertThat(p.partition()).isEqualTo(new MeanPartition(100, 30, 15, 20, 35));
        assertThat(p.gaps()).isEqualTo(new IdleGaps(10_000, new IdleGaps.Total(1, 35), IdleGaps.Total.NONE,
                IdleGaps.Total.NONE));
    }

    @Test
    void launchDelayIsTheTimeFromEnqueueToDeviceStart() {
        long x = 2_500_000;
        PassTrace pass = new PassTrace(0, 10_000_000, List.of(layer(0, 0, 1_000_000)), List.of(),
                List.of(whole(0, 400_000, 400_000 + x, 400_000 + x + 1_000)), 0);

        assertThat(analyze(pass).layer(0).launchDelayNanos()).isEqualTo((double) x);
    }

    @Test
    void launchDelayUsesTheLayersFirstDeviceSpanAndNeverGoesNegative() {
        // The first span started 2 ns before its enqueue call returned (clock mapping error): delay 0, not -2.
        PassTrace pass = new PassTrace(0, 100, List.of(layer(0, 0, 50)), List.of(),
                List.of(new DeviceSpan(0, 0, "late", 10, 60, 70), new DeviceSpan(0, 0, "first", 22, 20, 30)), 0);

        assertThat(analyze(pass).layer(0).launchDelayNanos()).isEqualTo(0.0);
    }

    @Test
    void launchDelayIsNullWhenTheEnqueueTimeIsUnknown() {
        PassTrace pass = new PassTrace(0, 100, List.of(layer(0, 0, 50)), List.of(),
                List.of(whole(0, DeviceSpan.UNKNOWN, 20, 30)), 0);

        assertThat(analyze(pass).layer(0).launchDelayNanos()).isNull();
    }

    @Test
    void gapsAreClassifiedHostWaitKernelWaitAndOther() {
        PassTrace pass = new PassTrace(0, 1_000, List.of(), List.of(), List.of(
                whole(0, DeviceSpan.UNKNOWN, 0, 100),
                whole(1, 50, 105, 200),      // gap 5 < 10, enqueued before 100: kernel_wait
                whole(2, 250, 300, 400),     // gap 100, enqueued at 250, after the queue ran dry at 200: host_wait
                whole(3, 350, 500, 600),     // gap 100, enqueued at 350, before 400: other
                new DeviceSpan(0, 3, "k", 505, 550, 580),  // inside the layer span: no gap
                whole(4, DeviceSpan.UNKNOWN, 700, 705),    // gap 100, enqueue unknown: other
                new DeviceSpan(1, 4, "q1", 5, 10, 20)),    // alone on queue 1: no gap
                0);

        IdleGaps gaps = analyze(new ProfileAnalyzer(10), pass).gaps();

        assertThat(gaps).isEqualTo(new IdleGaps(10, new IdleGaps.Total(1, 100), new IdleGaps.Total(1, 5),
                new IdleGaps.Total(2, 200)));
    }

    @Test
    void aGapAsLongAsTheThresholdIsOther() {
        List<IdleGap> gaps = new GapClassifier(10).gaps(List.of(whole(0, 0, 0, 10), whole(1, 5, 20, 30)));

        assertThat(gaps).containsExactly(new IdleGap(0, 10, 20, GapKind.OTHER));
    }

    @Test
    void selfHostSubtractsNestedLayersOnTheSameThreadOnly() {
        PassTrace sameThread = new PassTrace(0, 100, List.of(layer(0, 0, 100), layer(1, 20, 50)), List.of(),
                List.of(), 0);
        PassTrace otherThread = new PassTrace(0, 100,
                List.of(layer(0, 0, 100), new HostSpan(1, Stage.LAYER, 20, 50, 2)), List.of(), List.of(), 0);

        assertThat(analyze(sameThread).layer(0).selfHostNanos()).isEqualTo(70.0);
        assertThat(analyze(sameThread).layer(0).hostNanos()).isEqualTo(100.0);
        assertThat(analyze(otherThread).layer(0).selfHostNanos()).isEqualTo(100.0);
    }

    @Test
    void stageTimesAreSelfTimesAndStayInTheLayersSelfHost() {
        PassTrace pass = new PassTrace(0, 100, List.of(layer(0, 0, 60),
                new HostSpan(0, Stage.RECONSTRUCTION, 10, 40, THREAD),
                new HostSpan(0, Stage.RETRIEVAL, 15, 25, THREAD),
                new HostSpan(0, Stage.CAPTURE, 40, 55, THREAD)), List.of(new SyncWaitSpan(0, 45, 55)), List.of(), 0);

        ExecutionProfile p = analyze(pass);

        assertThat(p.stages()).containsExactly(
                new StageProfile(0, Stage.CAPTURE, 15, Samples.of(15)),
                new StageProfile(0, Stage.RECONSTRUCTION, 20, Samples.of(20)),
                new StageProfile(0, Stage.RETRIEVAL, 10, Samples.of(10)));
        assertThat(p.layer(0).selfHostNanos()).isEqualTo(60.0);
        assertThat(p.layer(0).launchNanos()).isEqualTo(50.0);
    }

    @Test
    void deviceTimeIsTheWholeLayerSpanElseTheUnionOfKernels() {
        PassTrace pass = new PassTrace(0, 200, List.of(), List.of(), List.of(
                whole(0, 0, 0, 100),
                new DeviceSpan(0, 0, "matmul", 0, 10, 20),
                new DeviceSpan(0, 0, "matmul", 0, 30, 60),
                new DeviceSpan(0, 1, "gelu", 0, 100, 110),
                new DeviceSpan(1, 1, "gelu", 0, 105, 120),
                new DeviceSpan(0, 1, "norm", 0, 130, 140)), 0);

        ExecutionProfile p = analyze(pass);

        assertThat(p.layer(0).deviceNanos()).isEqualTo(100.0);
        assertThat(p.layer(1).deviceNanos()).isEqualTo(30.0);
        assertThat(p.kernels()).containsExactly(
                new KernelProfile(0, "matmul", 2, 40, Samples.of(40)),
                new KernelProfile(1, "gelu", 2, 25, Samples.of(25)),
                new KernelProfile(1, "norm", 1, 10, Samples.of(10)));
    }

    @Test
    void aLayerWithoutDeviceSpansHasZeroDeviceTimeOnlyWhenThePassHasSome() {
        PassTrace withDevice = new PassTrace(0, 100, List.of(layer(0, 0, 10), layer(1, 10, 20)), List.of(),
                List.of(whole(1, 10, 12, 30)), 0);
        PassTrace hostOnly = new PassTrace(0, 100, List.of(layer(0, 0, 10)), List.of(), List.of(), 0);

        assertThat(analyze(withDevice).layer(0).deviceNanos()).isEqualTo(0.0);
        ExecutionProfile noDevice = analyze(hostOnly);
        assertThat(noDevice.layer(0).deviceNanos()).isNull();
        assertThat(noDevice.deviceBusyRatio()).isNull();
        assertThat(noDevice.gaps()).isNull();
        assertThat(noDevice.clockErrorBoundNanos()).isNull();
        assertThat(noDevice.partition()).isEqualTo(new MeanPartition(100, 10, 0, 0, 90));
    }

    @Test
    void devicePassesAloneMakeTheDeviceMean() {
        PassTrace withDevice = new PassTrace(0, 100, List.of(layer(0, 0, 10)), List.of(),
                List.of(whole(0, 0, 0, 40)), 0);
        PassTrace hostOnly = new PassTrace(0, 100, List.of(layer(0, 0, 10)), List.of(), List.of(), 0);

        LayerProfile l = analyze(withDevice, hostOnly).layer(0);

        assertThat(l.deviceNanos()).isEqualTo(40.0);
        assertThat(l.samples().deviceNanos()).isEqualTo(Samples.of(40));
        assertThat(l.samples().hostNanos()).isEqualTo(Samples.of(10, 10));
        assertThat(l.verdict()).isEqualTo(Verdict.DEVICE_BOUND);
    }

    @Test
    void deviceBusyRatioCountsOverlappingQueuesOnceAndOnlyInsideThePass() {
        PassTrace pass = new PassTrace(100, 200, List.of(), List.of(), List.of(
                new DeviceSpan(0, 0, null, 0, 50, 150),    // half before the pass
                new DeviceSpan(1, 0, null, 0, 120, 160)), 0);

        assertThat(analyze(pass).deviceBusyRatio()).isEqualTo(0.6);
    }
}
